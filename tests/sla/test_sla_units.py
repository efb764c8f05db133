"""The unit decides the clock: per-unit calendars, time attributed per unit, policies by unit."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.sla.offices import (
    ANSWER,
    EARLY,
    HANOI,
    HCMC,
    HOURS_POLICY,
    RESPOND,
    SATURDAYS,
    UNITS,
    H,
    directory,
    vn,
)

from vss_care_core.calendar import WorkingCalendar, vietnam_calendar
from vss_care_core.errors import SlaPolicyError
from vss_care_core.models import Inquiry
from vss_care_core.process import Case, open_case, units_held
from vss_care_core.routing import vss_directory
from vss_care_core.sla import (
    SlaJudge,
    SlaPolicy,
    SlaState,
    SlaTarget,
    SlaTimer,
    UnitCalendars,
    UnitTime,
    load_policies,
    policy_for_case,
    select_policy,
    sla_status,
    standard_calendars,
)

M = timedelta(minutes=1)
CASE_CALENDAR = vietnam_calendar()


def inquiry(at: datetime) -> Inquiry:
    """A written question about a pension."""
    return Inquiry(
        channel="email",
        received_at=at,
        requester={"type": "individual", "name": "Trần Thị Bình"},
        subject="Cách tính lương hưu",
        content="Tôi đóng BHXH 25 năm, lương hưu được tính thế nào?",
    )


def transferred_case() -> Case:
    """Received on Thursday 5 March 2026 at 16:00, assigned to Hà Nội at 16:45, reassigned on
    Friday at 10:30 and handed to Hồ Chí Minh City at 11:00."""
    start = vn(2026, 3, 5, 16, 0)
    case = open_case(inquiry(start), at=start, by="clerk")
    case.complete(
        "intake", at=vn(2026, 3, 5, 16, 30), by="clerk",
        kind="question", policy_areas=["social"], topic="pension",
    )  # fmt: skip
    case.complete("assign", at=vn(2026, 3, 5, 16, 45), by="clerk", unit=HANOI)
    case.fire("reassign", at=vn(2026, 3, 6, 10, 30), by="officer")
    case.complete("assign", at=vn(2026, 3, 6, 11, 0), by="clerk", unit=HCMC)
    return case


def by_name(timers: tuple[SlaTimer, ...]) -> dict[str, SlaTimer]:
    """Timers by target name."""
    return {timer.name: timer for timer in timers}


class TestTransferBetweenUnits:
    """A dated case handed from an office with early hours to one open on Saturday mornings."""

    def test_each_unit_counts_on_its_own_hours(self) -> None:
        """45 min before any unit (8:00-17:00 hours), 3 h 45 min in Hà Nội (16:45-17:00, then
        Friday 7:30-11:00), 9 h in Hồ Chí Minh City (Friday 11:00-12:00, 13:00-17:00 and the
        Saturday morning 8:00-12:00)."""
        timer = by_name(
            sla_status(transferred_case(), at=vn(2026, 3, 7, 12, 0), policy=HOURS_POLICY,
                       units=UNITS)
        )["respond"]  # fmt: skip
        assert timer.by_unit == (
            UnitTime(None, 45 * M),
            UnitTime(HANOI, 3 * H + 45 * M),
            UnitTime(HCMC, 9 * H),
        )
        assert timer.elapsed == 13 * H + 30 * M
        assert timer.state is SlaState.RUNNING
        # 2 h 30 min left, on Hồ Chí Minh City's hours: Monday 9 March 8:00 + 2:30
        assert timer.deadline == vn(2026, 3, 9, 10, 30)
        assert timer.next_alert_at == vn(2026, 3, 9, 10, 30)  # 75 % is already behind
        assert timer.warnings == (0.5, 0.75)

    def test_next_alert_falls_in_the_holders_hours(self) -> None:
        """On Friday at 16:00, 8 h 30 min are used; the 75 % warning (12 h) comes after 1 h on
        Friday and 2 h 30 min on Saturday morning, which Hồ Chí Minh City opens."""
        timer = by_name(
            sla_status(transferred_case(), at=vn(2026, 3, 6, 16, 0), policy=HOURS_POLICY,
                       units=UNITS)
        )["respond"]  # fmt: skip
        assert timer.elapsed == 8 * H + 30 * M
        assert timer.next_alert_at == vn(2026, 3, 7, 10, 30)

    def test_without_units_every_span_counts_on_the_case_calendar(self) -> None:
        """The same case on the state-agency hours alone: Thursday 16:00-17:00 and Friday's
        8 hours; the Saturday morning does not count."""
        timer = by_name(
            sla_status(transferred_case(), at=vn(2026, 3, 7, 12, 0), policy=HOURS_POLICY)
        )["respond"]
        assert timer.elapsed == 9 * H
        assert timer.deadline == vn(2026, 3, 9, 16, 0)
        assert timer.by_unit == (
            UnitTime(None, 45 * M),
            UnitTime(HANOI, 15 * M + 3 * H),
            UnitTime(HCMC, 5 * H),
        )

    def test_legal_periods_stay_on_the_case_calendar(self) -> None:
        """A period of working days ends where the law puts it, whoever holds the case: the
        Saturday morning of one office does not make Saturday a working day."""
        at = vn(2026, 3, 7, 12, 0)
        with_units = by_name(sla_status(transferred_case(), at=at, policy=HOURS_POLICY,
                                        units=UNITS))["period"]  # fmt: skip
        without = by_name(sla_status(transferred_case(), at=at, policy=HOURS_POLICY))["period"]
        # Thursday's event: Friday, Monday, Tuesday; the period ends at 24:00 on Tuesday
        assert with_units.deadline == without.deadline == vn(2026, 3, 11, 0, 0)
        assert with_units.elapsed == without.elapsed

    def test_paused_time_counts_on_the_holders_calendar(self) -> None:
        """Waiting for the requester in Hồ Chí Minh City over the Saturday morning: 4 hours
        of that office's time are paused, none is used."""
        case = transferred_case()
        case.complete("draft", at=vn(2026, 3, 6, 17, 0), by="officer", answer=ANSWER)
        case.fire("request_info", at=vn(2026, 3, 6, 17, 0), by="officer")
        timer = by_name(
            sla_status(case, at=vn(2026, 3, 7, 12, 0), policy=HOURS_POLICY, units=UNITS)
        )["respond"]
        assert timer.state is SlaState.PAUSED
        assert timer.elapsed == 45 * M + 3 * H + 45 * M + 5 * H
        assert timer.paused == 4 * H

    def test_the_judge_agrees_with_the_timers(self) -> None:
        """The report's judge gives the verdict the timers show when the case ends."""
        case = transferred_case()
        case.complete("draft", at=vn(2026, 3, 9, 9, 0), by="officer", answer=ANSWER)
        case.complete("review", at=vn(2026, 3, 9, 10, 0), by="head")
        case.complete("send", at=vn(2026, 3, 9, 11, 0), by="clerk")
        end = case.history[-1].at
        judge = SlaJudge(policies=[HOURS_POLICY], units=UNITS)
        verdicts = dict(judge(case.inquiry, case.history).verdicts)
        timers = by_name(sla_status(case, at=end, policy=HOURS_POLICY, units=UNITS))
        assert verdicts == {"respond": False, "period": True}
        assert timers["respond"].state is SlaState.BREACHED
        assert timers["respond"].breached_at == vn(2026, 3, 9, 10, 30)
        plain = dict(SlaJudge(policies=[HOURS_POLICY])(case.inquiry, case.history).verdicts)
        assert plain == {"respond": True, "period": True}  # on 8:00-17:00 hours it was met


class TestHolders:
    """Who holds a case: an assignment names the unit, and so does a transfer with unit=."""

    def test_written_case(self) -> None:
        """One holder per event: none until the assignment, then each unit named."""
        case = transferred_case()
        assert units_held(case.definition, case.history) == (None, None, HANOI, HANOI, HCMC)
        assert case.facts.unit == HCMC

    def test_call_transferred_to_the_second_line(self) -> None:
        """The first line takes the call; a transfer with unit= hands it to a department."""
        start = vn(2026, 3, 2, 9, 0)
        call = open_case(
            Inquiry(channel="phone", received_at=start, requester={"type": "individual"},
                    subject="Thẻ BHYT", content="Hỏi về thẻ BHYT"),
            at=start, by="agent",
        )  # fmt: skip
        call.complete("greet", at=start + 10 * M, by="agent")
        call.fire("transfer", at=start + 20 * M, by="agent", to="expert", unit="VSS-CSKH")
        assert call.facts.unit == "VSS-CSKH"
        assert call.facts.assignee == "expert"
        handle = SlaTarget(name="handle", unit="elapsed", limit=H, start="open",
                           source="ASSUMED: test")  # fmt: skip
        timer = sla_status(
            call, at=start + 50 * M, policy=SlaPolicy(name="call", targets=(handle,)),
            units=UNITS,
        )[0]  # fmt: skip
        assert timer.by_unit == (UnitTime(None, 20 * M), UnitTime("VSS-CSKH", 30 * M))


class TestPolicySelection:
    """Policies selected by the unit that holds the case, or by its level, as data."""

    POLICIES = load_policies(
        {
            "policies": [
                {"name": "hanoi", "processes": ["written"], "units": [HANOI],
                 "targets": [{"name": "respond", "unit": "working_time", "limit": "PT8H",
                              "source": "ASSUMED: test"}]},
                {"name": "provincial", "processes": ["written"], "unit_levels": ["provincial"],
                 "targets": [{"name": "respond", "unit": "working_time", "limit": "PT12H",
                              "source": "ASSUMED: test"}]},
                {"name": "other", "targets": [{"name": "respond", "unit": "working_time",
                                               "limit": "PT16H", "source": "ASSUMED: test"}]},
            ]
        }
    )  # fmt: skip

    def selected(self, case: Case, at: datetime, units: UnitCalendars | None = UNITS) -> str:
        """The name of the policy selected for ``case`` at ``at``."""
        events = [event for event in case.history if event.at <= at]
        return policy_for_case(
            case.definition, case.inquiry, events, policies=self.POLICIES, units=units
        ).name

    def test_by_unit_then_by_level(self) -> None:
        """Before the assignment: the fallback; with Hà Nội: its own; with Hồ Chí Minh City:
        the provincial one; without a directory, the level is unknown."""
        case = transferred_case()
        assert self.selected(case, vn(2026, 3, 5, 16, 30)) == "other"
        assert self.selected(case, vn(2026, 3, 5, 16, 45)) == "hanoi"
        assert self.selected(case, vn(2026, 3, 6, 10, 30)) == "hanoi"
        assert self.selected(case, vn(2026, 3, 6, 11, 0)) == "provincial"
        assert self.selected(case, vn(2026, 3, 6, 11, 0), units=None) == "other"
        assert self.selected(case, vn(2026, 3, 5, 16, 45), units=None) == "hanoi"

    def test_sla_status_uses_the_selected_policy(self) -> None:
        """The timers of a case with Hồ Chí Minh City run on the provincial limit."""
        case = transferred_case()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("vss_care_core.sla._defaults.default_policies", lambda: self.POLICIES)
            (timer,) = sla_status(case, at=vn(2026, 3, 6, 12, 0), units=UNITS)
        assert timer.limit == 12 * H

    def test_select_policy_keywords(self) -> None:
        """select_policy takes the unit and its level; the error names them."""
        assert select_policy(
            process="written", channel="email", kind=None, priority="normal",
            unit=HCMC, unit_level="provincial", policies=self.POLICIES,
        ).name == "provincial"  # fmt: skip
        only = [self.POLICIES[0]]
        with pytest.raises(SlaPolicyError, match=r"unit='BHXH-TP-HO-CHI-MINH'.*provincial"):
            select_policy(
                process="written", channel="email", kind=None, priority="normal",
                unit=HCMC, unit_level="provincial", policies=only,
            )  # fmt: skip

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("unit_levels", ["provincal"], "unit_levels.0: Input should be 'central'"),
            ("units", [""], "must be unit codes"),
        ],
    )
    def test_bad_selectors(self, field: str, value: list[str], message: str) -> None:
        """A misspelt level or an empty code is refused with what to write instead."""
        document: dict[str, Any] = {
            "policies": [
                {"name": "p", field: value, "targets": [
                    {"name": "t", "unit": "elapsed", "limit": "PT1H", "source": "ASSUMED: x"}]}
            ]
        }  # fmt: skip
        with pytest.raises(SlaPolicyError, match=message):
            load_policies(document)

    def test_bad_level_in_code(self) -> None:
        """Built in code, a misspelt level is refused with the levels to choose from."""
        with pytest.raises(SlaPolicyError, match="use levels among central, department"):
            SlaPolicy(name="p", targets=(RESPOND,), unit_levels=("provincal",))  # type: ignore[arg-type]


class TestUnitCalendars:
    """Reading a directory's calendars."""

    def test_missing_calendar_is_refused(self) -> None:
        """A calendar a unit names must be given, and the error says which."""
        with pytest.raises(SlaPolicyError, match=r"'early'.*add it to calendars="):
            UnitCalendars(directory())

    def test_shipped_directory_and_levels(self) -> None:
        """The shipped directory's calendars are the standard ones."""
        units = UnitCalendars(vss_directory())
        assert units.level_of(HANOI) == "provincial"
        assert units.level_of("VSS-CSKH") == "central"
        assert units.level_of(None) is None
        assert units.calendar_of(HANOI, EARLY) is standard_calendars()["vietnam-local"]
        assert units.calendar_of("NOT-A-UNIT", EARLY) is EARLY


# -- a property: per-unit clocks against a simple oracle -----------------------------------

_CALENDARS: dict[str | None, WorkingCalendar] = {None: CASE_CALENDAR, HANOI: EARLY, HCMC: SATURDAYS}


@st.composite
def histories(draw: st.DrawFn) -> tuple[Case, datetime]:
    """A written case reassigned between the two offices a few times, at random moments."""
    start = vn(2026, 3, 2, 7, 0) + draw(st.integers(0, 5 * 24 * 60)) * M
    gaps = st.integers(1, 30 * 60).map(lambda minutes: minutes * M)
    case = open_case(inquiry(start), at=start, by="clerk")
    t = start + draw(gaps)
    case.complete("intake", at=t, by="clerk", kind="question", policy_areas=["social"],
                  topic="pension")  # fmt: skip
    for _ in range(draw(st.integers(1, 4))):
        t += draw(gaps)
        case.complete("assign", at=t, by="clerk", unit=draw(st.sampled_from([HANOI, HCMC])))
        t += draw(gaps)
        case.fire("reassign", at=t, by="officer")
    return case, t + draw(gaps)


def oracle_working_time(case: Case, at: datetime) -> dict[str | None, timedelta]:
    """Each span from a move to the next, counted on the calendar of the unit named last."""
    totals: dict[str | None, timedelta] = {}
    unit: str | None = None
    events = case.history
    for index, event in enumerate(events):
        if "unit" in event.data:
            unit = event.data["unit"]
        end = events[index + 1].at if index + 1 < len(events) else at
        used = _CALENDARS[unit].working_time(event.at, end)
        if used:
            totals[unit] = totals.get(unit, timedelta(0)) + used
    return totals


@settings(max_examples=60, deadline=None)
@given(histories())
def test_per_unit_clock_matches_the_oracle(drawn: tuple[Case, datetime]) -> None:
    """The clock time per unit equals each span counted on its holder's calendar, and the
    parts add up to the whole."""
    case, at = drawn
    policy = SlaPolicy(name="long", targets=(
        SlaTarget(name="respond", unit="working_time", limit=400 * H, source="ASSUMED: test"),
    ))  # fmt: skip
    (timer,) = sla_status(case, at=at, policy=policy, units=UNITS)
    assert dict(timer.by_unit) == oracle_working_time(case, at)
    assert sum((part.elapsed for part in timer.by_unit), timedelta(0)) == timer.elapsed
    assert timer.remaining == 400 * H - timer.elapsed


@settings(max_examples=60, deadline=None)
@given(histories(), st.integers(1, 30))
def test_judge_agrees_with_timers_across_units(drawn: tuple[Case, datetime], hours: int) -> None:
    """Ended by a withdrawal, a case gets from the report's judge the verdict its timer shows,
    on the units' own calendars."""
    case, at = drawn
    case.fire("withdraw", at=at, by="clerk")
    target = SlaTarget(name="respond", unit="working_time", limit=hours * H, source="ASSUMED: t")
    policy = SlaPolicy(name="short", targets=(target,))
    (timer,) = sla_status(case, at=at, policy=policy, units=UNITS)
    verdicts = SlaJudge(policies=[policy], units=UNITS)(case.inquiry, case.history).verdicts
    assert verdicts == (("respond", timer.state is SlaState.MET),)
    assert timer.state in {SlaState.MET, SlaState.BREACHED}
