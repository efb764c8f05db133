"""Due work: SLA warnings and breaches, automatic rules as data, and unit queues."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Annotated, Any, NamedTuple, Protocol, Self

from pydantic import Field, JsonValue, ValidationError, model_validator

from vss_care_core.calendar import WorkingCalendar, vietnam_calendar
from vss_care_core.errors import DefinitionError, InvalidInputError
from vss_care_core.models import CareModel, Event, Priority, ProcessFamily, require_aware
from vss_care_core.process import MOVE_TAGS, STEP_TAGS, Case
from vss_care_core.routing import Agent
from vss_care_core.sla import LimitUnit, SlaPolicy, SlaState, UnitCalendars, sla_status

__all__ = [
    "DEFAULT_RULES",
    "CaseSource",
    "DueItem",
    "DueKind",
    "DueRule",
    "apply_due",
    "due",
    "load_rules",
    "next_case",
    "next_rule_at",
]

_Code = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_-]*$")]
_Label = Annotated[str, Field(min_length=1, max_length=200)]
_DAY_UNITS = frozenset({"working_days", "calendar_days", "months", "years"})


class DueKind(StrEnum):
    """Why an item is due."""

    SLA_WARNING = "sla_warning"
    """An SLA clock crossed (or will cross within the horizon) a warning threshold."""
    SLA_DUE = "sla_due"
    """An SLA deadline falls within the horizon."""
    SLA_BREACH = "sla_breach"
    """An SLA deadline passed while the case is still open."""
    RULE = "rule"
    """An automatic rule's time has come (a move to make, or a notice to send)."""


class DueRule(CareModel):
    """An automatic rule, as data: after ``limit`` (counted in ``unit``, as SLA targets count)
    in one of ``states`` without a move, make the move ``action`` with ``data`` (or, without
    an action, just give notice).

    ``since`` is ``"last_event"`` (no move for that long: "no response within 4 working
    hours") or ``"entered"`` (that long since the case entered its current state: "a request
    for information unanswered for 10 working days"). ``family`` limits the rule to one process
    family; empty ``states`` means every state in which the case is active (not paused).

    A rule can name the process's vocabulary instead of its codes, so that it holds for any
    definition (a renamed or extended copy of a standard process): ``waiting_after`` (a move
    tag, see :data:`~vss_care_core.process.MOVE_TAGS`) stands for the states that moves with
    that tag lead to (``"request_info"``: waiting for the requester), ``before_step`` (a step
    tag, see :data:`~vss_care_core.process.STEP_TAGS`) for the steps before the first step with
    that tag (``"answer"``: nobody has started on the answer yet), and ``action_tag`` for the
    move to make, the action allowed now that carries that tag (``"withdraw"``,
    ``"priority"``). The shipped rules are written that way.
    """

    name: _Code
    label_vi: _Label
    label_en: _Label
    family: ProcessFamily | None = None
    states: tuple[_Code, ...] = ()
    since: str = "last_event"
    unit: LimitUnit
    limit: timedelta | int
    when_priority_below: Priority | None = None
    """The rule applies only while the case's priority is below this one (so that a rule
    that raises the priority acts once)."""
    action: _Code | None = None
    action_tag: _Code | None = None
    waiting_after: _Code | None = None
    before_step: _Code | None = None
    data: dict[str, JsonValue] = Field(default_factory=dict)
    source: Annotated[str, Field(min_length=1, max_length=500)]
    """Why the rule exists: a cited rule, or text starting with ``ASSUMED``."""

    def action_for(self, case: Case) -> str | None:
        """The action this rule makes on ``case`` now (its ``action``, or the allowed action
        carrying ``action_tag``); None when it makes none or none is allowed."""
        allowed = case.allowed()
        if self.action_tag is not None:
            tagged = sorted(case.definition.actions_tagged(self.action_tag) & set(allowed))
            return tagged[0] if tagged else None
        return self.action if self.action in allowed else None

    def applies_in(self, case: Case) -> bool:
        """Whether the case's state is one this rule watches."""
        definition = case.definition
        if self.waiting_after is not None:
            return case.state in definition.states_entered_by(self.waiting_after)
        if self.before_step is not None:
            tagged = definition.steps_tagged(self.before_step)
            codes = definition.step_codes
            first = codes.index(tagged[0]) if tagged else len(codes)
            return case.state in codes[:first]
        if self.states:
            return case.state in self.states
        return not case.is_paused

    @model_validator(mode="after")
    def _check(self) -> Self:
        problems = []
        if self.since not in ("last_event", "entered"):
            problems.append(f"since {self.since!r} must be 'last_event' or 'entered'")
        if self.action is not None and self.action_tag is not None:
            problems.append("give either action or action_tag, not both")
        watched = [self.states, self.waiting_after, self.before_step]
        if sum(bool(choice) for choice in watched) > 1:
            problems.append("give one of states, waiting_after and before_step")
        for key, tag in (("action_tag", self.action_tag), ("waiting_after", self.waiting_after)):
            if tag is not None and tag not in MOVE_TAGS:
                problems.append(
                    f"{key} {tag!r} is not a move tag; use one of {', '.join(sorted(MOVE_TAGS))}"
                )
        if self.before_step is not None and self.before_step not in STEP_TAGS:
            problems.append(
                f"before_step {self.before_step!r} is not a step tag; use one of "
                f"{', '.join(sorted(STEP_TAGS))}"
            )
        if self.unit in _DAY_UNITS and not isinstance(self.limit, int):
            problems.append(f"a limit in {self.unit} is a whole number of days")
        if self.unit not in _DAY_UNITS and not isinstance(self.limit, timedelta):
            problems.append(f"a limit in {self.unit} is a duration such as 'PT4H'")
        if isinstance(self.limit, int) and self.limit < 1:
            problems.append("the limit must be at least one day")
        if isinstance(self.limit, timedelta) and self.limit <= timedelta(0):
            problems.append("the limit must be a positive duration")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def due_at(
        self, start: datetime, calendar: WorkingCalendar, *, hours: WorkingCalendar | None = None
    ) -> datetime:
        """When the rule's time comes, counted from ``start``: days on ``calendar`` (the case's),
        a limit in ``working_time`` on ``hours`` (the calendar of the unit holding the case;
        ``calendar`` by default)."""
        limit = self.limit
        if isinstance(limit, int):
            if self.unit == "working_days":
                return calendar.add_working_days(start, limit)
            if self.unit == "months":
                return calendar.add_months(start, limit)
            if self.unit == "years":
                return calendar.add_years(start, limit)
            return calendar.add_days(start, limit)
        if self.unit == "working_time":
            return (hours if hours is not None else calendar).add(start, limit)
        return (start + limit).astimezone(calendar.zone)


class DueItem(CareModel):
    """One thing due on one case, with its reason.

    ``due_at`` is when it became (or becomes) due; ``action`` and ``data`` the move to make, if
    any (:func:`apply_due` makes it); ``event_id`` the id that move gets, derived from the rule
    or target, the case and ``due_at``, so that it is made once however often it is asked for.
    """

    kind: DueKind
    case_id: str
    name: str
    """The rule or SLA target."""
    reason_vi: str
    reason_en: str
    due_at: datetime
    priority: Priority
    action: str | None = None
    data: dict[str, JsonValue] = Field(default_factory=dict)
    event_id: str | None = None


def _event_id(name: str, case_id: str, due_at: datetime) -> str:
    key = f"{name}|{case_id}|{due_at.isoformat()}".encode()
    return "due-" + hashlib.sha256(key).hexdigest()[:40]


def load_rules(data: Sequence[Mapping[str, Any]]) -> tuple[DueRule, ...]:
    """Rules from plain data (a list of mappings, as in the shipped ``default_rules.json``);
    every problem is reported at once."""
    rules = []
    problems = []
    for index, item in enumerate(data):
        try:
            rules.append(DueRule.model_validate(item))
        except ValidationError as error:
            for detail in error.errors(include_url=False, include_input=False):
                where = ".".join(str(p) for p in detail["loc"]) or "rule"
                message = str(detail["msg"]).removeprefix("Value error, ")
                problems.append(f"rules[{index}].{where}: {message}")
    names = [rule.name for rule in rules]
    problems.extend(
        f"rule {name!r} is defined more than once"
        for name in sorted({n for n in names if names.count(n) > 1})
    )
    if problems:
        raise DefinitionError("due rules", problems)
    return tuple(rules)


@cache
def _default_rules() -> tuple[DueRule, ...]:
    text = resources.files("vss_care_core.due").joinpath("data", "default_rules.json")
    return load_rules(json.loads(text.read_text(encoding="utf-8"))["rules"])


DEFAULT_RULES: tuple[DueRule, ...] = _default_rules()
"""The shipped rules (``due/data/default_rules.json``; every one ASSUMED, to adapt): escalate a
written case nobody moved for 4 working hours, remind a requester asked for information 5
working days ago, close as withdrawn a request unanswered for 10 working days."""


def _entered_at(case: Case) -> datetime:
    """When the case entered its current state (a move that keeps the state does not count)."""
    history = case.history
    for event in reversed(history):
        if event.to_state == case.state and event.from_state != case.state:
            return event.at
    return history[0].at


class _TimedRule(NamedTuple):
    """A rule that watches a case, the move it would make, and when it comes due."""

    rule: DueRule
    action: str | None
    due_at: datetime


def _timed_rules(
    case: Case, rules: Sequence[DueRule], calendar: WorkingCalendar, units: UnitCalendars | None
) -> Iterator[_TimedRule]:
    """The rules that watch ``case`` as it stands, each with when it comes due."""
    hours = units.calendar_of(case.facts.unit, calendar) if units is not None else calendar
    for rule in rules:
        if rule.family is not None and rule.family is not case.definition.family:
            continue
        if not rule.applies_in(case):
            continue
        action = rule.action_for(case)
        if action is None and (rule.action is not None or rule.action_tag is not None):
            continue  # its move is not allowed now
        below = rule.when_priority_below
        if below is not None and case.priority.rank >= below.rank:
            continue
        start = case.history[-1].at if rule.since == "last_event" else _entered_at(case)
        yield _TimedRule(rule, action, rule.due_at(start, calendar, hours=hours))


def next_rule_at(
    case: Case,
    *,
    after: datetime,
    rules: Sequence[DueRule] | None = None,
    calendar: WorkingCalendar | None = None,
    units: UnitCalendars | None = None,
) -> datetime | None:
    """The next moment after ``after`` when an automatic rule (``rules``, the shipped ones by
    default) comes due on ``case`` as it stands; None when the case is closed or no rule
    watches it. A store's next-alert rule for an application that acts on the automatic rules:
    ``lambda case: next_rule_at(case, after=case.history[-1].at)``."""
    require_aware(after, "after")
    if not case.is_open:
        return None
    calendar = calendar if calendar is not None else vietnam_calendar()
    rules = DEFAULT_RULES if rules is None else tuple(rules)
    moments = [timed.due_at for timed in _timed_rules(case, rules, calendar, units)]
    return min((moment for moment in moments if moment > after), default=None)


def _rule_items(
    case: Case,
    rules: Sequence[DueRule],
    at: datetime,
    calendar: WorkingCalendar,
    units: UnitCalendars | None,
) -> list[DueItem]:
    items = []
    known = {event.id for event in case.history}
    for timed in _timed_rules(case, rules, calendar, units):
        if timed.due_at > at:
            continue
        rule = timed.rule
        event_id = _event_id(rule.name, case.id, timed.due_at)
        if event_id in known:
            continue  # already applied
        items.append(
            DueItem(
                kind=DueKind.RULE,
                case_id=case.id,
                name=rule.name,
                reason_vi=rule.label_vi,
                reason_en=rule.label_en,
                due_at=timed.due_at,
                priority=case.priority,
                action=timed.action,
                data=dict(rule.data),
                event_id=event_id,
            )
        )
    return items


def _sla_items(
    case: Case,
    *,
    at: datetime,
    horizon: timedelta,
    policy: SlaPolicy | None,
    calendar: WorkingCalendar,
    units: UnitCalendars | None,
) -> list[DueItem]:
    items = []
    for timer in sla_status(case, at=at, policy=policy, calendar=calendar, units=units):
        target = timer.target.name
        if timer.state is SlaState.BREACHED and timer.breached_at is not None:
            items.append(
                DueItem(
                    kind=DueKind.SLA_BREACH,
                    case_id=case.id,
                    name=target,
                    reason_vi=f"Đã quá hạn '{target}'",
                    reason_en=f"Past the '{target}' deadline",
                    due_at=timer.breached_at,
                    priority=case.priority,
                )
            )
        elif timer.state is SlaState.RUNNING and timer.deadline is not None:
            if timer.deadline <= at + horizon:
                kind, vi, en = DueKind.SLA_DUE, "Sắp đến hạn", "Deadline soon"
                moment = timer.deadline
            elif timer.warnings or (
                timer.next_alert_at is not None and timer.next_alert_at <= at + horizon
            ):
                kind, vi, en = DueKind.SLA_WARNING, "Cảnh báo thời hạn", "Deadline warning"
                moment = timer.next_alert_at or at
            else:
                continue
            items.append(
                DueItem(
                    kind=kind,
                    case_id=case.id,
                    name=target,
                    reason_vi=f"{vi} '{target}' ({timer.deadline.isoformat()})",
                    reason_en=f"{en} for '{target}' ({timer.deadline.isoformat()})",
                    due_at=moment,
                    priority=case.priority,
                )
            )
    return items


_ORDER = {DueKind.SLA_BREACH: 0, DueKind.SLA_DUE: 1, DueKind.RULE: 2, DueKind.SLA_WARNING: 3}


class _StoredCase(Protocol):
    @property
    def case_id(self) -> str: ...


class CaseSource(Protocol):
    """What :func:`due` reads of a case store (:class:`vss_care_core.store.CaseStore` has
    it): the open cases whose next alert falls before a moment, and each case rebuilt."""

    def open_cases(self, *, due_before: datetime | None = None) -> Sequence[_StoredCase]: ...

    def load(self, case_id: str) -> Case: ...


def due(
    cases: Iterable[Case] | CaseSource,
    *,
    at: datetime,
    horizon: timedelta = timedelta(hours=2),
    rules: Sequence[DueRule] | None = None,
    policies: Mapping[str, SlaPolicy] | None = None,
    calendar: WorkingCalendar | None = None,
    units: UnitCalendars | None = None,
) -> tuple[DueItem, ...]:
    """What is due at ``at`` on the open ``cases``, most urgent first.

    SLA breaches, deadlines within ``horizon``, the automatic ``rules`` (the shipped
    :data:`DEFAULT_RULES` by default) whose time has come, and SLA warnings; in that order, then
    by priority (highest first), then by due time.

    ``cases`` is the open cases, or a case store: then only the cases whose indexed next alert
    falls before ``at + horizon`` are loaded and looked at, so the answer costs what is due, not
    what is open (give the store a next-alert rule that covers your automatic rules too, or
    pass the cases). ``policies`` maps a case id to its SLA
    policy when it is not the default one; ``calendar`` counts working time (the Vietnamese
    state-agency calendar by default); with ``units``
    (:class:`~vss_care_core.sla.UnitCalendars`) the unit holding a case selects its policy and
    counts opening hours on its own calendar, for the SLA clocks and for the automatic rules
    counted in ``working_time``. A pure function: nothing is read from the clock and nothing
    changes.
    """
    require_aware(at, "at")
    if horizon < timedelta(0):
        raise InvalidInputError("horizon= must be zero or positive (e.g. timedelta(hours=2))")
    calendar = calendar if calendar is not None else vietnam_calendar()
    rules = DEFAULT_RULES if rules is None else tuple(rules)
    if not isinstance(cases, Iterable):
        store = cases
        rows = store.open_cases(due_before=at + horizon)
        cases = [store.load(row.case_id) for row in rows]
    items: list[DueItem] = []
    for case in cases:
        if not case.is_open or case.history[0].at > at:
            continue
        policy = policies.get(case.id) if policies is not None else None
        items.extend(
            _sla_items(case, at=at, horizon=horizon, policy=policy, calendar=calendar, units=units)
        )
        items.extend(_rule_items(case, rules, at, calendar, units))
    items.sort(key=lambda item: (_ORDER[item.kind], -item.priority.rank, item.due_at, item.case_id))
    return tuple(items)


def apply_due(case: Case, item: DueItem, *, at: datetime, by: str = "system") -> Event | None:
    """Make the move ``item`` asks for on ``case`` (None when it asks for none).

    The move carries the item's ``event_id``, so applying the same item again returns the
    event already recorded instead of acting twice.
    """
    if item.case_id != case.id:
        raise InvalidInputError(f"the item is for case {item.case_id!r}, not {case.id!r}")
    if item.action is None:
        return None
    data: dict[str, Any] = dict(item.data)
    return case.fire(item.action, at=at, by=by, event_id=item.event_id, **data)


def _deadline(
    case: Case, at: datetime, calendar: WorkingCalendar, units: UnitCalendars | None
) -> datetime | None:
    deadlines = [
        timer.deadline
        for timer in sla_status(case, at=at, calendar=calendar, units=units)
        if timer.state in (SlaState.RUNNING, SlaState.BREACHED) and timer.deadline is not None
    ]
    return min(deadlines) if deadlines else None


def next_case(
    cases: Iterable[Case],
    *,
    unit: str,
    agent: Agent | None = None,
    at: datetime,
    calendar: WorkingCalendar | None = None,
    units: UnitCalendars | None = None,
) -> tuple[Case, ...]:
    """The queue of ``unit`` at ``at``, the case to take next first.

    The unit's open, active (not paused) cases, those the ``agent`` can take (the agent's
    policy areas meet the case's, when both are known), ordered by priority (highest first),
    then SLA urgency (the nearest deadline of a running or breached clock), then age (the
    oldest inquiry first). ``calendar`` and ``units`` count the SLA clocks as in :func:`due`.
    """
    require_aware(at, "at")
    calendar = calendar if calendar is not None else vietnam_calendar()
    far = datetime.max.replace(tzinfo=at.tzinfo)
    ranked: list[_QueueEntry] = []
    for case in cases:
        if not case.is_open or case.is_paused or case.facts.unit != unit:
            continue
        if agent is not None and agent.policy_areas:
            classification = case.classification
            areas = set(classification.policy_areas) if classification is not None else set()
            if areas and not areas & set(agent.policy_areas):
                continue
        ranked.append(
            _QueueEntry(
                urgency=-case.priority.rank,
                deadline=_deadline(case, at, calendar, units) or far,
                received_at=case.inquiry.received_at,
                case_id=case.id,
                case=case,
            )
        )
    ranked.sort(key=_QueueEntry.order)
    return tuple(entry.case for entry in ranked)


class _QueueEntry(NamedTuple):
    urgency: int
    deadline: datetime
    received_at: datetime
    case_id: str
    case: Case

    def order(self) -> tuple[int, datetime, datetime, str]:
        return (self.urgency, self.deadline, self.received_at, self.case_id)
