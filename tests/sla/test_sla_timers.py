"""SLA timers on real cases: one dated case for each failure class of helpdesk SLA clocks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from vss_care_core.calendar import ALWAYS_OPEN, WorkingCalendar, vietnam_calendar
from vss_care_core.errors import InvalidInputError, NaiveDatetimeError
from vss_care_core.models import Answer, Inquiry
from vss_care_core.process import Case, open_case
from vss_care_core.sla import (
    SlaPolicy,
    SlaState,
    SlaTarget,
    SlaTimer,
    default_policy_for,
    policy_named,
    sla_status,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
H = timedelta(hours=1)
CAL = vietnam_calendar()
ANSWER = (
    "Lương hưu của bạn được tính theo số năm đóng bảo hiểm xã hội và mức bình quân tiền lương "
    "tháng đóng bảo hiểm xã hội."
)
LEGAL_ANSWER = Answer(
    text="Khiếu nại về lương hưu của bạn được giải quyết theo mức bình quân tiền lương tháng "
    "đóng bảo hiểm xã hội và số năm đóng.",
    legal_basis=("Luật Bảo hiểm xã hội 2024",),
)


def vn(*args: int) -> datetime:
    """A moment in Vietnamese local time."""
    return datetime(*args, tzinfo=VN)  # type: ignore[misc]


def inquiry(channel: str = "email", at: datetime | None = None, **extra: Any) -> Inquiry:
    """An inquiry about a pension."""
    return Inquiry(
        channel=channel,
        received_at=at or vn(2026, 3, 2, 9, 0),
        requester={"type": "individual", "name": "Trần Thị Bình"},
        subject="Cách tính lương hưu",
        content="Tôi đóng BHXH 25 năm, lương hưu được tính thế nào?",
        **extra,
    )


def written(at: datetime, kind: str = "question", **extra: Any) -> Case:
    """A written case opened at ``at`` and classified at once."""
    case = open_case(inquiry("email", at, **extra), at=at, by="clerk")
    case.complete("intake", at=at, by="clerk", kind=kind, policy_areas=["social"], topic="pension")
    return case


def timers(case: Case, at: datetime, **kwargs: Any) -> dict[str, SlaTimer]:
    """sla_status by target name."""
    return {t.name: t for t in sla_status(case, at=at, **kwargs)}


def policy(*targets: SlaTarget) -> SlaPolicy:
    """A test policy."""
    return SlaPolicy(name="test", targets=targets)


class TestPause:
    """The clock really pauses."""

    def test_awaiting_info_pauses_and_extends(self) -> None:
        """Two days waiting for the requester do not count and push the deadline."""
        case = written(vn(2026, 3, 2, 9, 0))  # Monday
        case.fire("request_info", at=vn(2026, 3, 3, 9, 0), by="clerk")
        paused = timers(case, vn(2026, 3, 4, 9, 0))["answer"]
        assert paused.state is SlaState.PAUSED
        assert paused.next_alert_at is None
        assert paused.elapsed == 8 * H  # Monday 9:00-17:00 (lunch out) + Tuesday 8:00-9:00
        case.fire("provide_info", at=vn(2026, 3, 5, 9, 0), by="clerk")
        running = timers(case, vn(2026, 3, 5, 10, 0))["answer"]
        assert running.state is SlaState.RUNNING
        assert running.paused == 16 * H
        assert running.elapsed == 9 * H
        unpaused = CAL.add_working_days(vn(2026, 3, 2, 9, 0), 15)
        assert unpaused == vn(2026, 3, 24, 0, 0)
        # the budget ran out two working days later: the period ends at 24:00 of that day
        assert running.deadline == vn(2026, 3, 26, 0, 0)

    def test_call_hold_is_timed_by_its_own_target(self) -> None:
        """Hold time is counted only while on hold, across holds."""
        start = vn(2026, 3, 2, 10, 0)
        case = open_case(inquiry("phone", start), at=start, by="switch")
        case.complete("greet", at=start + timedelta(seconds=10), by="agent")
        case.fire("hold", at=start + timedelta(seconds=30), by="agent")
        case.fire("resume", at=start + timedelta(seconds=90), by="agent")
        case.fire("hold", at=start + timedelta(seconds=100), by="agent")
        result = timers(case, start + timedelta(seconds=130))
        assert result["hold"].state is SlaState.RUNNING
        assert result["hold"].elapsed == timedelta(seconds=90)
        assert result["hold"].remaining == timedelta(seconds=30)
        assert result["pickup"].state is SlaState.MET
        assert result["handle"].state is SlaState.RUNNING
        case.fire("resume", at=start + timedelta(seconds=200), by="agent")
        result = timers(case, start + timedelta(seconds=300))
        assert result["hold"].state is SlaState.BREACHED
        assert result["hold"].breached_at == start + timedelta(seconds=160)


class TestWorkingHours:
    """Lunch breaks, split shifts, closing times, time zones."""

    def test_lunch_break_not_counted(self) -> None:
        """A working-time target skips the lunch break."""
        target = SlaTarget(name="reply", unit="working_time", limit=2 * H, source="ASSUMED")
        case = written(vn(2026, 3, 2, 11, 0))
        timer = timers(case, vn(2026, 3, 2, 14, 0), policy=policy(target))["reply"]
        assert timer.elapsed == 2 * H
        assert timer.deadline == vn(2026, 3, 2, 14, 0)
        assert timer.state is SlaState.RUNNING  # due at 14:00: not breached at 14:00

    def test_split_shift(self) -> None:
        """A calendar with three shifts a day."""
        shifts = WorkingCalendar(
            zone=VN, weekly_hours={"mon-sun": "06:00-10:00, 14:00-18:00, 19:00-21:00"}
        )
        target = SlaTarget(name="reply", unit="working_time", limit=5 * H, source="ASSUMED")
        case = written(vn(2026, 3, 2, 9, 0))
        timer = timers(case, vn(2026, 3, 2, 9, 30), policy=policy(target), calendar=shifts)["reply"]
        assert timer.deadline == vn(2026, 3, 2, 18, 0)  # 1 h in the morning, 4 h afternoon

    def test_deadline_keeps_its_hour(self) -> None:
        """16 working hours from Monday 10:00 are due Wednesday 10:00, not at midnight."""
        target = SlaTarget(name="reply", unit="working_time", limit=16 * H, source="ASSUMED")
        case = written(vn(2026, 3, 2, 10, 0))
        timer = timers(case, vn(2026, 3, 2, 10, 0), policy=policy(target))["reply"]
        assert timer.deadline == vn(2026, 3, 4, 10, 0)

    def test_closing_time_due_and_breach(self) -> None:
        """Due at 17:00: still running at 17:00, breached once that moment has passed."""
        target = SlaTarget(name="reply", unit="working_time", limit=H, source="ASSUMED")
        case = written(vn(2026, 3, 2, 16, 0))
        assert timers(case, vn(2026, 3, 2, 17, 0), policy=policy(target))["reply"].state is (
            SlaState.RUNNING
        )
        late = timers(case, vn(2026, 3, 2, 17, 30), policy=policy(target))["reply"]
        assert late.state is SlaState.BREACHED
        assert late.breached_at == vn(2026, 3, 2, 17, 0)

    def test_events_in_utc_over_tet(self) -> None:
        """A case opened at 16:30 on Friday 13 Feb 2026 (given in UTC) is due after Tết."""
        opened = datetime(2026, 2, 13, 9, 30, tzinfo=UTC)
        case = written(opened)
        timer = timers(case, datetime(2026, 2, 16, 3, 0, tzinfo=UTC))["answer"]
        assert timer.started_at == vn(2026, 2, 13, 16, 30)
        assert timer.elapsed == timedelta(minutes=30)  # Tết does not count
        # 15 working days from Monday 23 Feb: 23-27 Feb, 2-6, 9-13 Mar
        assert timer.deadline == vn(2026, 3, 14, 0, 0)
        assert timer.deadline is not None
        assert timer.deadline.tzinfo == VN

    def test_worked_saturday_counts(self) -> None:
        """The Saturday worked on 10 Jan 2026 is a working day for the legal count."""
        case = written(vn(2026, 1, 9, 15, 0), kind="denunciation")
        timer = timers(case, vn(2026, 1, 9, 15, 0))["notify"]
        # 10 Jan (Sat, worked), 12, 13, 14, 15 Jan
        assert timer.deadline == vn(2026, 1, 16, 0, 0)


class TestWarnings:
    """Warnings come in working time, never at night."""

    def test_next_alert_in_working_time(self) -> None:
        """The 50% warning of 15 working days falls in opening hours."""
        case = written(vn(2026, 3, 2, 8, 0))
        timer = timers(case, vn(2026, 3, 2, 8, 0))["answer"]
        # the event's day is not counted, but its working hours are on the clock: 8 + 15 x 8 h
        assert timer.limit_time == 128 * H
        assert timer.next_alert_at == vn(2026, 3, 11, 17, 0)  # 64 working hours
        later = timers(case, vn(2026, 3, 12, 8, 0))["answer"]
        assert later.warnings == (0.5,)
        assert later.next_alert_at == vn(2026, 3, 17, 17, 0)  # 96 working hours

    def test_breach_alert_moved_to_opening(self) -> None:
        """A legal deadline at 24:00 alerts at the next opening, not at midnight."""
        case = written(vn(2026, 3, 2, 8, 0))
        timer = timers(case, vn(2026, 3, 23, 16, 0))["answer"]
        assert timer.warnings == (0.5, 0.75)
        assert timer.deadline == vn(2026, 3, 24, 0, 0)
        assert timer.next_alert_at == vn(2026, 3, 24, 8, 0)

    def test_calendar_day_warning_not_at_night(self) -> None:
        """A calendar-day target's warning at 02:00 is moved to 08:00."""
        target = SlaTarget(
            name="reply", unit="calendar_days", limit=2, warn_at=(0.5,), source="ASSUMED"
        )
        case = written(vn(2026, 3, 2, 20, 0))  # budget: until 00:00 Thursday = 52 h
        timer = timers(case, vn(2026, 3, 2, 20, 0), policy=policy(target))["reply"]
        assert timer.limit_time == 52 * H
        assert timer.next_alert_at == vn(2026, 3, 4, 8, 0)  # 26 h later would be 22:00 Tue...

    def test_elapsed_target_alerts_any_time(self) -> None:
        """Targets in elapsed time (the 24/7 hotline) alert at the exact moment."""
        start = vn(2026, 3, 2, 2, 0)
        case = open_case(inquiry("phone", start), at=start, by="switch")
        timer = timers(case, start)["pickup"]
        assert timer.next_alert_at == start + timedelta(seconds=10)


class TestIndependence:
    """Targets do not interfere."""

    def test_first_response_does_not_stop_resolution(self) -> None:
        """Meeting the acceptance target leaves the resolution clock running."""
        case = written(vn(2026, 3, 2, 9, 0), kind="complaint")
        result = timers(case, vn(2026, 3, 3, 9, 0))
        assert result["accept"].state is SlaState.MET
        assert result["resolve"].state is SlaState.RUNNING
        assert result["resolve"].started_at == vn(2026, 3, 2, 9, 0)

    def test_step_targets_charge_each_step(self) -> None:
        """A slow draft does not eat the review's time: each step is charged its own time."""
        case = written(vn(2026, 3, 2, 9, 0))
        case.complete("assign", at=vn(2026, 3, 2, 10, 0), by="lead", unit="hn")
        case.complete("draft", at=vn(2026, 3, 10, 10, 0), by="agent", answer=ANSWER)
        case.fire("return_draft", at=vn(2026, 3, 10, 15, 0), by="reviewer", reasons=["unclear"])
        result = timers(case, vn(2026, 3, 11, 9, 0))
        review = result["review"]
        assert review.state is SlaState.MET  # not in review now; 4 h used of 16
        assert review.elapsed == 4 * H
        case.complete("draft", at=vn(2026, 3, 11, 10, 0), by="agent", answer=ANSWER)
        review = timers(case, vn(2026, 3, 11, 16, 0))["review"]
        assert review.state is SlaState.RUNNING
        assert review.elapsed == 9 * H
        assert review.deadline == vn(2026, 3, 12, 15, 0)
        assert result["answer"].elapsed > 40 * H  # the whole case's clock is separate

    def test_priority_change_recomputes_from_start(self) -> None:
        """Urgent: 3 working days from the original start, paused time kept."""
        case = written(vn(2026, 3, 2, 9, 0))
        case.fire("request_info", at=vn(2026, 3, 2, 10, 0), by="clerk")
        case.fire("provide_info", at=vn(2026, 3, 3, 10, 0), by="clerk")
        before = timers(case, vn(2026, 3, 3, 11, 0))["answer"]
        case.fire("set_priority", at=vn(2026, 3, 3, 11, 0), by="lead", priority="urgent")
        after = timers(case, vn(2026, 3, 3, 11, 30))["answer"]
        assert after.limit == 3
        assert after.started_at == before.started_at
        assert after.paused == before.paused == 8 * H
        # 3 working days after Monday end at 24:00 Thursday (a 31 h budget); the 8 h paused
        # push the budget's end to Friday 17:00, so the period ends at 24:00 Friday
        assert after.deadline == vn(2026, 3, 7, 0, 0)
        assert before.limit == 15


class TestLaw:
    """The legal limits of the default policies."""

    def test_complaint_accept_over_tet(self) -> None:
        """10 days from 5 Feb 2026 end on Sunday 15 Feb in Tết: due 24:00 Monday 23 Feb."""
        case = open_case(inquiry("post", vn(2026, 2, 5, 9, 0)), at=vn(2026, 2, 5, 9, 0), by="a")
        policy = policy_named("complaint")
        timer = timers(case, vn(2026, 2, 20, 9, 0), policy=policy)["accept"]
        assert timer.deadline == vn(2026, 2, 24, 0, 0)
        assert timer.state is SlaState.RUNNING
        assert timer.warnings == (0.5, 0.75)
        assert timer.next_alert_at == vn(2026, 2, 24, 8, 0)  # the breach, at the next opening

    def test_suspension_pauses_from_july_2026(self) -> None:
        """Suspension does not stop the complaint clock before 1 July 2026; it does after."""
        june = written(vn(2026, 6, 1, 9, 0), kind="complaint")
        june.complete("assign", at=vn(2026, 6, 2, 9, 0), by="lead", unit="hn")
        june.fire("suspend", at=vn(2026, 6, 10, 9, 0), by="lead")
        early = timers(june, vn(2026, 6, 20, 9, 0))["resolve"]
        assert early.state is SlaState.RUNNING
        assert early.paused == timedelta(0)
        later = timers(june, vn(2026, 7, 3, 9, 0))["resolve"]
        assert later.state is SlaState.PAUSED
        assert later.paused == timedelta(days=2, hours=9)  # since 00:00 on 1 July

    def test_complex_complaint_variant(self) -> None:
        """The complex variant is chosen by name: 45 days."""
        case = written(vn(2026, 3, 2, 9, 0), kind="complaint")
        normal = timers(case, vn(2026, 3, 2, 9, 0))["resolve"]
        complex_ = timers(case, vn(2026, 3, 2, 9, 0), policy=policy_named("complaint-complex"))
        assert normal.deadline == vn(2026, 4, 2, 0, 0)
        assert complex_["resolve"].deadline == vn(2026, 4, 17, 0, 0)

    def test_feedback_routed_within_five_working_days(self) -> None:
        """Feedback outside VSS's authority is forwarded within 5 working days."""
        case = written(vn(2026, 4, 23, 9, 0), kind="feedback")
        case.fire("forward", at=vn(2026, 5, 4, 9, 0), by="clerk", agency="Sở Y tế")
        result = timers(case, vn(2026, 5, 5, 9, 0))
        # 24 Apr, 28, 29 Apr, 4, 5 May (27 Apr, 30 Apr, 1 May off): due 24:00 5 May
        assert result["route"].deadline == vn(2026, 5, 6, 0, 0)
        assert result["route"].state is SlaState.MET
        assert result["answer"].state is SlaState.MET  # the case ended

    def test_answered_in_time(self) -> None:
        """A written question answered the same week is met."""
        case = written(vn(2026, 3, 2, 9, 0))
        case.complete("assign", at=vn(2026, 3, 2, 10, 0), by="lead", unit="hn")
        case.complete("draft", at=vn(2026, 3, 3, 10, 0), by="agent", answer=ANSWER)
        case.complete("review", at=vn(2026, 3, 3, 11, 0), by="reviewer")
        case.complete("send", at=vn(2026, 3, 3, 11, 30), by="reviewer")
        answer = timers(case, vn(2026, 4, 1, 9, 0))["answer"]
        assert answer.state is SlaState.MET
        assert answer.stopped_at == vn(2026, 3, 3, 11, 30)
        assert answer.next_alert_at is None

    def test_late_answer_breached(self) -> None:
        """An answer sent after the legal end is breached at 24:00 of the last day."""
        case = written(vn(2026, 3, 2, 9, 0))
        case.complete("assign", at=vn(2026, 3, 2, 10, 0), by="lead", unit="hn")
        case.complete("draft", at=vn(2026, 3, 20, 10, 0), by="agent", answer=ANSWER)
        case.complete("review", at=vn(2026, 3, 23, 11, 0), by="reviewer")
        case.complete("send", at=vn(2026, 3, 24, 8, 30), by="reviewer")
        answer = timers(case, vn(2026, 3, 25, 9, 0))["answer"]
        assert answer.state is SlaState.BREACHED
        assert answer.breached_at == vn(2026, 3, 24, 0, 0)


class TestPurity:
    """The same history always gives the same result."""

    def test_replay_gives_same_timers(self) -> None:
        """A case rebuilt from its events gives identical timers."""
        case = written(vn(2026, 3, 2, 9, 0))
        case.fire("request_info", at=vn(2026, 3, 3, 9, 0), by="clerk")
        case.fire("provide_info", at=vn(2026, 3, 4, 9, 0), by="clerk")
        again = Case.replay(case.inquiry, case.history)
        at = vn(2026, 3, 5, 9, 0)
        assert sla_status(case, at=at) == sla_status(again, at=at)
        assert sla_status(case, at=at) == sla_status(case, at=at)

    def test_events_after_at_ignored(self) -> None:
        """Asking about a past moment ignores later events."""
        case = written(vn(2026, 3, 2, 9, 0))
        at = vn(2026, 3, 3, 9, 0)
        before = sla_status(case, at=at)
        case.fire("request_info", at=vn(2026, 3, 3, 12, 0), by="clerk")
        assert sla_status(case, at=at) == before

    def test_at_in_another_zone(self) -> None:
        """The same moment given in UTC gives the same timers."""
        case = written(vn(2026, 3, 2, 9, 0))
        at = vn(2026, 3, 3, 9, 0)
        assert sla_status(case, at=at) == sla_status(case, at=at.astimezone(UTC))

    def test_inputs_checked(self) -> None:
        """Naive and too-early moments are refused."""
        case = written(vn(2026, 3, 2, 9, 0))
        with pytest.raises(NaiveDatetimeError):
            sla_status(case, at=datetime(2026, 3, 3, 9, 0))  # noqa: DTZ001 - the point
        with pytest.raises(InvalidInputError, match="before the case was opened"):
            sla_status(case, at=vn(2026, 3, 1, 9, 0))

    def test_pending_until_started(self) -> None:
        """A target whose start event has not happened is pending."""
        case = open_case(inquiry("post"), at=vn(2026, 3, 2, 9, 0), by="clerk")
        result = timers(case, vn(2026, 3, 2, 10, 0), policy=policy_named("complaint"))
        assert result["resolve"].state is SlaState.PENDING
        assert result["resolve"].deadline is None
        assert result["accept"].state is SlaState.RUNNING

    def test_always_open_calendar(self) -> None:
        """On a 24/7 calendar working time is elapsed time."""
        target = SlaTarget(name="reply", unit="working_time", limit=30 * H, source="ASSUMED")
        case = written(vn(2026, 2, 16, 9, 0))
        timer = timers(case, vn(2026, 2, 16, 9, 0), policy=policy(target), calendar=ALWAYS_OPEN)
        assert timer["reply"].deadline == vn(2026, 2, 17, 15, 0)


class TestDefaultSelection:
    """default_policy_for picks by process and classified kind."""

    @pytest.mark.parametrize(
        ("kind", "expected"),
        [
            ("question", "written"),
            ("support", "written"),
            ("feedback", "feedback"),
            ("complaint", "complaint"),
            ("denunciation", "denunciation"),
        ],
    )
    def test_written_kinds(self, kind: str, expected: str) -> None:
        """The classification chooses the policy."""
        assert default_policy_for(written(vn(2026, 3, 2, 9, 0), kind=kind)).name == expected

    def test_call_and_unclassified(self) -> None:
        """A call gets the call policy; an unclassified written case the general one."""
        call = open_case(inquiry("phone"), at=vn(2026, 3, 2, 9, 0), by="switch")
        assert default_policy_for(call).name == "call"
        letter = open_case(inquiry("post"), at=vn(2026, 3, 2, 9, 0), by="clerk")
        assert default_policy_for(letter).name == "written"
        assert (
            default_policy_for(
                open_case(inquiry("post", kind="complaint"), at=vn(2026, 3, 2, 9, 0), by="clerk")
            ).name
            == "complaint"
        )

    def test_complaint_answer_with_legal_basis(self) -> None:
        """A complaint resolved within 30 days is met."""
        case = written(vn(2026, 3, 2, 9, 0), kind="complaint")
        case.complete("assign", at=vn(2026, 3, 3, 9, 0), by="lead", unit="hn")
        case.complete("draft", at=vn(2026, 3, 20, 9, 0), by="agent", answer=LEGAL_ANSWER)
        case.complete("review", at=vn(2026, 3, 23, 9, 0), by="reviewer")
        case.complete("send", at=vn(2026, 3, 24, 9, 0), by="reviewer")
        result = timers(case, vn(2026, 4, 30, 9, 0))
        assert result["resolve"].state is SlaState.MET
        assert date(2026, 3, 24) == result["resolve"].stopped_at.date()  # type: ignore[union-attr]


class TestEscalation:
    """Level 1 does not use up level 2's clock."""

    def test_follow_up_case_has_its_own_clock(self) -> None:
        """A call escalated after 2 working hours opens a written case timed from then."""
        start = vn(2026, 3, 2, 8, 0)
        call = open_case(inquiry("phone", start), at=start, by="switch")
        call.complete("greet", at=start + timedelta(seconds=5), by="agent")
        call.complete("identify", at=start + timedelta(minutes=1), by="agent")
        call.complete("listen", at=start + timedelta(minutes=3), by="agent")
        call.complete(
            "classify",
            at=start + timedelta(minutes=4),
            by="agent",
            kind="question",
            policy_areas=["social"],
            topic="pension",
        )
        escalated_at = start + 2 * H
        call.fire("escalate", at=escalated_at, by="agent")
        follow = call.follow_up()
        assert follow is not None
        call_timers = timers(call, escalated_at)
        assert call_timers["handle"].state is SlaState.BREACHED  # the call itself ran long
        written_timers = timers(follow, vn(2026, 3, 2, 11, 0))
        assert written_timers["answer"].started_at == escalated_at
        assert written_timers["answer"].elapsed == H
        assert written_timers["answer"].state is SlaState.RUNNING


def test_policy_follows_the_classification_known_at_the_time() -> None:
    """Before intake classifies a letter as a complaint, the general written policy applies."""
    opened = vn(2026, 3, 2, 9, 0)
    case = open_case(inquiry("post", opened), at=opened, by="clerk")
    case.complete(
        "intake",
        at=vn(2026, 3, 3, 9, 0),
        by="clerk",
        kind="complaint",
        policy_areas=["social"],
        topic="pension",
    )
    assert default_policy_for(case).name == "complaint"
    assert default_policy_for(case, at=vn(2026, 3, 2, 12, 0)).name == "written"
    assert {t.name for t in sla_status(case, at=vn(2026, 3, 2, 12, 0))} == {"answer", "review"}
    assert {t.name for t in sla_status(case, at=vn(2026, 3, 3, 12, 0))} == {"accept", "resolve"}
