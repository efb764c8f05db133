"""Unit and agency codes given to moves are checked against a directory, when one is given."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from vss_care_core import TransitionNotAllowed, open_case, vss_directory
from vss_care_core.process import Case
from vss_care_core.testing import make_inquiry

VN = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2026, 3, 2, 9, 0, tzinfo=VN)
TOPIC = {"kind": "question", "policy_areas": ["health"], "topic": "health-card"}
DIRECTORY = vss_directory()


def _at_assign() -> Case:
    inquiry = make_inquiry(channel="email", received_at=START)
    case = open_case(inquiry, at=START, by="portal", units=DIRECTORY)
    case.complete("intake", at=START + timedelta(minutes=5), by="officer", **TOPIC)
    return case


def test_a_known_unit_is_accepted() -> None:
    case = _at_assign()
    unit = next(iter(DIRECTORY)).code
    case.complete("assign", at=START + timedelta(minutes=10), by="officer", unit=unit)
    assert case.facts.unit == unit


def test_an_unknown_unit_is_refused_with_close_matches() -> None:
    case = _at_assign()
    known = next(iter(DIRECTORY)).code
    typo = known[:-1] + ("X" if known[-1] != "X" else "Y")
    with pytest.raises(TransitionNotAllowed, match="did you mean") as raised:
        case.complete("assign", at=START + timedelta(minutes=10), by="officer", unit=typo)
    assert "unit=" in str(raised.value)
    assert case.state == "assign"
    assert case.version == 2


def test_an_unknown_agency_is_refused() -> None:
    case = _at_assign()
    with pytest.raises(TransitionNotAllowed, match="agency="):
        case.fire("forward", at=START + timedelta(minutes=10), by="officer", agency="NOWHERE-1")


def test_without_a_directory_codes_are_not_looked_up() -> None:
    inquiry = make_inquiry(channel="email", received_at=START)
    case = open_case(inquiry, at=START, by="portal")
    case.complete("intake", at=START, by="officer", **TOPIC)
    case.complete("assign", at=START, by="officer", unit="ANY-CODE")
    assert case.facts.unit == "ANY-CODE"
