"""Each KPI on the hand-made log of conftest.py, with the arithmetic written out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from vss_care_core.errors import InvalidInputError, LogFormatError
from vss_care_core.models import Event, Inquiry
from vss_care_core.monitoring import (
    KpiAccumulator,
    KpiReport,
    KpiSettings,
    LogRecord,
    SatisfactionResponse,
    compute_kpis,
)
from vss_care_core.sla import SlaJudge, SlaPolicy, SlaTarget


@pytest.fixture
def report(log: list[LogRecord]) -> KpiReport:
    return compute_kpis(log)


class TestCalls:
    def test_counts(self, report: KpiReport) -> None:
        """Six calls: four answered, two abandoned in the queue (one short), one dropped."""
        calls = report.by_channel["phone"]
        assert calls.calls_offered == 6
        assert calls.calls_answered == 4  # C1, C2, C5, C6
        assert calls.queue_abandons == 2  # C3 after 3 s, C4 after 40 s
        assert calls.short_abandons == 1  # C3
        assert calls.dropped_calls == 1  # C5, after the answer

    def test_service_level(self, report: KpiReport) -> None:
        """Answered within 20 s / (answered + abandoned after 5 s)."""
        # within 20 s: C1 (10 s), C5 (15 s), C6 (5 s); not C2 (30 s) -> 3
        # denominator: 4 answered + 2 queue abandons - 1 short abandon = 5
        assert report.overall.answered_within_threshold == 3
        assert report.overall.service_level == pytest.approx(3 / 5)

    def test_service_level_threshold_is_a_setting(self, log: list[LogRecord]) -> None:
        """With a 30 s threshold C2 counts too: 4 / 5."""
        report = compute_kpis(log, settings=KpiSettings(service_level_seconds=30))
        assert report.overall.service_level == pytest.approx(4 / 5)

    def test_average_speed_of_answer(self, report: KpiReport) -> None:
        # (10 + 30 + 15 + 5) / 4 = 15 s
        assert report.overall.average_speed_of_answer == pytest.approx(15.0)

    def test_abandonment_rate(self, report: KpiReport) -> None:
        # (2 queue abandons - 1 short) / (6 offered - 1 short) = 1 / 5
        assert report.overall.abandonment_rate == pytest.approx(0.2)

    def test_average_handle_time(self, report: KpiReport) -> None:
        # C1: 09:00:10 -> 09:05:10 = 300 s + 30 s wrap-up = 330
        # C2: 09:01:30 -> 09:04:30 = 180; C5: 09:04:15 -> 09:06:15 = 120 (dropped)
        # C6: 09:05:05 -> 09:08:05 = 180 (escalated); (330 + 180 + 120 + 180) / 4 = 202.5
        assert report.overall.average_handle_time == pytest.approx(202.5)

    def test_step_times(self, report: KpiReport) -> None:
        # greet completed by C1 (10 s), C2 (30 s), C5 (15 s), C6 (5 s): mean 15 s
        greet = report.by_step["call:greet"]
        assert greet.completions == 4
        assert greet.mean_seconds == pytest.approx(15.0)


class TestFirstContactResolution:
    def test_fcr(self, report: KpiReport) -> None:
        """Five handled cases; two resolved at the first contact."""
        # C1 closed but requester A asked again on the same topic (W1, 2 days later): no
        # C2 transferred: no;  C6 escalated: no;  W1 answered, no re-contact: yes
        # W2 answered, nobody re-contacted: yes  -> 2 / 5
        assert report.overall.fcr_eligible == 5
        assert report.overall.fcr_resolved == 2
        assert report.overall.first_contact_resolution == pytest.approx(0.4)

    def test_window(self, log: list[LogRecord]) -> None:
        """A 1-day window no longer sees W1 (2 days after C1) as a re-contact: 3 / 5."""
        report = compute_kpis(log, settings=KpiSettings(fcr_window=timedelta(days=1)))
        assert report.overall.first_contact_resolution == pytest.approx(3 / 5)


class TestWritten:
    def test_reopen_rate(self, report: KpiReport) -> None:
        # W1 and W2 answered; W2 reopened once: 1 / 2
        assert report.overall.written_answered == 2
        assert report.overall.reopens == 1
        assert report.overall.reopen_rate == pytest.approx(0.5)

    def test_returned_drafts_and_units(self, report: KpiReport) -> None:
        assert report.overall.returned_drafts == 1  # W1
        assert report.by_unit["TT-CSKH"].ended == 1  # W1 (W3 is still open)
        assert report.by_unit["PB-HCM"].ended == 1  # W2
        assert report.by_unit["unassigned"].ended == 6  # the six calls

    def test_outcomes(self, report: KpiReport) -> None:
        assert report.overall.outcomes == {
            "abandoned": 3,
            "answered": 2,
            "closed": 2,
            "escalated": 1,
        }

    def test_follow_up_is_counted_where_it_is_handled(self, report: KpiReport) -> None:
        """W2 follows up call C6 in writing: the call counts once under phone (offered, ended
        escalated), the written follow-up under post, the channel written cases of phone
        inquiries are handled in."""
        phone = report.by_channel["phone"]
        assert phone.ended == phone.calls_offered == 6  # C1..C6
        assert phone.outcomes["escalated"] == 1  # C6
        assert "answered" not in phone.outcomes
        post = report.by_channel["post"]
        assert (post.ended, post.calls_offered, post.written_answered) == (1, 0, 1)  # W2
        assert post.outcomes == {"answered": 1}
        assert report.by_channel["email"].ended == 1  # W1


class TestBacklog:
    def test_ageing_in_working_days(self, report: KpiReport) -> None:
        """W3, received Monday 2 March, is open on Monday 9 March (the last event)."""
        # working days after 2 March up to 9 March: 3, 4, 5, 6, 9 -> 5 -> bucket "2-5"
        assert report.as_of is not None
        assert report.as_of.date().isoformat() == "2026-03-09"
        assert report.overall.backlog.open == 1
        assert report.overall.backlog.ageing["2-5"] == 1
        assert report.by_channel["portal"].backlog.open == 1

    def test_volume(self, report: KpiReport) -> None:
        # 2 March: C1..C6 by phone, W2 (C6's follow-up) by post, W3 by portal; 4 March: W1
        assert report.volume == {
            "2026-03-02": {"phone": 6, "portal": 1, "post": 1},
            "2026-03-04": {"email": 1},
        }


class TestSatisfaction:
    def test_csat(self, report: KpiReport) -> None:
        # overall scores 5, 3, 4, 2: satisfied 2 of 4
        sat = report.overall.satisfaction
        assert (sat.responses, sat.satisfied, sat.csat) == (4, 2, 0.5)
        assert sat.factor_means == {"accessibility": 4.0, "quality": 5.0}

    def test_by_channel(self, report: KpiReport) -> None:
        # phone: C1 (5), C2 (3) -> 1 / 2; post: W2 (2) -> 0 / 1; email: W1 (4) -> 1 / 1
        assert report.by_channel["phone"].satisfaction.csat == pytest.approx(1 / 2)
        assert report.by_channel["post"].satisfaction.csat == 0.0
        assert report.by_channel["email"].satisfaction.csat == 1.0


class TestSla:
    def test_judge(self, log: list[LogRecord]) -> None:
        """Each target's verdicts are counted: compliance = met / (met + breached)."""
        policy = SlaPolicy(
            name="two-days",
            processes=("written",),
            targets=(
                SlaTarget(
                    name="answer_in_2_days",
                    unit="elapsed",
                    limit=timedelta(days=2),
                    source="ASSUMED: a test policy",
                ),
            ),
        )
        judge = SlaJudge(policies=[policy])
        report = compute_kpis(log, settings=KpiSettings(sla=judge))
        # W1 answered 1 day 1 hour after opening (met); W2 3 days 23 hours 52 minutes after
        # (breached); W3 still open; the calls have no policy here: 1 / 2
        sla = report.overall.sla["answer_in_2_days"]
        assert (sla.met, sla.breached, sla.compliance) == (1, 1, 0.5)
        assert report.by_channel["email"].sla["answer_in_2_days"].met == 1  # W1
        assert report.by_channel["post"].sla["answer_in_2_days"].breached == 1  # W2, from C6

    def test_default_policies(self, log: list[LogRecord]) -> None:
        """The default call policy: answer within 20 s, handle within 15 minutes."""
        report = compute_kpis(log, settings=KpiSettings(sla=SlaJudge()))
        # pickup: C1 10 s, C2 30 s, C3 abandoned after 3 s, C4 after 40 s, C5 15 s, C6 5 s
        # -> met C1, C3, C5, C6; breached C2, C4. W2, the written follow-up of C6's phone
        # inquiry, counted under post, has the written policy's "answer" (15 working days):
        # met in 4 days; the two promises are counted apart.
        pickup = report.by_channel["phone"].sla["pickup"]
        assert (pickup.met, pickup.breached) == (4, 2)
        assert "answer" not in report.by_channel["phone"].sla
        assert report.by_channel["post"].sla["answer"].met == 1
        assert report.overall.sla["pickup"].met == 4  # the written answers are not in it
        # handle (from the greeting to the end): C1 5 min, C2 3 min, C5 2 min, C6 3 min
        handle = report.by_channel["phone"].sla["handle"]
        assert (handle.met, handle.breached) == (4, 0)


class TestPeriod:
    def test_period_keeps_cases_opened_in_it(self, log: list[LogRecord]) -> None:
        report = compute_kpis(
            log, settings=KpiSettings(period_start=date(2026, 3, 3), period_end=date(2026, 3, 31))
        )
        assert report.overall.ended == 1  # W1 only
        assert report.overall.satisfaction.responses == 1  # S3, about W1
        assert report.overall.backlog.open == 0  # W3 opened on 2 March

    def test_bad_settings(self) -> None:
        with pytest.raises(InvalidInputError, match="service_level_seconds must be positive"):
            KpiSettings(service_level_seconds=0)


class TestAccumulator:
    def test_redelivered_events_count_once(self, log: list[LogRecord]) -> None:
        doubled: list[LogRecord] = []
        for record in log:
            doubled.append(record)
            if isinstance(record, Event) and record.action != "open":
                doubled.append(record)
        assert compute_kpis(doubled).overall == compute_kpis(log).overall

    def test_orphans_are_counted(self, log: list[LogRecord]) -> None:
        without_c1 = [r for r in log if not (isinstance(r, Inquiry) and r.id == "C1")]
        report = compute_kpis(without_c1)
        assert report.orphan_events == 8  # C1's open and its seven completions
        assert report.overall.calls_offered == 5

    def test_report_leaves_accumulator_unchanged(self, log: list[LogRecord]) -> None:
        accumulator = KpiAccumulator().add_all(log)
        assert accumulator.report() == accumulator.report()

    def test_stream_broken_midway_keeps_what_was_read(self, log: list[LogRecord]) -> None:
        # A log that breaks after 10 records: the accumulator keeps those 10, and reading the
        # rest afterwards gives the report of the whole log.
        def broken() -> Iterator[LogRecord]:
            yield from log[:10]
            raise LogFormatError(11, "not a JSON object")

        accumulator = KpiAccumulator()
        with pytest.raises(LogFormatError):
            accumulator.add_all(broken())
        assert accumulator.records == 10
        accumulator.add_all(log[10:])
        assert accumulator.report() == compute_kpis(log)


def test_a_survey_answer_delivered_twice_counts_once(log: list[LogRecord]) -> None:
    """Survey responses are de-duplicated by their id, as events are."""
    responses = [r for r in log if isinstance(r, SatisfactionResponse)]
    assert responses
    once = compute_kpis(log).overall.satisfaction
    twice = compute_kpis([*log, *responses]).overall.satisfaction
    assert twice == once
    assert once.responses == len(responses)
