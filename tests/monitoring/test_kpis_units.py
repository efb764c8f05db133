"""A report judges opening-hours clocks on the calendar of the unit holding each case.

The report's verdicts must be those :func:`~vss_care_core.sla.sla_status` shows at the case's
end with the same units: on a case handed from an office with early hours to one open on
Saturday mornings, dated, and on the same case at times drawn by hypothesis.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.sla.offices import (
    ANSWER,
    HANOI,
    HCMC,
    HOURS_POLICY,
    UNITS,
    vn,
)

from vss_care_core.errors import InvalidInputError
from vss_care_core.models import Inquiry
from vss_care_core.monitoring import KpiAccumulator, KpiReport, KpiSettings, compute_kpis
from vss_care_core.process import Case, open_case
from vss_care_core.sla import (
    SlaJudge,
    SlaPolicy,
    SlaState,
    UnitCalendars,
    policy_for_case,
    sla_status,
)


def transferred_case(gaps: list[timedelta] | None = None) -> Case:
    """A written question received on Thursday 5 March 2026 at 16:00, assigned to Hà Nội,
    reassigned and handed to Hồ Chí Minh City, then drafted, reviewed and sent.

    ``gaps``: the time before each of the seven moves after the opening (by default the dated
    story: 16:30, 16:45, Friday 10:30 and 11:00, Monday 9:00, 10:00 and 11:00).
    """
    start = vn(2026, 3, 5, 16, 0)
    if gaps is None:
        moments = [
            vn(2026, 3, 5, 16, 30),
            vn(2026, 3, 5, 16, 45),
            vn(2026, 3, 6, 10, 30),
            vn(2026, 3, 6, 11, 0),
            vn(2026, 3, 9, 9, 0),
            vn(2026, 3, 9, 10, 0),
            vn(2026, 3, 9, 11, 0),
        ]
    else:
        moments = []
        moment = start
        for gap in gaps:
            moment += gap
            moments.append(moment)
    inquiry = Inquiry(
        channel="email",
        received_at=start,
        requester={"type": "individual", "name": "Trần Thị Bình"},
        subject="Cách tính lương hưu",
        content="Tôi đóng BHXH 25 năm, lương hưu được tính thế nào?",
    )
    case = open_case(inquiry, at=start, by="clerk")
    intake, assign, reassign, handed, draft, review, send = moments
    case.complete(
        "intake", at=intake, by="clerk", kind="question", policy_areas=["social"], topic="pension"
    )
    case.complete("assign", at=assign, by="clerk", unit=HANOI)
    case.fire("reassign", at=reassign, by="officer")
    case.complete("assign", at=handed, by="clerk", unit=HCMC)
    case.complete("draft", at=draft, by="officer", answer=ANSWER)
    case.complete("review", at=review, by="head")
    case.complete("send", at=send, by="clerk")
    return case


def report_of(case: Case, kpi_settings: KpiSettings) -> KpiReport:
    """The report over the log of ``case`` alone."""
    return compute_kpis([case.inquiry, *case.history], settings=kpi_settings)


def verdicts_of(report: KpiReport) -> dict[str, bool]:
    """Each target of the one case reported: met (True) or breached (False)."""
    verdicts = {}
    for name, figures in report.overall.sla.items():
        assert figures.met + figures.breached == 1, name
        verdicts[name] = figures.met == 1
    return verdicts


def timer_verdicts(case: Case, policy: SlaPolicy, units: UnitCalendars | None) -> dict[str, bool]:
    """What :func:`sla_status` shows at the case's end: met or breached, for each target
    that is one of them."""
    end = case.history[-1].at
    return {
        timer.name: timer.state is SlaState.MET
        for timer in sla_status(case, at=end, policy=policy, units=units)
        if timer.state in (SlaState.MET, SlaState.BREACHED)
    }


class TestUnitsInReports:
    """``KpiSettings(units=...)`` and a judge with units give the timers' verdicts."""

    def test_the_dated_case_is_judged_on_each_units_hours(self) -> None:
        """16 working hours from Thursday 16:00: on the offices' own hours they ran out on
        Monday at 10:30, before the answer was sent at 11:00; on 8:00-17:00 hours they did not
        (Thursday 1 h, Friday 8 h, Monday 3 h)."""
        case = transferred_case()
        judge = SlaJudge(policies=[HOURS_POLICY], units=UNITS)
        with_units = verdicts_of(report_of(case, KpiSettings(units=UNITS, sla=judge)))
        without = verdicts_of(report_of(case, KpiSettings(sla=SlaJudge(policies=[HOURS_POLICY]))))
        assert with_units == {"respond": False, "period": True}
        assert with_units == timer_verdicts(case, HOURS_POLICY, UNITS)
        assert without == {"respond": True, "period": True}
        assert without == timer_verdicts(case, HOURS_POLICY, None)

    def test_the_default_judge_takes_the_units(self) -> None:
        """``KpiSettings(units=...)`` builds the default judge with them: the verdicts of the
        default policies are those of ``sla_status`` with the same units."""
        case = transferred_case()
        kpi_settings = KpiSettings(units=UNITS)
        judge = kpi_settings.judge
        assert judge is not None
        assert judge.units is UNITS
        policy = policy_for_case(case.definition, case.inquiry, case.history, units=UNITS)
        expected = timer_verdicts(case, policy, UNITS)
        assert expected  # the default written policy judges this case
        assert verdicts_of(report_of(case, kpi_settings)) == expected

    def test_a_judge_with_other_units_is_refused(self) -> None:
        """Units given beside a judge that has none (or others) would be silently ignored."""
        with pytest.raises(InvalidInputError, match="units= is given to the default judge"):
            KpiSettings(units=UNITS, sla=SlaJudge())

    def test_a_saved_state_keeps_who_held_the_case(self) -> None:
        """Saved while the case is in Hồ Chí Minh City and continued: the same verdicts as
        one pass (the units holding it before the save are in the state)."""
        case = transferred_case()
        records = [case.inquiry, *case.history]
        judge = SlaJudge(policies=[HOURS_POLICY], units=UNITS)
        kpi_settings = KpiSettings(units=UNITS, sla=judge)
        first = KpiAccumulator(settings=kpi_settings).add_all(records[:6])
        again = KpiAccumulator.from_state(first.save_state(), settings=kpi_settings)
        continued = again.add_all(records[6:]).report()
        assert verdicts_of(continued) == {"respond": False, "period": True}
        assert continued == report_of(case, kpi_settings)


_GAPS = st.lists(
    st.integers(min_value=1, max_value=60 * 30).map(lambda minutes: timedelta(minutes=minutes)),
    min_size=7,
    max_size=7,
)


@settings(max_examples=40, deadline=None)
@given(gaps=_GAPS)
def test_report_verdicts_equal_the_timers_at_the_end(gaps: list[timedelta]) -> None:
    """At any times of the moves, the report with units gives the verdicts the timers show
    when the case ends, with units and without."""
    case = transferred_case(gaps)
    for units in (UNITS, None):
        judge = SlaJudge(policies=[HOURS_POLICY], units=units)
        report = report_of(case, KpiSettings(units=units, sla=judge))
        assert verdicts_of(report) == timer_verdicts(case, HOURS_POLICY, units)
