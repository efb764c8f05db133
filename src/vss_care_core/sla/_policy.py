"""SLA targets and policies: what is timed, from which event to which, within what limit."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import MappingProxyType
from typing import Literal, TypeAlias, final

from vss_care_core.errors import SlaPolicyError, UnknownNameError
from vss_care_core.models import Channel, InquiryKind, Priority, ProcessFamily, UnitLevel

__all__ = ["ASSUMED", "LimitUnit", "SlaPolicy", "SlaTarget"]

LimitUnit: TypeAlias = Literal[
    "working_time", "elapsed", "working_days", "calendar_days", "months", "years"
]
"""How a limit is counted.

- ``working_time``: a duration of opening hours of the calendar (lunch, nights, holidays do not
  count);
- ``elapsed``: a plain duration, every second counts (a 24/7 hotline);
- ``working_days``: N working days counted as the law does (the event's day not counted, the
  period ends at 24:00 of its last day);
- ``calendar_days``: N days counted as the law does, ending at 24:00 of the last day, or of the
  next working day when the last day is not one;
- ``months`` and ``years``: N months or years counted as the Civil Code does (Art. 147-148:
  the corresponding day of the last month, or that month's last day when it has none, then the
  next working day when that day is not one), ending at 24:00.
"""

ASSUMED = "ASSUMED"
"""The prefix of ``SlaTarget.source`` for a default that no public source confirms."""

_TRIGGER = re.compile(r"^(?:(?:complete|enter):)?[a-z][a-z0-9_]*$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_DAY_UNITS = ("working_days", "calendar_days", "months", "years")
_UNITS = ("working_time", "elapsed", *_DAY_UNITS)
_PRIORITIES = frozenset(p.value for p in Priority)

Limit: TypeAlias = timedelta | int
"""A duration (for ``working_time`` and ``elapsed``) or a whole number (of days, months or
years, for the other units)."""


def _check_limit(unit: str, limit: object, what: str, problems: list[str]) -> None:
    if unit in _DAY_UNITS:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            counted = {"months": "months", "years": "years"}.get(unit, "days")
            problems.append(
                f"{what} must be a whole number of {counted} >= 1 for {unit}, got {limit!r}"
            )
    elif not isinstance(limit, timedelta) or limit <= timedelta(0):
        problems.append(f"{what} must be a positive timedelta for {unit}, got {limit!r}")


def _check_trigger(value: object, what: str, problems: list[str]) -> None:
    if not isinstance(value, str) or not _TRIGGER.match(value):
        problems.append(
            f"{what} {value!r} is not a trigger; use 'open', 'end', an action such as 'forward', "
            "'complete:<step>' or 'enter:<state>'"
        )


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class SlaTarget:
    """One timed commitment on a case, e.g. "answer a written question within 15 working days".

    - ``name``: a short code (``answer``, ``accept``, ``resolve``...).
    - ``unit`` and ``limit``: see :data:`LimitUnit`; ``limit`` is a ``timedelta`` for time
      units and a number of days for day units. ``priority_limits`` overrides it per priority:
      the limit of the priority in force at the time of evaluation applies, counted from the
      original start, paused time kept.
    - ``start``: the event that starts the clock; ``stop``: the events that stop it for good.
      A trigger is ``"open"``, ``"end"`` (the case reaches an outcome), an action name
      (``"forward"``, ``"escalate"``), ``"complete:<step>"`` or ``"enter:<state>"``. The case
      reaching an outcome always stops the clock.
    - ``pause``: states in which the clock does not run (``"on_hold"``, ``"awaiting_info"``,
      ``"suspended"``); ``pause_from``: a date (local) before which these states do not pause
      the clock, for a rule coming into force (suspension of complaints from 1 July 2026).
    - ``step``: makes a per-step target: the clock runs only while the case is in this step (or
      state), so the time a step used is charged to that step alone.
    - ``warn_at``: warning thresholds as fractions of the limit, e.g. ``(0.5, 0.75)``.
    - ``source``: the legal source of the limit, or text starting with ``"ASSUMED"`` for a
      default of ours.

    Built values are checked: every problem is reported at once in a
    :class:`~vss_care_core.errors.SlaPolicyError`.
    """

    name: str
    unit: LimitUnit
    limit: Limit
    source: str
    description: str = ""
    priority_limits: Mapping[Priority, Limit] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )
    start: str = "open"
    stop: tuple[str, ...] = ("end",)
    pause: tuple[str, ...] = ()
    pause_from: date | None = None
    step: str | None = None
    warn_at: tuple[float, ...] = (0.5, 0.75)

    def __post_init__(self) -> None:
        problems: list[str] = []
        what = f"SLA target {self.name!r}"
        if not isinstance(self.name, str) or not _NAME.match(self.name):
            problems.append(f"name {self.name!r} must be a lowercase code such as 'answer'")
        limits = dict(self.priority_limits)
        self._check_limits(limits, problems)
        _check_trigger(self.start, "start", problems)
        stops = tuple(self.stop)
        for trigger in stops:
            _check_trigger(trigger, "stop", problems)
        pauses = tuple(self.pause)
        self._check_states(pauses, problems)
        warn = tuple(self.warn_at)
        if any(not isinstance(w, int | float) or not 0 < w < 1 for w in warn):
            problems.append(f"warn_at {warn!r} must hold fractions strictly between 0 and 1")
        elif list(warn) != sorted(set(warn)):
            problems.append(f"warn_at {warn!r} must be increasing, without repeats")
        if not isinstance(self.source, str) or not self.source.strip():
            problems.append(
                "source is empty: cite the legal source of the limit, or start with 'ASSUMED'"
            )
        if problems:
            raise SlaPolicyError(what, problems)
        frozen = MappingProxyType({Priority(p): v for p, v in limits.items()})
        object.__setattr__(self, "priority_limits", frozen)
        object.__setattr__(self, "stop", stops)
        object.__setattr__(self, "pause", pauses)
        object.__setattr__(self, "warn_at", tuple(float(w) for w in warn))

    def _check_limits(self, limits: dict[Priority, Limit], problems: list[str]) -> None:
        if self.unit not in _UNITS:
            problems.append(f"unit {self.unit!r} is not one of {', '.join(_UNITS)}")
            return
        _check_limit(self.unit, self.limit, "limit", problems)
        for priority, limit in limits.items():
            if priority not in _PRIORITIES:
                problems.append(f"priority_limits: {priority!r} is not a priority")
            else:
                _check_limit(self.unit, limit, f"priority_limits[{priority}]", problems)

    def _check_states(self, pauses: tuple[str, ...], problems: list[str]) -> None:
        for state in pauses:
            if not isinstance(state, str) or not _NAME.match(state):
                problems.append(f"pause state {state!r} must be a state code such as 'on_hold'")
        if self.step is not None and (not isinstance(self.step, str) or not _NAME.match(self.step)):
            problems.append(f"step {self.step!r} must be a step code such as 'draft'")
        if self.step is not None and self.step in pauses:
            problems.append(f"step {self.step!r} is also a pause state; a clock cannot do both")

    @property
    def assumed(self) -> bool:
        """True when the limit is our assumption, not a cited rule."""
        return self.source.strip().upper().startswith(ASSUMED)

    def limit_for(self, priority: Priority) -> Limit:
        """The limit that applies to a case of this priority."""
        return self.priority_limits.get(priority, self.limit)


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class SlaPolicy:
    """The SLA targets that apply to a set of cases, chosen by process, channel, kind, priority
    and the unit that holds the case.

    ``processes`` are process families (``call``, ``written``): a policy applies to every
    definition of that family, a renamed or extended copy of a standard process included.
    ``units`` are unit codes and ``unit_levels`` unit levels (``provincial``, ``grassroots``...):
    they select by the unit that holds the case at the moment asked about (the unit named last
    by an assignment or a transfer), the level read from the directory of
    :class:`~vss_care_core.sla.UnitCalendars`. An empty selector (``channels=()``...) matches
    anything. ``selectable=False`` marks a
    variant that is never chosen automatically, only by name (a complex complaint, a remote
    area). Targets are independent: each has its own clock.
    """

    name: str
    targets: tuple[SlaTarget, ...]
    description: str = ""
    processes: tuple[str, ...] = ()
    channels: tuple[Channel, ...] = ()
    kinds: tuple[InquiryKind, ...] = ()
    priorities: tuple[Priority, ...] = ()
    units: tuple[str, ...] = ()
    unit_levels: tuple[UnitLevel, ...] = ()
    selectable: bool = True

    def __post_init__(self) -> None:
        problems: list[str] = []
        targets = tuple(self.targets)
        if not targets:
            problems.append("a policy needs at least one target")
        names = [t.name for t in targets if isinstance(t, SlaTarget)]
        if len(targets) != len(names):
            problems.append("targets must be SlaTarget values")
        for duplicate in sorted({n for n in names if names.count(n) > 1}):
            problems.append(f"target {duplicate!r} is defined more than once")
        families = [family.value for family in ProcessFamily]
        for process in self.processes:
            if process not in families:
                problems.append(
                    f"process {process!r} is not a process family ({', '.join(families)})"
                )
        try:
            channels = tuple(Channel(c) for c in self.channels)
            kinds = tuple(InquiryKind(k) for k in self.kinds)
            priorities = tuple(Priority(p) for p in self.priorities)
        except ValueError as exc:
            problems.append(str(exc))
        levels: tuple[UnitLevel, ...] = ()
        try:
            levels = tuple(UnitLevel(level) for level in self.unit_levels)
        except ValueError:
            known = ", ".join(level.value for level in UnitLevel)
            problems.append(f"unit_levels {list(self.unit_levels)!r}: use levels among {known}")
        units = tuple(self.units)
        if any(not isinstance(unit, str) or not unit for unit in units):
            problems.append(f"units {list(units)!r} must be unit codes such as 'BHXH-HA-NOI'")
        if problems:
            raise SlaPolicyError(f"SLA policy {self.name!r}", problems)
        object.__setattr__(self, "targets", targets)
        object.__setattr__(self, "processes", tuple(self.processes))
        object.__setattr__(self, "channels", channels)
        object.__setattr__(self, "kinds", kinds)
        object.__setattr__(self, "priorities", priorities)
        object.__setattr__(self, "units", units)
        object.__setattr__(self, "unit_levels", levels)

    def matches(
        self,
        *,
        process: str,
        channel: Channel,
        kind: InquiryKind | None,
        priority: Priority,
        unit: str | None = None,
        unit_level: str | None = None,
    ) -> bool:
        """Whether this policy applies to a case with these properties (``unit`` and
        ``unit_level``: the unit that holds the case and its level, None when unknown)."""
        return (
            (not self.processes or process in self.processes)
            and (not self.channels or channel in self.channels)
            and (not self.kinds or kind in self.kinds)
            and (not self.priorities or priority in self.priorities)
            and (not self.units or unit in self.units)
            and (not self.unit_levels or unit_level in self.unit_levels)
        )

    def target(self, name: str) -> SlaTarget:
        """The target called ``name``; :class:`~vss_care_core.errors.UnknownNameError` (a
        ``KeyError``) when the policy has none."""
        for target in self.targets:
            if target.name == name:
                return target
        known = [t.name for t in self.targets]
        raise UnknownNameError(f"target of the SLA policy {self.name!r}", name, known)
