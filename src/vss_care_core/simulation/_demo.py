"""The demo: the Customer Care Center simulated for a few working days, through the real API.

Every inquiry is a validated :class:`~vss_care_core.models.Inquiry`; every case is opened with
:func:`~vss_care_core.process.open_case` and moved only with ``complete`` and ``fire`` (so the
process refuses anything the standard does not allow); written cases are routed by the default
:class:`~vss_care_core.routing.RoutingTable`; survey answers are
:class:`~vss_care_core.monitoring.SatisfactionResponse`.

The cases live in a SQLite case store (:mod:`vss_care_core.store`): every move is stored as it
is made, with the version the desk read; at every working hour the centre asks
:func:`~vss_care_core.due.due` what is due and makes the moves the rules ask for
(:func:`~vss_care_core.due.apply_due`); the event log is written from the store's outbox. With
``flood=True``, one question floods in after a policy change: a
:class:`~vss_care_core.monitoring.SurgeDetector` sees every arrival, and when it raises the
surge the centre writes one master answer and delivers it to the general questions
(:func:`~vss_care_core.process.deliver_master_answer`).

Time is simulated: every moment is an explicit aware datetime, and the same seed gives the same
log (up to the ids of the moves a master answer delivers, which are random).
"""

from __future__ import annotations

import heapq
import math
import random
import tempfile
from collections.abc import Callable, Generator, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

from vss_care_core.calendar import WorkingCalendar, vietnam_calendar
from vss_care_core.knowledge import KnowledgeBase, StaleEntry, sample_knowledge_base
from vss_care_core.models import VIETNAM_TZ, Answer, Channel, Event, Inquiry
from vss_care_core.monitoring import (
    DuplicateKind,
    KpiAccumulator,
    KpiReport,
    KpiSettings,
    LogRecord,
    SatisfactionResponse,
    Surge,
    SurgeDetector,
    SurgeSettings,
    encode_record,
    find_duplicates,
    format_number,
    kpi_summary,
    read_event_log,
    render_html,
)
from vss_care_core.process import Case, open_case
from vss_care_core.routing import Agent, RoutingTable, assign
from vss_care_core.simulation._catalogue import OPENINGS, TEMPLATES, Template
from vss_care_core.simulation._desk import MasterDesk
from vss_care_core.simulation._flood import FLOOD_CHANNELS, FLOOD_GENERAL, FLOOD_PERSONAL
from vss_care_core.simulation._people import make_person
from vss_care_core.simulation._world import Contact, Script, World, alert_rule
from vss_care_core.sla import SlaState, sla_status
from vss_care_core.store import CaseStore, SQLiteCaseStore

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_START",
    "DemoAssumptions",
    "DemoResult",
    "Simulation",
    "run_demo",
    "simulate",
]

DEFAULT_SEED = 2021
"""The default random seed (the year of the seed article)."""
DEFAULT_START = date(2026, 3, 2)
"""The default first simulated day: a Monday."""
STORE_NAME = "cases.sqlite"
"""The case store's file in the demo's folder."""

_CALL_HOURS = {
    7: 3,
    8: 10,
    9: 13,
    10: 13,
    11: 10,
    12: 5,
    13: 8,
    14: 12,
    15: 11,
    16: 9,
    17: 4,
    18: 2,
}
_ONLINE_HOURS = {
    6: 1, 7: 3, 8: 6, 9: 8, 10: 8, 11: 7, 12: 5, 13: 5, 14: 7, 15: 7, 16: 6, 17: 5,
    18: 4, 19: 5, 20: 6, 21: 5, 22: 3, 23: 1,
}  # fmt: skip
_POST_HOURS = {8: 3, 9: 2, 10: 1}
_OPEN_HOUR = 7
_RECONTACT_WINDOW = timedelta(days=7)
_FLOOD_FIRST_DAY = 2
"""The flood begins on the third simulated working day: the surge detector counts growth
against a baseline of two working days, and raises nothing before it has seen them."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoAssumptions:
    """The shares and times the simulation assumes (ours: VSS publishes none of them).

    Volumes: 1,400 calls per working day (355,489 calls in 2020 over about 250 working days),
    and written inquiries per working day by channel (about a quarter of all contacts).
    Calls: answered by ``agents`` agents from 07:00 to 19:00, first come first served; a caller
    waits at most an exponential patience (mean ``patience_seconds``) before hanging up.
    The flood (when simulated): ``flood_per_day`` more inquiries on each of its days, from the
    third simulated working day, ``flood_personal_share`` of them about the asker's own benefit.
    """

    calls_per_day: int = 1400
    written_per_day: tuple[tuple[str, int], ...] = (
        ("portal", 120),
        ("fanpage", 110),
        ("email", 90),
        ("zalo", 80),
        ("post", 25),
        ("sms", 15),
    )
    agents: int = 15
    patience_seconds: float = 90.0
    hold_share: float = 0.10
    transfer_share: float = 0.08
    escalate_share: float = 0.03
    dropped_share: float = 0.015
    recontact_share: float = 0.08
    organisation_share: float = 0.12
    request_info_share: float = 0.06
    info_never_given_share: float = 0.25
    return_draft_share: float = 0.08
    reopen_share: float = 0.04
    withdraw_share: float = 0.01
    slow_assignment_share: float = 0.05
    """Written cases left unassigned for a working day or so (an absent officer, a busy desk):
    the ones the due rule escalates."""
    survey_call_share: float = 0.25
    survey_written_share: float = 0.20
    flood_per_day: tuple[int, ...] = (420, 260, 140)
    flood_personal_share: float = 0.15


@dataclass(frozen=True, slots=True, kw_only=True)
class Simulation:
    """What :func:`simulate` produced: the log, the cases, and what the centre did."""

    records: list[LogRecord]
    """The event log, in time order: the store's outbox with the survey answers."""
    cases: list[Case]
    """Every case as its desk holds it at the end (the store holds the same)."""
    surges: tuple[Surge, ...] = ()
    """The surges the detector raised (none without a flood)."""
    master_cases: tuple[str, ...] = ()
    """The ids of the master cases written for them."""
    delivered: int = 0
    """Cases answered from a master answer."""
    due_moves: Mapping[str, int] = field(default_factory=dict)
    """Moves made by the due rules, by rule name."""
    due_notices: Mapping[str, int] = field(default_factory=dict)
    """Notices the due rules gave (no move), by rule name."""
    first_due_event: Event | None = None
    """The first move a due rule made, if any."""


@dataclass(frozen=True, slots=True)
class DemoResult:
    """What a demo run produced: the files, the figures and a printable summary."""

    events_path: Path
    report_path: Path
    store_path: Path
    report: KpiReport
    calls: int
    written: int
    records: int
    same_requester_groups: int
    same_question_groups: int
    largest_question_group: int
    open_at_risk: int
    surges: tuple[Surge, ...]
    delivered: int
    stale_entries: tuple[StaleEntry, ...]
    due_moves: Mapping[str, int]
    summary: str


@dataclass(slots=True)
class _Run:
    """One simulation: the world, its assumptions, and the flood's desk if there is one."""

    world: World
    assumptions: DemoAssumptions
    desk: MasterDesk | None
    detector: SurgeDetector | None


def _moment(day: date, hours: Mapping[int, int], rng: random.Random) -> datetime:
    hour = rng.choices(list(hours), weights=list(hours.values()))[0]
    seconds = rng.randrange(3600)
    return datetime.combine(day, time(hour), tzinfo=VIETNAM_TZ) + timedelta(seconds=seconds)


def _question(run: _Run, channel: str, at: datetime) -> tuple[dict[str, Any], Template]:
    world = run.world
    rng = world.rng
    recent = world.recent
    while recent and at - recent[0].at > _RECONTACT_WINDOW:
        recent.popleft()
    if recent and rng.random() < run.assumptions.recontact_share:
        earlier = recent[rng.randrange(len(recent))]
        return dict(earlier.person), earlier.template
    template = rng.choices(TEMPLATES, weights=[t.weight for t in TEMPLATES])[0]
    organisation = channel != "phone" and rng.random() < run.assumptions.organisation_share
    return make_person(rng, organisation=organisation), template


def _inquiry(run: _Run, channel: str, at: datetime, flood: Template | None) -> Inquiry:
    world = run.world
    if flood is None:
        person, template = _question(run, channel, at)
    else:
        person, template = make_person(world.rng, organisation=False), flood
    opening = world.rng.choice(OPENINGS)
    inquiry = Inquiry(
        id=world.next_id(),
        channel=channel,
        received_at=at,
        requester=person,
        subject=template.subject,
        content=opening + template.text,
    )
    world.recent.append(Contact(person, template, at))
    world.templates[inquiry.id] = template
    world.inquiries[inquiry.id] = inquiry
    return inquiry


def _answer(template: Template, *, discloses: bool = False) -> Answer:
    return Answer(
        text=template.answer, legal_basis=template.legal_basis, discloses_personal_data=discloses
    )


def _classification(template: Template) -> dict[str, Any]:
    return {"kind": template.kind, "policy_areas": list(template.areas), "topic": template.topic}


class _CallDriver:
    """Moves one call as it goes, never past the horizon; each move is stored at its moment.

    A call is handled in one go by its agent (nobody else moves it), so its moves are decided
    at once and stored when simulated time reaches each of them.
    """

    def __init__(self, world: World, case: Case) -> None:
        self.world = world
        self.case = case
        self.count = 1
        self.stopped = False

    def _eid(self) -> str:
        self.count += 1
        return f"{self.case.id}.{self.count}"

    def _store_later(self, event: Event) -> None:
        self.world.plan(event.at, lambda: self.world.stored(event))

    def complete(self, step: str, at: datetime, by: str, **data: Any) -> bool:
        if self.stopped or at > self.world.horizon:
            self.stopped = True
            return False
        self._store_later(self.case.complete(step, at=at, by=by, event_id=self._eid(), **data))
        return True

    def fire(self, action: str, at: datetime, by: str, **data: Any) -> bool:
        if self.stopped or at > self.world.horizon:
            self.stopped = True
            return False
        self._store_later(self.case.fire(action, at=at, by=by, event_id=self._eid(), **data))
        return True


class _Driver:
    """Moves one written case when simulated time reaches each move, never past the horizon.

    Each move waits (``yield from``) until its moment; by then a due rule may have moved the
    case, or a master answer ended it: a case that has ended takes no more moves.
    """

    def __init__(self, world: World, case: Case) -> None:
        self.world = world
        self.case = case
        self.count = 1
        self.version = case.version
        """The case's version after this desk's last move."""

    def _eid(self) -> str:
        self.count += 1
        return f"{self.case.id}.{self.count}"

    def _ended_by_another(self) -> bool:
        """Whether someone else (a due rule, a master answer) ended the case meanwhile."""
        return self.case.version != self.version and not self.case.is_open

    def _make(self, at: datetime, move: Callable[[str], Event]) -> Generator[datetime, None, bool]:
        """Wait until ``at``, then make ``move`` (given its event id) and store it; False when
        the simulation ends first or someone else ended the case meanwhile."""
        if at > self.world.horizon:
            return False
        yield at
        if self._ended_by_another():
            return False
        self.world.stored(move(self._eid()))
        self.version = self.case.version
        return True

    def complete(
        self, step: str, at: datetime, by: str, **data: Any
    ) -> Generator[datetime, None, bool]:
        return (
            yield from self._make(
                at, lambda eid: self.case.complete(step, at=at, by=by, event_id=eid, **data)
            )
        )

    def fire(
        self, action: str, at: datetime, by: str, **data: Any
    ) -> Generator[datetime, None, bool]:
        return (
            yield from self._make(
                at, lambda eid: self.case.fire(action, at=at, by=by, event_id=eid, **data)
            )
        )


def _simulate_call(
    run: _Run, inquiry: Inquiry, template: Template, agents: list[tuple[datetime, int]]
) -> None:
    world = run.world
    rng = world.rng
    a = run.assumptions
    offered = inquiry.received_at
    case_id = f"c-{inquiry.id}"
    case = open_case(
        inquiry,
        at=offered,
        by="switchboard",
        case_id=case_id,
        event_id=f"{case_id}.1",
        units=world.table.directory,  # unit and agency codes are checked against it
    )
    world.add(case)
    drive = _CallDriver(world, case)
    free_at, agent = agents[0]
    wait = max((free_at - offered).total_seconds(), 0.0)
    patience = rng.expovariate(1 / a.patience_seconds)
    if wait > patience:
        drive.fire("abandon", offered + timedelta(seconds=patience), "switchboard")
        return
    by = f"agent-{agent:02d}"
    t = offered + timedelta(seconds=wait)
    drive.complete("greet", t, by)
    busy_until = _talk(run, drive, template, t, by)
    heapq.heapreplace(agents, (busy_until, agent))


def _talk(run: _Run, drive: _CallDriver, template: Template, t: datetime, by: str) -> datetime:
    """The answered call from identification to goodbye; returns when the agent is free."""
    world = run.world
    rng = world.rng
    a = run.assumptions
    case = drive.case
    verified = rng.random() < 0.8
    t += timedelta(seconds=rng.uniform(15, 45))
    drive.complete("identify", t, by, verified=verified)
    if rng.random() < a.dropped_share:
        end = t + timedelta(seconds=rng.uniform(10, 60))
        drive.fire("abandon", end, by)
        return end + timedelta(seconds=20)
    t += timedelta(seconds=rng.uniform(20, 120))
    if rng.random() < a.transfer_share:
        drive.fire("transfer", t, by, to=f"queue-{template.topic}")
        t += timedelta(seconds=rng.uniform(30, 90))
    drive.complete("listen", t, by)
    t += timedelta(seconds=rng.uniform(5, 20))
    drive.complete("classify", t, by, **_classification(template))
    if rng.random() < a.escalate_share or template.kind in {"complaint", "denunciation"}:
        t += timedelta(seconds=rng.uniform(20, 60))
        if drive.fire("escalate", t, by, follow_up_case_id=f"{case.id}-f"):
            follow = case.follow_up()
            if follow is not None:

                def take(follow: Case = follow, at: datetime = t) -> None:
                    _take_follow_up(run, follow, template, at)

                world.plan(t, take)
        return t + timedelta(seconds=rng.uniform(15, 60))
    if rng.random() < a.hold_share:
        t += timedelta(seconds=rng.uniform(10, 40))
        drive.fire("hold", t, by)
        t += timedelta(seconds=rng.uniform(20, 120))
        drive.fire("resume", t, by)
    t += timedelta(seconds=rng.lognormvariate(math.log(110), 0.5))
    general = run.desk.answer_for_call(case.inquiry, template) if run.desk else None
    if general is not None:  # the agent reads out the master answer
        drive.complete("respond", t, by, **general)
    else:
        discloses = verified and template.personal
        drive.complete("respond", t, by, answer=_answer(template, discloses=discloses))
    t += timedelta(seconds=rng.uniform(8, 30))
    drive.complete("confirm", t, by)
    t += timedelta(seconds=rng.uniform(4, 12))
    wrap_up = round(rng.uniform(15, 60))
    if drive.complete("close", t, by, wrap_up_seconds=wrap_up):
        _survey(run, case, t, template)
    return t + timedelta(seconds=wrap_up)


def _take_follow_up(run: _Run, follow: Case, template: Template, at: datetime) -> None:
    run.world.add(follow)
    run.world.start(_drive_written(run, follow, template, at, follow=True))


def _working(world: World, start: datetime, hours: float) -> datetime:
    return world.calendar.add(start, timedelta(hours=hours))


def _drive_written(  # noqa: PLR0911 - a case that has ended takes no more moves
    run: _Run, case: Case, template: Template, received: datetime, *, follow: bool = False
) -> Script:
    world = run.world
    rng = world.rng
    a = run.assumptions
    drive = _Driver(world, case)
    by = "intake-desk"
    t = _working(world, received, rng.uniform(0.2, 4.0))
    if not follow and rng.random() < a.withdraw_share:
        yield from drive.fire("withdraw", t, by)
        return
    if run.desk is not None and t <= world.horizon:
        yield t
        if run.desk.takes(case, template):  # the same question, answered once already
            run.desk.deliver(case, at=t)
            return
    if not (yield from drive.complete("intake", t, by, **_classification(template))):
        return
    decision = world.table.route(case)  # the case: read with the classification recorded
    slow = rng.random() < a.slow_assignment_share
    t = _working(world, t, rng.uniform(5, 12) if slow else rng.uniform(0.3, 3.0))
    if decision.forward:
        yield from drive.fire("forward", t, by, agency=decision.unit)
        return
    priority = decision.priority.value
    if decision.priority != case.priority and not (
        yield from drive.fire("set_priority", t, by, priority=priority)
    ):
        return
    staff = _assign(world, case, decision.unit)
    if not (yield from drive.complete("assign", t, by, unit=staff.unit, assignee=staff.id)):
        return
    if rng.random() < a.request_info_share:
        t = _working(world, t, rng.uniform(1, 8))
        note = "cần bổ sung giấy tờ"
        if not (yield from drive.fire("request_info", t, staff.id, note=note)):
            return
        if rng.random() < a.info_never_given_share:
            return
        t = _working(world, t, rng.uniform(8, 32))
        if not (yield from drive.fire("provide_info", t, "requester")):
            return
    yield from _answer_rounds(run, drive, template, t, staff.id)
    _release(world, staff)


def _agents(world: World, unit: str) -> list[Agent]:
    """The unit's desk officers: six generalists and two specialists (health insurance)."""
    agents = world.staff.get(unit)
    if agents is None:
        agents = [Agent(id=f"{unit}-cb{n}", unit=unit, capacity=40) for n in range(1, 7)]
        agents.extend(
            Agent(id=f"{unit}-yt{n}", unit=unit, capacity=40, policy_areas=("health",))
            for n in (1, 2)
        )
        world.staff[unit] = agents
    return agents


def _assign(world: World, case: Case, unit: str) -> Agent:
    """Choose the officer with :func:`~vss_care_core.routing.assign` (least loaded)."""
    choice = assign(case, _agents(world, unit), unit=unit)
    target = choice.unit
    agents = _agents(world, target)
    if choice.agent is None:  # nobody qualifies: the unit's first officer takes it anyway
        chosen = agents[0]
    else:
        chosen = next(agent for agent in agents if agent.id == choice.agent)
    taken = _with_open_cases(chosen, chosen.open_cases + 1)
    agents[agents.index(chosen)] = taken
    return taken


def _with_open_cases(agent: Agent, count: int) -> Agent:
    """The same officer with ``count`` open cases (validated like any agent)."""
    return Agent.model_validate({**agent.model_dump(), "open_cases": count})


def _release(world: World, agent: Agent) -> None:
    """The officer is done with the case."""
    agents = world.staff[agent.unit]
    for index, current in enumerate(agents):
        if current.id == agent.id and current.open_cases > 0:
            agents[index] = _with_open_cases(current, current.open_cases - 1)


def _answer_rounds(
    run: _Run, drive: _Driver, template: Template, t: datetime, staff: str
) -> Generator[datetime, None, None]:
    """Draft, review and send; a draft may come back, an answer may be reopened."""
    world = run.world
    rng = world.rng
    a = run.assumptions
    slow = template.kind in {"complaint", "denunciation"}
    for round_ in range(3):
        t = _working(world, t, rng.uniform(4, 60) if slow else rng.lognormvariate(1.6, 0.8))
        if not (yield from drive.complete("draft", t, staff, answer=_answer(template))):
            return
        t = _working(world, t, rng.uniform(1, 8))
        if round_ < 2 and rng.random() < a.return_draft_share:
            reasons = ["câu trả lời chưa đầy đủ"]
            if not (yield from drive.fire("return_draft", t, "reviewer", reasons=reasons)):
                return
            continue
        if not (yield from drive.complete("review", t, "reviewer")):
            return
        t = _working(world, t, rng.uniform(0.5, 4))
        if not (yield from drive.complete("send", t, staff)):
            return
        _survey(run, drive.case, t, template)
        if round_ == 2 or rng.random() >= a.reopen_share:
            return
        t = _working(world, t, rng.uniform(2, 16))
        if not (yield from drive.fire("reopen", t, "requester")):
            return


_SCORES = {
    "good": (0.55, 0.33, 0.07, 0.03, 0.02),
    "fair": (0.35, 0.33, 0.17, 0.10, 0.05),
    "poor": (0.15, 0.25, 0.25, 0.20, 0.15),
}


def _survey(run: _Run, case: Case, ended: datetime, template: Template) -> None:
    world = run.world
    rng = world.rng
    call = case.definition.name == "call"
    share = run.assumptions.survey_call_share if call else run.assumptions.survey_written_share
    if rng.random() >= share:
        return
    answered = ended + timedelta(minutes=rng.uniform(2, 600 if call else 2880))
    if answered > world.horizon:
        return
    moves = {event.action for event in case.history}
    waited = call and case.history[1].at - case.history[0].at > timedelta(seconds=60)
    mood = "good"
    if moves & {"transfer", "reopen", "return_draft", "request_info"} or waited:
        mood = "fair"
    if "reopen" in moves or template.kind == "complaint":
        mood = "poor"
    overall = rng.choices((5, 4, 3, 2, 1), weights=_SCORES[mood])[0]

    def near() -> int:
        return min(5, max(1, overall + rng.choice((-1, 0, 0, 0, 1))))

    detailed = rng.random() < 0.5
    response = SatisfactionResponse(
        id=f"s-{case.id}-{len(case.history)}",
        case_id=case.id,
        answered_at=answered,
        overall=overall,
        accessibility=near() if detailed else None,
        procedures=near() if detailed else None,
        quality=near() if detailed else None,
        results=near() if detailed else None,
        feedback_handling=near() if detailed else None,
    )
    world.survey(response)


def _working_days(calendar: WorkingCalendar, start: date, count: int) -> list[date]:
    days: list[date] = []
    day = start
    while len(days) < count:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


@dataclass(frozen=True, slots=True)
class _Arrival:
    at: datetime
    channel: str
    flood: Template | None


def _arrivals(run: _Run, day: date, flood_count: int) -> list[_Arrival]:
    rng = run.world.rng
    a = run.assumptions
    arrivals = [
        _Arrival(_moment(day, _CALL_HOURS, rng), "phone", None) for _ in range(a.calls_per_day)
    ]
    for channel, count in a.written_per_day:
        hours = _POST_HOURS if channel == "post" else _ONLINE_HOURS
        arrivals.extend(_Arrival(_moment(day, hours, rng), channel, None) for _ in range(count))
    names = [name for name, _ in FLOOD_CHANNELS]
    shares = [share for _, share in FLOOD_CHANNELS]
    for _ in range(flood_count):
        channel = rng.choices(names, weights=shares)[0]
        if channel == "phone":
            hours = _CALL_HOURS
        else:
            hours = _POST_HOURS if channel == "post" else _ONLINE_HOURS
        personal = rng.random() < a.flood_personal_share
        template = FLOOD_PERSONAL if personal else FLOOD_GENERAL
        arrivals.append(_Arrival(_moment(day, hours, rng), channel, template))
    arrivals.sort(key=lambda arrival: arrival.at)
    return arrivals


def _arrive(run: _Run, arrival: _Arrival, agents: list[tuple[datetime, int]]) -> None:
    world = run.world
    inquiry = _inquiry(run, arrival.channel, arrival.at, arrival.flood)
    template = world.templates[inquiry.id]
    if run.detector is not None:
        surge = run.detector.add(inquiry)
        if surge is not None and run.desk is not None:
            run.desk.on_surge(surge, inquiry.received_at)
    if arrival.channel == "phone":
        world.calls += 1
        _simulate_call(run, inquiry, template, agents)
        return
    world.written += 1
    case_id = f"c-{inquiry.id}"
    case = open_case(
        inquiry,
        at=arrival.at,
        by="system",
        case_id=case_id,
        event_id=f"{case_id}.1",
        units=world.table.directory,
    )
    world.add(case)
    world.start(_drive_written(run, case, template, arrival.at))


def _plan_day(run: _Run, day: date, flood_count: int) -> None:
    """Plan the day's arrivals; the agents' queue is the day's own."""
    opening = datetime.combine(day, time(_OPEN_HOUR), tzinfo=VIETNAM_TZ)
    agents = [(opening, number) for number in range(1, run.assumptions.agents + 1)]
    heapq.heapify(agents)
    for arrival in _arrivals(run, day, flood_count):

        def arrive(arrival: _Arrival = arrival) -> None:
            _arrive(run, arrival, agents)

        run.world.plan(arrival.at, arrive)


def _every_day(first: date, end: datetime) -> Iterator[date]:
    day = first
    while day <= end.date():
        yield day
        day += timedelta(days=1)


def simulate(
    *,
    days: int = 5,
    seed: int = DEFAULT_SEED,
    start: date = DEFAULT_START,
    assumptions: DemoAssumptions | None = None,
    calendar: WorkingCalendar | None = None,
    id_prefix: str = "q",
    settle_days: int = 0,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[LogRecord], list[Case]]:
    """Simulate ``days`` working days from ``start``; return the log records (in time order)
    and the cases as they stand at the end of the last day.

    Inquiries are numbered ``q000001``... (``id_prefix`` keeps several runs apart); case ``c-``
    + the inquiry's; the same arguments always give the same records. With ``settle_days``,
    no inquiry arrives after the last day but the work goes on for that many more days, so
    that most cases end. ``progress``, if given, is called with the number of days simulated
    so far after each day. The cases are kept in a case store in a temporary file, removed at
    the end (:func:`simulate_in` keeps them in the store you give, and can add a flood).
    """
    result = simulate_in(
        None,
        days=days,
        seed=seed,
        start=start,
        assumptions=assumptions,
        calendar=calendar,
        id_prefix=id_prefix,
        settle_days=settle_days,
        progress=progress,
    )
    return result.records, result.cases


def simulate_in(
    store: CaseStore | None,
    *,
    days: int = 5,
    seed: int = DEFAULT_SEED,
    start: date = DEFAULT_START,
    assumptions: DemoAssumptions | None = None,
    calendar: WorkingCalendar | None = None,
    id_prefix: str = "q",
    settle_days: int = 0,
    flood: bool = False,
    knowledge: KnowledgeBase | None = None,
    sink: Callable[[LogRecord], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Simulation:
    """Simulate on ``store`` (an empty case store), or on a store in a temporary file when it
    is None (SQLite keeps no store in memory: the store needs WAL mode, which an in-memory
    database does not have).

    The store should index each case's next alert by when its next automatic rule comes due
    (the demo acts on those rules only): a :class:`~vss_care_core.store.SQLiteCaseStore`
    opened with ``next_alert=lambda case: next_rule_at(case, after=case.history[-1].at)``
    (:func:`~vss_care_core.due.next_rule_at`); a temporary store does. With ``flood``, one
    question floods in from the third working day, and the centre answers it once from
    ``knowledge`` (the sample knowledge base by default). ``sink``, if given, receives every
    log record as it is exported (at each day's end), in time order.
    """
    cal = calendar if calendar is not None else vietnam_calendar()
    a = assumptions or DemoAssumptions()
    simulated = _working_days(cal, start, days)
    last_day = simulated[-1] + timedelta(days=1 + max(settle_days, 0))
    horizon = datetime.combine(last_day, time(0), tzinfo=VIETNAM_TZ)
    with ExitStack() as stack:
        if store is None:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            store = stack.enter_context(_demo_store(folder / STORE_NAME, cal))
        world = World(
            rng=random.Random(seed),  # noqa: S311 - a reproducible simulation, not security
            calendar=cal,
            table=RoutingTable.default(),
            store=store,
            horizon=horizon,
            prefix=id_prefix,
        )
        detector = SurgeDetector(calendar=cal) if flood else None
        desk = None
        if flood:
            base = knowledge if knowledge is not None else sample_knowledge_base()
            desk = MasterDesk(world, base, threshold=SurgeSettings().threshold)
        run = _Run(world=world, assumptions=a, desk=desk, detector=detector)
        world.plan_checks(_every_day(simulated[0], horizon))
        records: list[LogRecord] = []

        def keep(record: LogRecord) -> None:
            records.append(record)
            if sink is not None:
                sink(record)

        for done, day in enumerate(simulated, start=1):
            flood_day = done - 1 - _FLOOD_FIRST_DAY
            count = (
                a.flood_per_day[flood_day] if flood and 0 <= flood_day < len(a.flood_per_day) else 0
            )
            _plan_day(run, day, count)
            end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=VIETNAM_TZ)
            world.run_until(end)
            world.export(end, keep)
            if progress is not None:
                progress(done)
        world.run_until(horizon + timedelta(microseconds=1))
        world.export(horizon + timedelta(microseconds=1), keep)
        return Simulation(
            records=records,
            cases=list(world.live.values()),
            surges=tuple(detector.surges) if detector is not None else (),
            master_cases=tuple(desk.masters) if desk is not None else (),
            delivered=desk.delivered if desk is not None else 0,
            due_moves=dict(world.due_moves),
            due_notices=dict(world.due_notices),
            first_due_event=world.first_due_event,
        )


def _demo_store(path: Path, calendar: WorkingCalendar) -> SQLiteCaseStore:
    """The demo's store: next alerts from the SLA clocks and the automatic rules.

    ``synchronous="NORMAL"``: a simulation that a power cut interrupts is simply run again.
    """
    return SQLiteCaseStore(path, next_alert=alert_rule(calendar), synchronous="NORMAL")


def _at_risk(cases: list[Case], at: datetime, calendar: WorkingCalendar) -> int:
    risky = 0
    for case in cases:
        if not case.is_open or case.definition.name != "written":
            continue
        timers = sla_status(case, at=at, calendar=calendar)
        if any(t.state is SlaState.BREACHED or t.warnings for t in timers):
            risky += 1
    return risky


def run_demo(
    *,
    days: int = 5,
    seed: int = DEFAULT_SEED,
    start: date = DEFAULT_START,
    out: Path = Path("vss-care-demo"),
    assumptions: DemoAssumptions | None = None,
    lang: Literal["vi", "en"] = "vi",
    flood: bool = True,
    progress: Callable[[int], None] | None = None,
) -> DemoResult:
    """Simulate on the case store ``out/cases.sqlite``, write ``events.jsonl`` from its outbox
    and ``report.html`` into ``out``, and summarise.

    The store is created anew (a store left by an earlier run is replaced). With ``flood``
    (the default), one question floods in from the third working day: the report shows the
    surge, the answers delivered from its master answer, and the knowledge entries that cite
    a replaced law at the period's end. The page is in ``lang`` (Vietnamese by default, or
    English). The report is computed the way ``vss-care report`` does it: by streaming the
    written log.
    """
    calendar = vietnam_calendar()
    out.mkdir(parents=True, exist_ok=True)
    store_path = out / STORE_NAME
    for leftover in (store_path, Path(f"{store_path}-wal"), Path(f"{store_path}-shm")):
        leftover.unlink(missing_ok=True)
    events_path = out / "events.jsonl"
    knowledge = sample_knowledge_base()
    with (
        _demo_store(store_path, calendar) as store,
        events_path.open("w", encoding="utf-8") as stream,
    ):

        def write(record: LogRecord) -> None:
            stream.write(encode_record(record))
            stream.write("\n")

        simulation = simulate_in(
            store,
            days=days,
            seed=seed,
            start=start,
            assumptions=assumptions,
            calendar=calendar,
            flood=flood,
            knowledge=knowledge,
            sink=write,
            progress=progress,
        )
    settings = KpiSettings(calendar=calendar)
    report = KpiAccumulator(settings=settings).add_all(read_event_log(events_path)).report()
    end = report.as_of or datetime.combine(start, time(0), tzinfo=VIETNAM_TZ)
    stale = knowledge.stale_entries(on=end)
    report_path = out / "report.html"
    if lang == "vi":
        title = f"Trung tâm Chăm sóc khách hàng BHXH Việt Nam — mô phỏng {days} ngày làm việc"
    else:
        title = f"VSS Customer Care Center — simulated {days} working day{'s' * (days > 1)}"
    page = render_html(
        report,
        title=title,
        lang=lang,
        surges=simulation.surges if flood else None,
        stale_entries=stale,
        stale_on=end.date(),
    )
    report_path.write_text(page, encoding="utf-8")
    records = simulation.records
    inquiries = [r for r in records if isinstance(r, Inquiry)]
    groups = find_duplicates(inquiries, window=timedelta(days=7))
    same_question = [g for g in groups if g.kind is DuplicateKind.SAME_QUESTION]
    largest = max((len(g.members) for g in same_question), default=0)
    risky = _at_risk(simulation.cases, end, calendar)
    calls = sum(1 for q in inquiries if q.channel.value == "phone")
    result = DemoResult(
        events_path=events_path,
        report_path=report_path,
        store_path=store_path,
        report=report,
        calls=calls,
        written=len(inquiries) - calls,
        records=len(records),
        same_requester_groups=len(groups) - len(same_question),
        same_question_groups=len(same_question),
        largest_question_group=largest,
        open_at_risk=risky,
        surges=simulation.surges,
        delivered=simulation.delivered,
        stale_entries=stale,
        due_moves=simulation.due_moves,
        summary="",
    )
    return _with_summary(result, days=days, seed=seed, start=start, lang=lang)


_SUMMARY: dict[str, tuple[str, str]] = {
    "simulated": (
        "Mô phỏng {days} ngày làm việc từ {start} (seed {seed}): {calls} cuộc gọi, {written} yêu "
        "cầu bằng văn bản, {records} bản ghi nhật ký",
        "Simulated {days} working day(s) from {start} (seed {seed}): {calls} calls, {written} "
        "written inquiries, {records} log records",
    ),
    "at_risk": (
        "{n} hồ sơ văn bản đang mở đã qua ngưỡng cảnh báo SLA",
        "{n} open written cases past an SLA warning",
    ),
    "due": ("Quy tắc tự động: {moves}", "Due rules: {moves}"),
    "no_move": ("không có thao tác", "no move"),
    "duplicates": (
        "Trùng lặp: {requester} nhóm cùng người gửi, {question} nhóm cùng câu hỏi (lớn nhất: "
        "{largest} yêu cầu)",
        "Duplicates: {requester} same-requester groups, {question} same-question groups "
        "(largest: {largest} inquiries)",
    ),
    "surge": (
        "Phát hiện câu hỏi dồn dập lúc {raised} (bắt đầu {started}): “{keywords}”, {count} yêu "
        "cầu ({channels}), {rate} yêu cầu mỗi giờ làm việc",
        "Surge raised {raised} (from {started}): “{keywords}”, {count} inquiries so far "
        "({channels}), {rate} an hour",
    ),
    "master": (
        "trong đó {delivered} hồ sơ văn bản được gửi câu trả lời chung, {read} cuộc gọi được "
        "đọc câu trả lời chung",
        "of which {delivered} written cases were sent the master answer and {read} calls had "
        "it read out",
    ),
    "knowledge": (
        "Tri thức: {n} mục trích dẫn văn bản không còn hiệu lực ({review} cần xem lại)",
        "Knowledge: {n} entries cite a document no longer in force ({review} to review)",
    ),
    "wrote": ("Đã ghi {events}, {report} và {store}", "Wrote {events}, {report} and {store}"),
}
"""The demo's own summary lines, in Vietnamese and English (the KPI lines come from the
report's catalogue, :func:`~vss_care_core.monitoring.kpi_summary`)."""


def _say(lang: Literal["vi", "en"], key: str, **values: object) -> str:
    vi, en = _SUMMARY[key]
    return (vi if lang == "vi" else en).format(**values)


def _surge_lines(result: DemoResult, lang: Literal["vi", "en"]) -> list[str]:
    lines = []
    for surge in result.surges:
        channels = ", ".join(
            f"{Channel(name).label_vi if lang == 'vi' else Channel(name).label_en} "
            f"{format_number(count, lang=lang)}"
            for name, count in sorted(surge.by_channel.items(), key=lambda item: -item[1])
        )
        lines.append(
            _say(
                lang,
                "surge",
                raised=f"{surge.raised_at:%Y-%m-%d %H:%M}",
                started=f"{surge.started_at:%H:%M}",
                keywords=" ".join(surge.written_keywords or surge.keywords),
                count=format_number(surge.count, lang=lang),
                channels=channels,
                rate=format_number(surge.rate_per_hour, lang=lang, decimals=1),
            )
        )
    return lines


def _with_summary(
    result: DemoResult, *, days: int, seed: int, start: date, lang: Literal["vi", "en"]
) -> DemoResult:
    def number(value: int) -> str:
        return format_number(value, lang=lang)

    moves = ", ".join(f"{name} {number(count)}" for name, count in sorted(result.due_moves.items()))
    review = sum(1 for entry in result.stale_entries if not entry.retired)
    master = result.report.overall.master_answers
    kpis = kpi_summary(result.report, lang=lang)
    lines = [
        _say(
            lang,
            "simulated",
            days=days,
            start=start.isoformat(),
            seed=seed,
            calls=number(result.calls),
            written=number(result.written),
            records=number(result.records),
        ),
        *kpis[:3],
        f"{kpis[3]}; {_say(lang, 'at_risk', n=number(result.open_at_risk))}",
        _say(lang, "due", moves=moves or _say(lang, "no_move")),
        _say(
            lang,
            "duplicates",
            requester=number(result.same_requester_groups),
            question=number(result.same_question_groups),
            largest=number(result.largest_question_group),
        ),
        *_surge_lines(result, lang),
        *(
            [
                f"{kpis[4]}; "
                + _say(
                    lang,
                    "master",
                    delivered=number(result.delivered),
                    read=number(master - result.delivered),
                )
            ]
            if result.surges
            else []
        ),
        _say(lang, "knowledge", n=number(len(result.stale_entries)), review=number(review)),
        _say(
            lang,
            "wrote",
            events=result.events_path,
            report=result.report_path,
            store=result.store_path,
        ),
    ]
    return DemoResult(
        events_path=result.events_path,
        report_path=result.report_path,
        store_path=result.store_path,
        report=result.report,
        calls=result.calls,
        written=result.written,
        records=result.records,
        same_requester_groups=result.same_requester_groups,
        same_question_groups=result.same_question_groups,
        largest_question_group=result.largest_question_group,
        open_at_risk=result.open_at_risk,
        surges=result.surges,
        delivered=result.delivered,
        stale_entries=result.stale_entries,
        due_moves=result.due_moves,
        summary="\n".join(lines),
    )
