"""The demo: the Customer Care Center simulated for a few working days, through the real API.

Every inquiry is a validated :class:`~vss_care_core.models.Inquiry`; every case is opened with
:func:`~vss_care_core.process.open_case` and moved only with ``complete`` and ``fire`` (so the
process refuses anything the standard does not allow); written cases are routed by the default
:class:`~vss_care_core.routing.RoutingTable`; SLA timers come from
:func:`~vss_care_core.sla.sla_status`; survey answers are
:class:`~vss_care_core.monitoring.SatisfactionResponse`. Time is simulated: every moment is an
explicit aware datetime, and the same seed gives the same log.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

from vss_care_core.calendar import WorkingCalendar, vietnam_calendar
from vss_care_core.models import VIETNAM_TZ, Answer, Event, Inquiry
from vss_care_core.monitoring import (
    DuplicateKind,
    KpiAccumulator,
    KpiReport,
    KpiSettings,
    LogRecord,
    SatisfactionResponse,
    encode_record,
    find_duplicates,
    format_duration,
    format_rate,
    read_event_log,
    render_html,
)
from vss_care_core.process import Case, open_case
from vss_care_core.routing import Agent, RoutingTable, assign
from vss_care_core.simulation._catalogue import OPENINGS, TEMPLATES, Template
from vss_care_core.simulation._people import make_person
from vss_care_core.sla import SlaState, sla_status

__all__ = ["DEFAULT_SEED", "DEFAULT_START", "DemoAssumptions", "DemoResult", "run_demo", "simulate"]

DEFAULT_SEED = 2021
"""The default random seed (the year of the seed article)."""
DEFAULT_START = date(2026, 3, 2)
"""The default first simulated day: a Monday."""

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


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoAssumptions:
    """The shares and times the simulation assumes (ours: VSS publishes none of them).

    Volumes: 1,400 calls per working day (355,489 calls in 2020 over about 250 working days),
    and written inquiries per working day by channel (about a quarter of all contacts).
    Calls: answered by ``agents`` agents from 07:00 to 19:00, first come first served; a caller
    waits at most an exponential patience (mean ``patience_seconds``) before hanging up.
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
    survey_call_share: float = 0.25
    survey_written_share: float = 0.20


@dataclass(frozen=True, slots=True)
class DemoResult:
    """What a demo run produced: the files, the figures and a printable summary."""

    events_path: Path
    report_path: Path
    report: KpiReport
    calls: int
    written: int
    records: int
    same_requester_groups: int
    same_question_groups: int
    largest_question_group: int
    open_at_risk: int
    summary: str


@dataclass(slots=True)
class _Contact:
    person: dict[str, Any]
    template: Template
    at: datetime
    case_id: str
    case: Case | None


@dataclass(slots=True)
class _World:
    rng: random.Random
    calendar: WorkingCalendar
    table: RoutingTable
    assumptions: DemoAssumptions
    horizon: datetime
    prefix: str
    records: list[tuple[datetime, int, LogRecord]] = field(default_factory=list)
    staff: dict[str, list[Agent]] = field(default_factory=dict)
    recent: deque[_Contact] = field(default_factory=deque)
    cases: list[Case] = field(default_factory=list)
    order: int = 0
    inquiries: int = 0
    calls: int = 0
    written: int = 0

    def log(self, at: datetime, record: LogRecord) -> None:
        self.order += 1
        self.records.append((at, self.order, record))

    def next_id(self) -> str:
        self.inquiries += 1
        return f"{self.prefix}{self.inquiries:06d}"


def _moment(day: date, hours: Mapping[int, int], rng: random.Random) -> datetime:
    hour = rng.choices(list(hours), weights=list(hours.values()))[0]
    seconds = rng.randrange(3600)
    return datetime.combine(day, time(hour), tzinfo=VIETNAM_TZ) + timedelta(seconds=seconds)


def _question(world: _World, channel: str, at: datetime) -> tuple[dict[str, Any], Template]:
    rng = world.rng
    recent = world.recent
    while recent and at - recent[0].at > _RECONTACT_WINDOW:
        recent.popleft()
    if recent and rng.random() < world.assumptions.recontact_share:
        earlier = recent[rng.randrange(len(recent))]
        return earlier.person, earlier.template
    template = rng.choices(TEMPLATES, weights=[t.weight for t in TEMPLATES])[0]
    organisation = channel != "phone" and rng.random() < world.assumptions.organisation_share
    return make_person(rng, organisation=organisation), template


def _inquiry(world: _World, channel: str, at: datetime) -> tuple[Inquiry, Template, _Contact]:
    person, template = _question(world, channel, at)
    opening = world.rng.choice(OPENINGS)
    inquiry = Inquiry(
        id=world.next_id(),
        channel=channel,
        received_at=at,
        requester=person,
        subject=template.subject,
        content=opening + template.text,
    )
    contact = _Contact(person, template, at, f"c-{inquiry.id}", None)
    world.recent.append(contact)
    world.log(at, inquiry)
    return inquiry, template, contact


def _answer(template: Template, *, discloses: bool = False) -> Answer:
    return Answer(
        text=template.answer, legal_basis=template.legal_basis, discloses_personal_data=discloses
    )


def _classification(template: Template) -> dict[str, Any]:
    return {"kind": template.kind, "policy_areas": list(template.areas), "topic": template.topic}


class _Driver:
    """Moves one case through the public API, never past the simulation's horizon."""

    def __init__(self, world: _World, case: Case) -> None:
        self.world = world
        self.case = case
        self.count = 1
        self.stopped = False

    def _eid(self) -> str:
        self.count += 1
        return f"{self.case.id}.{self.count}"

    def complete(self, step: str, at: datetime, by: str, **data: Any) -> bool:
        if self.stopped or at > self.world.horizon:
            self.stopped = True
            return False
        self.case.complete(step, at=at, by=by, event_id=self._eid(), **data)
        return True

    def fire(self, action: str, at: datetime, by: str, **data: Any) -> bool:
        if self.stopped or at > self.world.horizon:
            self.stopped = True
            return False
        self.case.fire(action, at=at, by=by, event_id=self._eid(), **data)
        return True


def _simulate_call(
    world: _World, inquiry: Inquiry, template: Template, agents: list[tuple[datetime, int]]
) -> None:
    rng = world.rng
    a = world.assumptions
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
    world.cases.append(case)
    drive = _Driver(world, case)
    free_at, agent = agents[0]
    wait = max((free_at - offered).total_seconds(), 0.0)
    patience = rng.expovariate(1 / a.patience_seconds)
    if wait > patience:
        drive.fire("abandon", offered + timedelta(seconds=patience), "switchboard")
        return
    by = f"agent-{agent:02d}"
    t = offered + timedelta(seconds=wait)
    drive.complete("greet", t, by)
    busy_until = _talk(world, drive, template, t, by)
    heapq.heapreplace(agents, (busy_until, agent))


def _talk(world: _World, drive: _Driver, template: Template, t: datetime, by: str) -> datetime:
    """The answered call from identification to goodbye; returns when the agent is free."""
    rng = world.rng
    a = world.assumptions
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
        drive.fire("escalate", t, by, follow_up_case_id=f"{case.id}-f")
        follow = case.follow_up()
        if follow is not None:
            world.cases.append(follow)
            _drive_written(world, follow, template, t, follow=True)
        return t + timedelta(seconds=rng.uniform(15, 60))
    if rng.random() < a.hold_share:
        t += timedelta(seconds=rng.uniform(10, 40))
        drive.fire("hold", t, by)
        t += timedelta(seconds=rng.uniform(20, 120))
        drive.fire("resume", t, by)
    t += timedelta(seconds=rng.lognormvariate(math.log(110), 0.5))
    drive.complete(
        "respond", t, by, answer=_answer(template, discloses=verified and template.personal)
    )
    t += timedelta(seconds=rng.uniform(8, 30))
    drive.complete("confirm", t, by)
    t += timedelta(seconds=rng.uniform(4, 12))
    wrap_up = round(rng.uniform(15, 60))
    drive.complete("close", t, by, wrap_up_seconds=wrap_up)
    _survey(world, case, t, template)
    return t + timedelta(seconds=wrap_up)


def _working(world: _World, start: datetime, hours: float) -> datetime:
    return world.calendar.add(start, timedelta(hours=hours))


def _drive_written(
    world: _World, case: Case, template: Template, received: datetime, *, follow: bool = False
) -> None:
    rng = world.rng
    a = world.assumptions
    drive = _Driver(world, case)
    by = "intake-desk"
    t = _working(world, received, rng.uniform(0.2, 4.0))
    if not follow and rng.random() < a.withdraw_share:
        drive.fire("withdraw", t, by)
        return
    drive.complete("intake", t, by, **_classification(template))
    decision = world.table.route(case)  # the case: read with the classification recorded
    t = _working(world, t, rng.uniform(0.3, 3.0))
    if decision.forward:
        drive.fire("forward", t, by, agency=decision.unit)
        return
    if decision.priority != case.priority:
        drive.fire("set_priority", t, by, priority=decision.priority.value)
    staff = _assign(world, case, decision.unit)
    drive.complete("assign", t, by, unit=staff.unit, assignee=staff.id)
    if rng.random() < a.request_info_share:
        t = _working(world, t, rng.uniform(1, 8))
        drive.fire("request_info", t, staff.id, note="cần bổ sung giấy tờ")
        if rng.random() < a.info_never_given_share:
            return
        t = _working(world, t, rng.uniform(8, 32))
        drive.fire("provide_info", t, "requester")
    _answer_rounds(world, drive, template, t, staff.id)
    _release(world, staff)


def _agents(world: _World, unit: str) -> list[Agent]:
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


def _assign(world: _World, case: Case, unit: str) -> Agent:
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


def _release(world: _World, agent: Agent) -> None:
    """The officer is done with the case (the simulation runs each case to its end at once)."""
    agents = world.staff[agent.unit]
    for index, current in enumerate(agents):
        if current.id == agent.id and current.open_cases > 0:
            agents[index] = _with_open_cases(current, current.open_cases - 1)


def _answer_rounds(
    world: _World, drive: _Driver, template: Template, t: datetime, staff: str
) -> None:
    """Draft, review and send; a draft may come back, an answer may be reopened."""
    rng = world.rng
    a = world.assumptions
    slow = template.kind in {"complaint", "denunciation"}
    for round_ in range(3):
        t = _working(world, t, rng.uniform(4, 60) if slow else rng.lognormvariate(1.6, 0.8))
        drive.complete("draft", t, staff, answer=_answer(template))
        t = _working(world, t, rng.uniform(1, 8))
        if round_ < 2 and rng.random() < a.return_draft_share:
            drive.fire("return_draft", t, "reviewer", reasons=["câu trả lời chưa đầy đủ"])
            continue
        drive.complete("review", t, "reviewer")
        t = _working(world, t, rng.uniform(0.5, 4))
        if not drive.complete("send", t, staff):
            return
        _survey(world, drive.case, t, template)
        if round_ == 2 or rng.random() >= a.reopen_share:
            return
        t = _working(world, t, rng.uniform(2, 16))
        drive.fire("reopen", t, "requester")


_SCORES = {
    "good": (0.55, 0.33, 0.07, 0.03, 0.02),
    "fair": (0.35, 0.33, 0.17, 0.10, 0.05),
    "poor": (0.15, 0.25, 0.25, 0.20, 0.15),
}


def _survey(world: _World, case: Case, ended: datetime, template: Template) -> None:
    rng = world.rng
    call = case.definition.name == "call"
    share = world.assumptions.survey_call_share if call else world.assumptions.survey_written_share
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
    world.log(answered, response)


def _working_days(calendar: WorkingCalendar, start: date, count: int) -> list[date]:
    days: list[date] = []
    day = start
    while len(days) < count:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _simulate_day(world: _World, day: date) -> None:
    rng = world.rng
    a = world.assumptions
    arrivals: list[tuple[datetime, str]] = [
        (_moment(day, _CALL_HOURS, rng), "phone") for _ in range(a.calls_per_day)
    ]
    for channel, count in a.written_per_day:
        hours = _POST_HOURS if channel == "post" else _ONLINE_HOURS
        arrivals.extend((_moment(day, hours, rng), channel) for _ in range(count))
    arrivals.sort()
    opening = datetime.combine(day, time(_OPEN_HOUR), tzinfo=VIETNAM_TZ)
    agents = [(opening, number) for number in range(1, a.agents + 1)]
    heapq.heapify(agents)
    for at, channel in arrivals:
        inquiry, template, _ = _inquiry(world, channel, at)
        if channel == "phone":
            world.calls += 1
            _simulate_call(world, inquiry, template, agents)
        else:
            world.written += 1
            case_id = f"c-{inquiry.id}"
            case = open_case(
                inquiry,
                at=at,
                by="system",
                case_id=case_id,
                event_id=f"{case_id}.1",
                units=world.table.directory,
            )
            world.cases.append(case)
            _drive_written(world, case, template, at)


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
    so far after each day.
    """
    cal = calendar if calendar is not None else vietnam_calendar()
    simulated = _working_days(cal, start, days)
    last_day = simulated[-1] + timedelta(days=1 + max(settle_days, 0))
    horizon = datetime.combine(last_day, time(0), tzinfo=VIETNAM_TZ)
    world = _World(
        rng=random.Random(seed),  # noqa: S311 - a reproducible simulation, not security
        calendar=cal,
        table=RoutingTable.default(),
        assumptions=assumptions or DemoAssumptions(),
        horizon=horizon,
        prefix=id_prefix,
    )
    for done, day in enumerate(simulated, start=1):
        _simulate_day(world, day)
        if progress is not None:
            progress(done)
    for case in world.cases:
        for event in case.history:
            world.log(event.at, event)
    world.records.sort(key=lambda item: (item[0], _rank(item[2]), item[1]))
    return [record for _, _, record in world.records], world.cases


def _rank(record: LogRecord) -> int:
    """Inquiries before the events at the same moment; a case's events in their order."""
    if isinstance(record, Inquiry):
        return 0
    if isinstance(record, Event):
        return 1
    return 2


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
    progress: Callable[[int], None] | None = None,
) -> DemoResult:
    """Simulate, write ``events.jsonl`` and ``report.html`` into ``out``, and summarise.

    The page is in ``lang`` (Vietnamese by default, or English).

    The report is computed the way ``vss-care report`` does it: by streaming the written log.
    """
    calendar = vietnam_calendar()
    records, cases = simulate(
        days=days,
        seed=seed,
        start=start,
        assumptions=assumptions,
        calendar=calendar,
        progress=progress,
    )
    out.mkdir(parents=True, exist_ok=True)
    events_path = out / "events.jsonl"
    with events_path.open("w", encoding="utf-8") as stream:
        for record in records:
            stream.write(encode_record(record))
            stream.write("\n")
    settings = KpiSettings(calendar=calendar)
    report = KpiAccumulator(settings=settings).add_all(read_event_log(events_path)).report()
    report_path = out / "report.html"
    if lang == "vi":
        title = f"Trung tâm Chăm sóc khách hàng BHXH Việt Nam — mô phỏng {days} ngày làm việc"
    else:
        title = f"VSS Customer Care Center — simulated {days} working day{'s' * (days > 1)}"
    report_path.write_text(render_html(report, title=title, lang=lang), encoding="utf-8")
    inquiries = [r for r in records if isinstance(r, Inquiry)]
    groups = find_duplicates(inquiries, window=timedelta(days=7))
    same_question = [g for g in groups if g.kind is DuplicateKind.SAME_QUESTION]
    largest = max((len(g.members) for g in same_question), default=0)
    end = report.as_of or datetime.combine(start, time(0), tzinfo=VIETNAM_TZ)
    risky = _at_risk(cases, end, calendar)
    calls = sum(1 for q in inquiries if q.channel.value == "phone")
    result = DemoResult(
        events_path=events_path,
        report_path=report_path,
        report=report,
        calls=calls,
        written=len(inquiries) - calls,
        records=len(records),
        same_requester_groups=len(groups) - len(same_question),
        same_question_groups=len(same_question),
        largest_question_group=largest,
        open_at_risk=risky,
        summary="",
    )
    return _with_summary(result, days=days, seed=seed, start=start)


def _with_summary(result: DemoResult, *, days: int, seed: int, start: date) -> DemoResult:
    r = result.report.overall
    sla = ", ".join(f"{name} {format_rate(s.compliance)}" for name, s in r.sla.items())
    ageing = ", ".join(f"{k}: {v}" for k, v in r.backlog.ageing.items())
    lines = [
        f"Simulated {days} working day(s) from {start.isoformat()} (seed {seed}): "
        f"{result.calls:,} calls, {result.written:,} written inquiries, "
        f"{result.records:,} log records",
        f"Calls: service level {format_rate(r.service_level)} within "
        f"{result.report.service_level_seconds:g} s (target 80 %), "
        f"ASA {format_duration(r.average_speed_of_answer)}, "
        f"abandonment {format_rate(r.abandonment_rate)}, "
        f"AHT {format_duration(r.average_handle_time)}",
        f"First-contact resolution {format_rate(r.first_contact_resolution)}, "
        f"reopen rate {format_rate(r.reopen_rate)}, "
        f"CSAT {format_rate(r.satisfaction.csat)} (targets 85 % by 2025, 90 % by 2030; "
        f"{r.satisfaction.responses:,} responses)",
        f"SLA compliance: {sla or '—'}",
        f"Backlog: {r.backlog.open:,} open cases (working days {ageing}); "
        f"{result.open_at_risk:,} open written cases past an SLA warning",
        f"Duplicates: {result.same_requester_groups:,} same-requester groups, "
        f"{result.same_question_groups:,} same-question groups "
        f"(largest: {result.largest_question_group:,} inquiries)",
        f"Wrote {result.events_path} and {result.report_path}",
    ]
    return DemoResult(
        events_path=result.events_path,
        report_path=result.report_path,
        report=result.report,
        calls=result.calls,
        written=result.written,
        records=result.records,
        same_requester_groups=result.same_requester_groups,
        same_question_groups=result.same_question_groups,
        largest_question_group=result.largest_question_group,
        open_at_risk=result.open_at_risk,
        summary="\n".join(lines),
    )
