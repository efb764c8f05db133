"""SLA clocks: the cases mutation testing showed the other tests did not pin down.

Each test names the behaviour it fixes; together they check every field of a timer, the
triggers one by one, the Civil Code roll-forward of a calendar-day deadline and the zone of every
moment a timer gives.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vss_care_core.calendar import vietnam_calendar
from vss_care_core.errors import InvalidInputError, NaiveDatetimeError
from vss_care_core.models import Inquiry, Move, Priority
from vss_care_core.process import Case, open_case
from vss_care_core.sla import SlaPolicy, SlaState, SlaTarget, SlaTimer, sla_status
from vss_care_core.sla._clock import Runs, clock_runs, day_deadline, measures_for, trigger_hits

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = vietnam_calendar()
H = timedelta(hours=1)
ANSWER = (
    "Lương hưu của bạn được tính theo số năm đóng bảo hiểm xã hội và mức bình quân tiền lương "
    "tháng đóng bảo hiểm xã hội."
)
OUTCOMES = frozenset({"answered", "withdrawn"})


def vn(*args: int) -> datetime:
    """A moment in Vietnamese local time."""
    return datetime(*args, tzinfo=VN)  # type: ignore[misc]


def written(at: datetime, **extra: Any) -> Case:
    """A written question opened at ``at`` and classified at once."""
    inquiry = Inquiry(
        channel="email",
        received_at=at,
        requester={"type": "individual", "name": "Trần Thị Bình"},
        subject="Cách tính lương hưu",
        content="Tôi đóng BHXH 25 năm, lương hưu được tính thế nào?",
        **extra,
    )
    case = open_case(inquiry, at=at, by="clerk")
    case.complete(
        "intake", at=at, by="clerk", kind="question", policy_areas=["social"], topic="pension"
    )
    return case


def target(**fields: Any) -> SlaTarget:
    """A test target (a plain 4-hour limit unless told)."""
    values: dict[str, Any] = {
        "name": "answer",
        "unit": "elapsed",
        "limit": 4 * H,
        "source": "ASSUMED test",
    }
    values.update(fields)
    return SlaTarget(**values)


def only(case: Case, at: datetime, one: SlaTarget) -> SlaTimer:
    """The timer of ``one`` target on ``case`` at ``at``."""
    (timer,) = sla_status(case, at=at, policy=SlaPolicy(name="test", targets=(one,)))
    return timer


def is_local(moment: datetime | None) -> bool:
    """Whether ``moment`` is expressed in the calendar's zone (not only the same instant)."""
    return moment is not None and moment.tzinfo == CAL.zone


class TestTriggers:
    """Each trigger form hits exactly the moves it names."""

    @pytest.mark.parametrize(
        ("trigger", "move", "hits"),
        [
            ("open", Move("open", None, "intake", None), True),
            ("open", Move("complete", "intake", "assign", "intake"), False),
            ("end", Move("complete", "send", "answered", "send"), True),
            ("end", Move("reopen", "answered", "withdrawn", None), False),
            ("end", Move("complete", "intake", "assign", "intake"), False),
            ("complete:intake", Move("complete", "intake", "assign", "intake"), True),
            ("complete:intake", Move("complete", "assign", "draft", "assign"), False),
            ("complete:intake", Move("forward", "intake", "intake", None), False),
            ("enter:awaiting_info", Move("request_info", "draft", "awaiting_info", None), True),
            ("enter:awaiting_info", Move("remind", "awaiting_info", "awaiting_info", None), False),
            ("enter:awaiting_info", Move("resume", "awaiting_info", "draft", None), False),
            ("enter:a:b", Move("x", "c", "a:b", None), True),
            ("request_info", Move("request_info", "draft", "awaiting_info", None), True),
            ("request_info", Move("resume", "awaiting_info", "draft", None), False),
            ("complete", Move("complete", "intake", "assign", "intake"), True),
            ("escalate", Move("complete", "intake", "assign", "intake"), False),
        ],
    )
    def test_trigger(self, trigger: str, move: Move, hits: bool) -> None:
        """A table of triggers and moves, including near misses."""
        assert trigger_hits(trigger, move, OUTCOMES) is hits

    def test_pause_from_applies_only_to_pause_states(self) -> None:
        """A target with ``pause_from`` does not run in an outcome it does not pause in."""
        one = target(pause=("awaiting_info",), pause_from=date(2026, 7, 1))
        assert clock_runs(one, "answered", OUTCOMES) is Runs.NEVER
        assert clock_runs(one, "awaiting_info", OUTCOMES) is Runs.BEFORE_PAUSE_RULE
        assert clock_runs(one, "draft", OUTCOMES) is Runs.ALWAYS


class TestDayDeadline:
    """Calendar-day limits end at 24:00 of their last day, moved to the next working day."""

    def test_last_day_a_saturday_moves_to_monday(self) -> None:
        """Budget runs out on Saturday 7 March 2026: the deadline is 24:00 on Monday 9 March."""
        assert day_deadline(vn(2026, 3, 7, 15, 0), "calendar_days", CAL) == vn(2026, 3, 10)

    def test_last_day_a_sunday_moves_to_monday(self) -> None:
        """Budget runs out at 24:00 on Sunday 8 March: the deadline is 24:00 on Monday 9."""
        assert day_deadline(vn(2026, 3, 9, 0, 0), "calendar_days", CAL) == vn(2026, 3, 10)

    def test_last_day_a_holiday_moves_past_the_holidays(self) -> None:
        """30 April and 1 May 2026 (Thursday, Friday) then a weekend: Monday 4 May."""
        assert day_deadline(vn(2026, 4, 30, 12, 0), "calendar_days", CAL) == vn(2026, 5, 5)
        assert day_deadline(vn(2026, 4, 30, 12, 0), "months", CAL) == vn(2026, 5, 5)

    def test_working_day_is_kept(self) -> None:
        """A last day that is a working day stays; a working-day limit never moves."""
        assert day_deadline(vn(2026, 3, 6, 10, 0), "calendar_days", CAL) == vn(2026, 3, 7)
        assert day_deadline(vn(2026, 3, 7, 15, 0), "working_days", CAL) == vn(2026, 3, 8)

    def test_last_day_is_read_in_the_calendars_zone(self) -> None:
        """20:00 UTC on Friday 6 March is 03:00 on Saturday in Hanoi: the day is Saturday."""
        reached = datetime(2026, 3, 6, 20, 0, tzinfo=UTC)
        assert day_deadline(reached, "calendar_days", CAL) == vn(2026, 3, 10)

    def test_calendar_day_target_on_a_case(self) -> None:
        """A 5-calendar-day target from Monday 2 March ends on Saturday 7: Monday 9, 24:00."""
        one = target(unit="calendar_days", limit=5)
        case = written(vn(2026, 3, 2, 9, 0))
        timer = only(case, vn(2026, 3, 3, 9, 0), one)
        assert timer.deadline == vn(2026, 3, 10)
        assert timer.state is SlaState.RUNNING


class TestMeasures:
    """The cached working time agrees with the calendar, for any two moments."""

    moments = st.lists(
        st.datetimes(
            min_value=datetime(2026, 2, 1),  # noqa: DTZ001 - hypothesis bounds are naive
            max_value=datetime(2026, 6, 1),  # noqa: DTZ001
            timezones=st.just(VN),
        ),
        min_size=1,
        max_size=6,
    ).map(sorted)

    @given(moments=moments, a=moments, b=moments)
    def test_working_between_matches_the_calendar(
        self, moments: list[datetime], a: list[datetime], b: list[datetime]
    ) -> None:
        """Moments known or not, ``between`` is the calendar's working time."""
        working = measures_for(CAL, moments)["working_time"]
        for start, end in [(moments[0], moments[-1]), (a[0], b[-1]), (moments[0], b[-1])]:
            if start <= end:
                assert working.between(start, end) == CAL.working_time(start, end)

    def test_plain_after_is_local(self) -> None:
        """A plain duration after a UTC moment is given in the calendar's zone."""
        measure = measures_for(CAL, [vn(2026, 3, 2, 9, 0)])["elapsed"]
        moment = measure.after(datetime(2026, 3, 2, 2, 0, tzinfo=UTC), H)
        assert moment == vn(2026, 3, 2, 10, 0)
        assert is_local(moment)


class TestTimerFields:
    """Every field of a timer, pending, running, met."""

    def test_pending_timer(self) -> None:
        """A clock that starts on a later step: every field at rest."""
        one = target(start="complete:draft")
        case = written(vn(2026, 3, 2, 9, 0))
        at = vn(2026, 3, 2, 10, 0)
        assert only(case, at, one) == SlaTimer(
            target=one,
            state=SlaState.PENDING,
            at=at,
            priority=Priority.NORMAL,
            limit=4 * H,
            limit_time=4 * H,
            started_at=None,
            stopped_at=None,
            deadline=None,
            elapsed=timedelta(0),
            remaining=4 * H,
            paused=timedelta(0),
            warnings=(),
            breached_at=None,
            next_alert_at=None,
        )

    def test_pending_day_timer_has_no_clock_time(self) -> None:
        """A pending limit in days has no clock time yet."""
        one = target(unit="working_days", limit=15, start="complete:draft")
        timer = only(written(vn(2026, 3, 2, 9, 0)), vn(2026, 3, 2, 10, 0), one)
        assert timer.limit == 15
        assert timer.limit_time == timedelta(0)
        assert timer.remaining == timedelta(0)

    def test_running_timer_moments_are_local(self) -> None:
        """Asked in UTC, a timer gives every moment in the calendar's zone."""
        one = target()
        case = written(vn(2026, 3, 2, 9, 0))
        at = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10:00 in Hanoi
        timer = only(case, at, one)
        assert timer.state is SlaState.RUNNING
        assert timer.at == at
        assert all(is_local(m) for m in (timer.at, timer.started_at, timer.deadline))
        assert timer.elapsed == H
        assert timer.next_alert_at == vn(2026, 3, 2, 11, 0)

    def test_met_timer(self) -> None:
        """A target met by its stop trigger: stopped, not breached, nothing paused after."""
        one = target(stop=("complete:assign",))
        case = written(vn(2026, 3, 2, 9, 0))
        case.complete("assign", at=vn(2026, 3, 2, 10, 0), by="lead", unit="hn")
        timer = only(case, datetime(2026, 3, 5, 3, 0, tzinfo=UTC), one)
        assert timer.state is SlaState.MET
        assert timer.stopped_at == vn(2026, 3, 2, 10, 0)
        assert is_local(timer.stopped_at)
        assert timer.deadline == vn(2026, 3, 2, 13, 0)
        assert timer.breached_at is None
        assert timer.paused == timedelta(0)
        assert timer.elapsed == H
        assert timer.priority is Priority.NORMAL

    def test_breached_timer(self) -> None:
        """A target that ran out: breached at its deadline, in the calendar's zone."""
        one = target()
        case = written(vn(2026, 3, 2, 9, 0))
        timer = only(case, datetime(2026, 3, 2, 8, 0, tzinfo=UTC), one)
        assert timer.state is SlaState.BREACHED
        assert timer.breached_at == vn(2026, 3, 2, 13, 0)
        assert is_local(timer.breached_at)

    def test_step_target_charges_only_its_step(self) -> None:
        """A per-step target stopped by leaving its step shows no paused time."""
        one = target(name="assign", step="assign")
        case = written(vn(2026, 3, 2, 9, 0))
        case.complete("assign", at=vn(2026, 3, 2, 10, 0), by="lead", unit="hn")
        timer = only(case, vn(2026, 3, 2, 15, 0), one)
        assert timer.elapsed == H
        assert timer.paused == timedelta(0)

    def test_inquiry_priority_chooses_the_limit(self) -> None:
        """An urgent inquiry gets the urgent limit, with no priority change recorded."""
        one = target(priority_limits={Priority.URGENT: H})
        case = written(vn(2026, 3, 2, 9, 0), priority="urgent")
        timer = only(case, vn(2026, 3, 2, 9, 30), one)
        assert timer.priority is Priority.URGENT
        assert timer.limit == H
        assert timer.deadline == vn(2026, 3, 2, 10, 0)


class TestStatusErrors:
    """Errors of sla_status name the argument and the case's first moment."""

    def test_naive_at_names_the_argument(self) -> None:
        """A naive ``at`` is refused, naming ``at``."""
        case = written(vn(2026, 3, 2, 9, 0))
        with pytest.raises(NaiveDatetimeError) as caught:
            sla_status(case, at=datetime(2026, 3, 2, 10, 0))  # noqa: DTZ001 - on purpose
        assert caught.value.name == "at"

    def test_before_opening_gives_the_opening_moment(self) -> None:
        """Asking before the case opened says when it opened."""
        case = written(vn(2026, 3, 2, 9, 0))
        later = open_case(case.inquiry, at=vn(2026, 3, 2, 9, 0), by="clerk")
        later.complete(
            "intake", at=vn(2026, 3, 2, 10, 0), by="clerk", kind="question",
            policy_areas=["social"], topic="pension",
        )  # fmt: skip
        with pytest.raises(InvalidInputError, match=r"\(2026-03-02T09:00:00\+07:00\)"):
            sla_status(later, at=vn(2026, 3, 1, 9, 0))
