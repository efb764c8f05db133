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


SUBPACKAGES = [
    "errors",
    "models",
    "process",
    "calendar",
    "sla",
    "routing",
    "due",
    "knowledge",
    "store",
    "monitoring",
]
INTERNAL = {"trusted_event"}
"""Public within the library, not for users: the process layer's constructor of events."""


@pytest.mark.parametrize("module", SUBPACKAGES)
def test_every_public_name_is_importable_from_the_top(module: str) -> None:
    """What a subpackage calls public (its __all__) is importable from vss_care_core."""
    sub = importlib.import_module(f"vss_care_core.{module}")
    missing = [n for n in sub.__all__ if n not in vss_care_core.__all__ and n not in INTERNAL]
    assert missing == []


def test_all_is_grouped_by_concept() -> None:
    """__all__ follows the subpackages, in layer order, each group sorted."""
    names = [n for n in vss_care_core.__all__ if n != "__version__"]
    groups = []
    for module in SUBPACKAGES:
        sub = importlib.import_module(f"vss_care_core.{module}")
        groups.extend(sorted(n for n in sub.__all__ if n not in INTERNAL))
    assert [n for n in names if n in groups] == [n for n in groups if n in names]


@pytest.mark.parametrize("module", SUBPACKAGES)
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
