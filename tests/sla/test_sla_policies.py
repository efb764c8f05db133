"""SLA targets, policies and the shipped defaults; the pause clock against a minute oracle."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vss_care_core.calendar import vietnam_calendar
from vss_care_core.errors import SlaPolicyError
from vss_care_core.models import Inquiry, Priority
from vss_care_core.process import Case, open_case
from vss_care_core.sla import (
    SlaPolicy,
    SlaState,
    SlaTarget,
    default_policies,
    load_policies,
    policy_named,
    select_policy,
    sla_status,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = vietnam_calendar()
MINUTE = timedelta(minutes=1)

settings.register_profile("sla-oracle", max_examples=40, deadline=None)
SLA_ORACLE = settings.get_profile("sla-oracle")


class TestTarget:
    """SlaTarget is checked when built."""

    def test_every_problem_listed(self) -> None:
        """All problems at once, each saying how to fix it."""
        with pytest.raises(SlaPolicyError) as info:
            SlaTarget(
                name="Answer Time",
                unit="working_days",
                limit=timedelta(hours=2),
                start="when it opens",
                stop=("complete:",),
                warn_at=(0.75, 0.5),
                source=" ",
            )
        problems = info.value.problems
        assert len(problems) == 6
        text = str(info.value)
        for word in ("lowercase code", "whole number of days", "not a trigger", "increasing"):
            assert word in text
        assert "ASSUMED" in text

    def test_time_units_need_a_timedelta(self) -> None:
        """A working-time limit is a positive duration."""
        with pytest.raises(SlaPolicyError, match="positive timedelta"):
            SlaTarget(name="a", unit="working_time", limit=3, source="ASSUMED")
        with pytest.raises(SlaPolicyError, match="not a priority"):
            SlaTarget(
                name="a",
                unit="working_days",
                limit=3,
                priority_limits={"asap": 1},  # type: ignore[dict-item]
                source="ASSUMED",
            )

    def test_priority_limit(self) -> None:
        """The limit follows the priority."""
        target = SlaTarget(
            name="a", unit="working_days", limit=15, priority_limits={"urgent": 3}, source="x"
        )
        assert target.limit_for(Priority.URGENT) == 3
        assert target.limit_for(Priority.LOW) == 15
        assert not target.assumed

    def test_frozen(self) -> None:
        """Targets are immutable."""
        target = SlaTarget(name="a", unit="working_days", limit=3, source="ASSUMED: ours")
        with pytest.raises(AttributeError):
            target.limit = 4  # type: ignore[misc]
        assert target.assumed


class TestPolicy:
    """SlaPolicy and the shipped defaults."""

    def test_duplicate_targets_refused(self) -> None:
        """Two targets with one name are refused."""
        target = SlaTarget(name="a", unit="working_days", limit=3, source="ASSUMED")
        with pytest.raises(SlaPolicyError, match="more than once"):
            SlaPolicy(name="p", targets=(target, target))
        with pytest.raises(SlaPolicyError, match="at least one target"):
            SlaPolicy(name="p", targets=())

    def test_every_default_target_cites_or_assumes(self) -> None:
        """Each shipped target has a source; the assumed ones say so."""
        for policy in default_policies():
            for target in policy.targets:
                assert target.source.strip()
        assumed = {t.name for p in default_policies() for t in p.targets if t.assumed}
        assert {"pickup", "hold", "handle", "review"} <= assumed
        cited = policy_named("written").target("answer")
        assert "Decree 43/2011" in cited.source
        assert "unconfirmed" in cited.source

    def test_the_legal_limits(self) -> None:
        """The limits of domain.md."""
        assert policy_named("written").target("answer").limit == 15
        assert policy_named("complaint").target("accept").limit == 10
        assert policy_named("complaint").target("resolve").limit == 30
        assert policy_named("complaint-complex").target("resolve").limit == 45
        assert policy_named("complaint-remote").target("resolve").limit == 45
        assert policy_named("complaint-remote-complex").target("resolve").limit == 60
        resolve = policy_named("complaint").target("resolve")
        assert "suspended" in resolve.pause
        assert resolve.pause_from is not None
        assert resolve.pause_from.isoformat() == "2026-07-01"
        assert policy_named("denunciation").target("notify").unit == "working_days"
        assert policy_named("denunciation").target("settle").limit == 30
        assert policy_named("feedback").target("route").limit == 5

    def test_unknown_names(self) -> None:
        """Unknown policies and targets say what exists."""
        with pytest.raises(KeyError, match="complaint-complex"):
            policy_named("complaints")
        with pytest.raises(KeyError, match="accept"):
            policy_named("complaint").target("answer")

    def test_no_match(self) -> None:
        """Selection without a fallback fails clearly."""
        only = [policy_named("complaint")]
        with pytest.raises(SlaPolicyError, match="fallback"):
            select_policy(
                process="call", channel="phone", kind=None, priority="normal", policies=only
            )  # type: ignore[arg-type]

    def test_load_from_file(self, tmp_path: Path) -> None:
        """Users ship their own policies as data."""
        data = {
            "policies": [
                {
                    "name": "hotline",
                    "processes": ["call"],
                    "targets": [
                        {
                            "name": "answer",
                            "unit": "elapsed",
                            "limit": "PT30S",
                            "stop": ["complete:greet"],
                            "source": "ASSUMED: our province's target",
                        }
                    ],
                }
            ]
        }
        path = tmp_path / "policies.json"
        path.write_text(json.dumps(data), "utf-8")
        (policy,) = load_policies(path)
        assert policy.target("answer").limit == timedelta(seconds=30)

    def test_bad_data_lists_every_problem(self) -> None:
        """Data errors are all reported."""
        data = {
            "policies": [
                {
                    "name": "p",
                    "targets": [
                        {"name": "a", "unit": "weeks", "limit": 3, "source": "x"},
                        {"name": "b", "unit": "elapsed", "limit": "PT1M", "colour": "red"},
                    ],
                }
            ]
        }
        with pytest.raises(SlaPolicyError) as info:
            load_policies(data)
        assert len(info.value.problems) >= 3


# ------------------------------------------------------------ the pause clock vs an oracle
def _inquiry(at: datetime) -> Inquiry:
    return Inquiry(
        channel="email",
        received_at=at,
        requester={"type": "individual", "name": "Lê Văn An"},
        subject="Sổ BHXH",
        content="Tôi muốn hỏi về sổ BHXH của tôi.",
    )


def _waiting_case(offset: int, gaps: list[int]) -> tuple[Case, list[datetime]]:
    """A written case opened ``offset`` minutes into 5 Jan 2026, then waiting for the requester
    and back, alternately, after each gap; with the moments of its events."""
    start = datetime(2026, 1, 5, tzinfo=VN) + timedelta(minutes=offset)
    case = open_case(_inquiry(start), at=start, by="clerk")
    moments = [start]
    for i, gap in enumerate(gaps):
        moments.append(moments[-1] + timedelta(minutes=gap))
        case.fire("request_info" if i % 2 == 0 else "provide_info", at=moments[-1], by="clerk")
    return case, moments


class TestPauseOracle:
    """Elapsed and paused working time against minute stepping."""

    @SLA_ORACLE
    @given(
        st.integers(0, 60 * 24 * 60),
        st.lists(st.integers(1, 60 * 30), min_size=0, max_size=6),
        st.integers(0, 60 * 24 * 2),
    )
    def test_elapsed_and_paused(self, offset: int, gaps: list[int], tail: int) -> None:
        """The answer clock counts open minutes outside awaiting_info."""
        case, moments = _waiting_case(offset, gaps)
        start, t = moments[0], moments[-1]
        at = t + timedelta(minutes=tail)
        (answer, _review) = sla_status(case, at=at)
        # the oracle: walk each minute, in or out of a pause
        elapsed = paused = 0
        minute, index, waiting = start, 0, False
        while minute < at:
            while index + 1 < len(moments) and moments[index + 1] <= minute:
                index += 1
                waiting = index % 2 == 1
            if CAL.is_open(minute):
                if waiting:
                    paused += 1
                else:
                    elapsed += 1
            minute += MINUTE
        assert answer.elapsed == timedelta(minutes=elapsed)
        assert answer.paused == timedelta(minutes=paused)
        waiting_now = len(gaps) % 2 == 1
        if answer.state is not SlaState.BREACHED:
            assert answer.state is (SlaState.PAUSED if waiting_now else SlaState.RUNNING)
        if answer.next_alert_at is not None:
            alert = answer.next_alert_at
            assert alert > at
            assert CAL.is_open(alert) or CAL.is_open(alert - timedelta(microseconds=1))
        assert answer.deadline is not None
        assert answer.deadline >= CAL.add_working_days(start, 15)
        assert answer.deadline.hour == 0
        assert answer.deadline.minute == 0


def test_values_are_hashable() -> None:
    """Targets and policies can be set members and dictionary keys."""
    policies = default_policies()
    assert len(set(policies)) == len(policies)
    assert len({t for p in policies for t in p.targets}) > 5


class TestDeadlineOracle:
    """A working-time deadline with pauses, against minute stepping."""

    @SLA_ORACLE
    @given(
        st.integers(0, 60 * 24 * 60),
        st.lists(st.integers(1, 60 * 20), min_size=0, max_size=5),
        st.integers(0, 60 * 24),
        st.integers(1, 60 * 24),
    )
    def test_deadline_and_state(self, offset: int, gaps: list[int], tail: int, limit: int) -> None:
        """The deadline is where the unpaused open minutes reach the limit."""
        case, moments = _waiting_case(offset, gaps)
        start, t = moments[0], moments[-1]
        at = t + timedelta(minutes=tail)
        target = SlaTarget(
            name="reply",
            unit="working_time",
            limit=timedelta(minutes=limit),
            pause=("awaiting_info",),
            source="ASSUMED",
        )
        (timer,) = sla_status(case, at=at, policy=SlaPolicy(name="p", targets=(target,)))
        # the oracle: count open minutes outside pauses (after `at`, assume the clock runs)
        count, minute, index, waiting = 0, start, 0, False
        while True:
            while index + 1 < len(moments) and moments[index + 1] <= minute:
                index += 1
                waiting = index % 2 == 1
            paused_now = waiting and minute < at
            if CAL.is_open(minute) and not paused_now:
                count += 1
                if count == limit:
                    deadline = minute + MINUTE
                    break
            minute += MINUTE
        assert timer.deadline == deadline
        if at > deadline:
            assert timer.state is SlaState.BREACHED
            assert timer.breached_at == deadline
        else:
            assert timer.state is (SlaState.PAUSED if len(gaps) % 2 else SlaState.RUNNING)
