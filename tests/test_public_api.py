"""The public API: every name the issues promise is importable from vss_care_core itself."""

from __future__ import annotations

import importlib
import importlib.resources

import pytest

import vss_care_core

PROMISED = [
    "Channel",
    "PolicyArea",
    "InquiryKind",
    "Priority",
    "SocialInsuranceNumber",
    "CitizenId",
    "TaxCode",
    "PhoneNumber",
    "Individual",
    "Organization",
    "Inquiry",
    "Event",
    "CareCoreError",
    "ProcessDefinition",
    "CALL_PROCESS",
    "WRITTEN_PROCESS",
    "open_case",
    "Case",
    "TransitionNotAllowed",
    "ConcurrencyConflict",
    "WorkingCalendar",
    "vietnam_calendar",
    "ALWAYS_OPEN",
    "SlaTarget",
    "SlaPolicy",
    "SlaTimer",
    "sla_status",
    "OrgUnit",
    "vss_directory",
    "RoutingTable",
    "RoutingDecision",
    "assign",
    "find_duplicates",
    "SatisfactionResponse",
]


@pytest.mark.parametrize("name", PROMISED)
def test_promised_name_is_exported(name: str) -> None:
    """The name is an attribute of the package and listed in __all__."""
    assert hasattr(vss_care_core, name)
    assert name in vss_care_core.__all__


def test_all_lists_only_real_names() -> None:
    """__all__ has no stale entries and no duplicates."""
    assert len(set(vss_care_core.__all__)) == len(vss_care_core.__all__)
    missing = [n for n in vss_care_core.__all__ if not hasattr(vss_care_core, n)]
    assert missing == []


@pytest.mark.parametrize(
    "module", ["models", "process", "calendar", "sla", "routing", "monitoring", "errors"]
)
def test_top_level_names_are_the_subpackages_own(module: str) -> None:
    """A name exported from both places is the same object (one home per concept)."""
    sub = importlib.import_module(f"vss_care_core.{module}")
    for name in sub.__all__:
        if name in vss_care_core.__all__:
            assert getattr(vss_care_core, name) is getattr(sub, name)


def test_typed_package() -> None:
    """The package ships py.typed so that users' type checkers read our annotations."""
    files = importlib.resources.files("vss_care_core")
    assert files.joinpath("py.typed").is_file()
