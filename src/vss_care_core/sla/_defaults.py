"""The default SLA policies (shipped as cited data), loading and selection."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cache
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ConfigDict, TypeAdapter, ValidationError

from vss_care_core.errors import SlaPolicyError, UnknownNameError
from vss_care_core.models import Channel, Event, Inquiry, InquiryKind, Priority
from vss_care_core.process import ProcessDefinition, recorded_kind, units_held
from vss_care_core.sla._policy import SlaPolicy
from vss_care_core.sla._units import UnitCalendars

if TYPE_CHECKING:
    from vss_care_core.process import Case

__all__ = [
    "default_policies",
    "default_policy_for",
    "load_policies",
    "policy_for_case",
    "policy_named",
    "select_policy",
]

_DATA_FILE = "default_policies.json"


@cache
def _adapter() -> TypeAdapter[list[SlaPolicy]]:
    return TypeAdapter(list[SlaPolicy], config=ConfigDict(extra="forbid"))


def _problems(error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"])
        message = str(item["msg"]).removeprefix("Value error, ")
        problems.append(f"{where}: {message}" if where else message)
    return problems


def _parse(raw: object, what: str) -> tuple[SlaPolicy, ...]:
    if not isinstance(raw, Mapping) or "policies" not in raw:
        raise SlaPolicyError(what, ['the data must be an object with a "policies" list'])
    unknown = sorted(set(raw) - {"policies", "description"})
    if unknown:
        raise SlaPolicyError(what, [f"unknown keys {unknown}; use 'policies' and 'description'"])
    try:
        policies = _adapter().validate_python(raw["policies"])
    except ValidationError as exc:
        raise SlaPolicyError(what, [f"policies.{p}" for p in _problems(exc)]) from None
    names = [p.name for p in policies]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise SlaPolicyError(what, [f"policy {n!r} is defined more than once" for n in duplicates])
    return tuple(policies)


def load_policies(source: str | PathLike[str] | Mapping[str, Any]) -> tuple[SlaPolicy, ...]:
    """Load SLA policies from a JSON file or a parsed mapping, in the shipped format.

    The format is ``{"policies": [{"name": ..., "processes": [...], "kinds": [...],
    "targets": [{"name": ..., "unit": ..., "limit": ..., "source": ...}]}]}``; durations are
    ISO 8601 (``"PT16H"``), day limits are numbers. Every problem is reported at once in a
    :class:`~vss_care_core.errors.SlaPolicyError`.
    """
    if isinstance(source, Mapping):
        return _parse(source, "SLA policies")
    path = Path(source)
    try:
        raw = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise SlaPolicyError(f"SLA policies {path.name!r}", [str(exc)]) from None
    return _parse(raw, f"SLA policies {path.name!r}")


@cache
def default_policies() -> tuple[SlaPolicy, ...]:
    """The shipped default policies, in selection order; each target cites its source.

    >>> [p.name for p in default_policies() if p.selectable]
    ['call', 'complaint', 'denunciation', 'feedback', 'written']
    """
    text = resources.files("vss_care_core.sla").joinpath("data", _DATA_FILE).read_text("utf-8")
    return _parse(json.loads(text), "the shipped SLA policies")


def policy_named(name: str, policies: Sequence[SlaPolicy] | None = None) -> SlaPolicy:
    """The policy called ``name`` (e.g. ``"complaint-complex"``), from the defaults by default;
    :class:`~vss_care_core.errors.UnknownNameError` (a ``KeyError``) when there is none."""
    candidates = default_policies() if policies is None else tuple(policies)
    for policy in candidates:
        if policy.name == name:
            return policy
    raise UnknownNameError("SLA policy", name, [p.name for p in candidates])


def select_policy(
    *,
    process: str,
    channel: Channel,
    kind: InquiryKind | None,
    priority: Priority,
    unit: str | None = None,
    unit_level: str | None = None,
    policies: Sequence[SlaPolicy] | None = None,
) -> SlaPolicy:
    """The first selectable policy that matches a case of the process family ``process``
    (``call`` or ``written``), ``channel``, ``kind``, ``priority``, and the unit that holds
    it and that unit's level (None when unknown); raises
    :class:`~vss_care_core.errors.SlaPolicyError` if none does."""
    candidates = default_policies() if policies is None else tuple(policies)
    channel, priority = Channel(channel), Priority(priority)
    kind = InquiryKind(kind) if kind is not None else None
    for policy in candidates:
        if policy.selectable and policy.matches(
            process=process, channel=channel, kind=kind, priority=priority,
            unit=unit, unit_level=unit_level,
        ):  # fmt: skip
            return policy
    raise SlaPolicyError(
        "SLA policy selection",
        [
            f"no policy matches process={process!r}, channel={channel.value!r}, "
            f"kind={kind.value if kind else None!r}, priority={priority.value!r}, "
            f"unit={unit!r}, unit level={unit_level!r}; "
            "add a policy without selectors as a fallback"
        ],
    )


def policy_for_case(
    definition: ProcessDefinition,
    inquiry: Inquiry,
    events: Sequence[Event],
    *,
    policies: Sequence[SlaPolicy] | None = None,
    units: UnitCalendars | None = None,
    held: Sequence[str | None] | None = None,
) -> SlaPolicy:
    """The policy for a case of ``definition`` with ``events``: the one selected by the
    process's family, the inquiry's channel, its kind as classified by ``events`` (else the
    inquiry's), the inquiry's priority (a later priority change changes limits, not the
    policy), and the unit that holds the case after ``events`` with its level from ``units``
    (without ``units`` the level is unknown; ``held``, the holders of
    :func:`~vss_care_core.process.units_held` when already worked out). The one rule of policy
    selection: live timers and reports both use it."""
    if held is None:
        held = units_held(definition, events)
    unit = held[-1] if held else None
    return select_policy(
        process=definition.family.value,
        channel=inquiry.channel,
        kind=recorded_kind(definition, inquiry.kind, events),
        priority=inquiry.priority,
        unit=unit,
        unit_level=units.level_of(unit) if units is not None else None,
        policies=policies,
    )


def default_policy_for(
    case: Case,
    *,
    at: datetime | None = None,
    policies: Sequence[SlaPolicy] | None = None,
    units: UnitCalendars | None = None,
) -> SlaPolicy:
    """The policy for a case (see :func:`policy_for_case`), from its events up to ``at``."""
    history = case.history if at is None else [e for e in case.history if e.at <= at]
    return policy_for_case(case.definition, case.inquiry, history, policies=policies, units=units)
