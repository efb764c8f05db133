"""Surge detection on generated streams: every planted flood is raised within 2 working hours of
its start, and a stream without one raises nothing (30 seeded streams each)."""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from vss_care_core import Inquiry, InvalidInputError
from vss_care_core.calendar import vietnam_calendar
from vss_care_core.models import words
from vss_care_core.monitoring import SurgeDetector, SurgeSettings, detect_surges
from vss_care_core.monitoring._surges import _FORGET_EVERY

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR = vietnam_calendar()
START = datetime(2026, 3, 2, 8, 0, tzinfo=VN)  # a Monday
CHANNELS = ("phone", "email", "portal", "zalo", "fanpage", "post")
PROVINCES = ("Hà Nội", "Thành phố Hồ Chí Minh", "Đà Nẵng", "Huế", "Cần Thơ")
VOCABULARY = tuple(
    (  # noqa: SIM905 - a word list reads better as text
        "bảo hiểm xã hội y tế thất nghiệp lương hưu thẻ đóng mức hưởng chế độ ốm đau thai sản "
        "hồ sơ giấy tờ công ty người lao động tháng năm tiền trợ cấp một lần gia hạn đăng ký "
        "khám chữa bệnh bệnh viện tuyến huyện tỉnh tra cứu mã số sổ quá trình công tác nghỉ "
        "việc con nhỏ vợ chồng cha mẹ hộ gia đình học sinh sinh viên hỗ trợ chuyển nơi cấp lại "
        "mất hỏng sai thông tin ngày sinh họ tên địa chỉ nộp trực tuyến ứng dụng điện thoại"
    ).split()
)
COMMON = (
    "Cho tôi hỏi thủ tục cấp lại thẻ bảo hiểm y tế bị mất cần những giấy tờ gì",
    "Tôi muốn tra cứu quá trình đóng bảo hiểm xã hội của mình trên ứng dụng VssID thế nào",
    "Người lao động nghỉ việc thì bao lâu được nhận trợ cấp thất nghiệp",
    "Mức hưởng chế độ thai sản khi sinh con được tính như thế nào",
)
FLOOD = (
    "Từ ngày 1 tháng 7 năm 2025 luật bảo hiểm xã hội mới quy định điều kiện rút bảo hiểm "
    "xã hội một lần ra sao, tôi đã đóng 8 năm có được rút không"
)
OPENINGS = ("", "Xin chào, ", "Kính gửi BHXH, ", "Nhờ tổng đài hướng dẫn: ")


def _arrivals(
    rng: random.Random, per_hour: float, start: datetime, end: datetime
) -> list[datetime]:
    """Arrival moments in opening hours at ``per_hour`` (exponential gaps of working time)."""
    moments = []
    moment = start
    while True:
        gap = timedelta(hours=rng.expovariate(per_hour))
        moment = CALENDAR.add(moment, gap)
        if moment >= end:
            return moments
        moments.append(moment)


def _inquiry(rng: random.Random, number: int, at: datetime, text: str) -> Inquiry:
    return Inquiry(
        id=f"q{number}",
        channel=rng.choice(CHANNELS),
        received_at=at,
        requester={"province": rng.choice(PROVINCES)},
        subject="Hỏi đáp",
        content=rng.choice(OPENINGS) + text,
    )


def stream(seed: int, *, flood_at: datetime | None) -> list[Inquiry]:
    """Five working days: many one-off questions (12 an hour), four common questions asked
    steadily (3 an hour each) and, from ``flood_at``, one question flooding in (25 an hour)."""
    rng = random.Random(seed)
    end = CALENDAR.add_working_days(START, 5)
    timed: list[tuple[datetime, str]] = []
    for at in _arrivals(rng, 12, START, end):
        timed.append((at, " ".join(rng.choices(VOCABULARY, k=10))))
    for question in COMMON:
        timed.extend((at, question) for at in _arrivals(rng, 3, START, end))
    if flood_at is not None:
        flood_end = CALENDAR.add(flood_at, timedelta(hours=10))
        timed.extend((at, FLOOD) for at in _arrivals(rng, 25, flood_at, flood_end))
    timed.sort()
    return [_inquiry(rng, n, at, text) for n, (at, text) in enumerate(timed)]


def _flood_start(seed: int) -> datetime:
    rng = random.Random(seed * 7919)
    day = CALENDAR.add_working_days(START, 2 + rng.randrange(2))  # day 3 or 4
    return CALENDAR.next_open(day) + timedelta(minutes=rng.randrange(0, 6 * 60, 15))


@pytest.mark.parametrize("seed", range(30))
def test_a_planted_flood_is_raised_within_two_working_hours(seed: int) -> None:
    flood_at = CALENDAR.next_open(_flood_start(seed))
    inquiries = stream(seed, flood_at=flood_at)
    surges = detect_surges(inquiries, calendar=CALENDAR)
    assert surges, "the flood was not raised"
    first = surges[0]
    flooded = {q.id for q in inquiries if q.content.endswith(FLOOD)}
    assert first.representative in flooded
    assert CALENDAR.working_time(flood_at, first.raised_at) <= timedelta(hours=2)
    assert first.started_at >= flood_at
    assert len(surges) == 1  # raised once, not again for every arrival
    assert sum(first.by_channel.values()) == first.count
    assert first.keywords
    assert set(first.keywords) <= set(words(FLOOD))  # the flood's own words, not the noise
    # shown as written, with diacritics, in the order of the flood's question
    written = re.findall(r"[^\W_]+", FLOOD.lower())
    assert sorted(words(" ".join(first.written_keywords))) == sorted(first.keywords)
    assert set(first.written_keywords) <= set(written)
    positions = [written.index(word) for word in first.written_keywords]
    assert positions == sorted(positions)


@pytest.mark.parametrize("seed", range(30))
def test_a_stream_without_a_flood_raises_nothing(seed: int) -> None:
    assert detect_surges(stream(seed, flood_at=None), calendar=CALENDAR) == []


def test_memory_is_bounded_by_the_active_clusters() -> None:
    """Old, quiet clusters are forgotten: after weeks of one-off questions the detector keeps
    only those of the last days."""
    rng = random.Random(3)
    detector = SurgeDetector(SurgeSettings(forget_after=timedelta(days=2)), calendar=CALENDAR)
    end = CALENDAR.add_working_days(START, 40)
    arrivals = _arrivals(rng, 12, START, end)
    for number, at in enumerate(arrivals):
        detector.add(_inquiry(rng, number, at, " ".join(rng.choices(VOCABULARY, k=10))))
    last_days = sum(1 for at in arrivals if at >= arrivals[-1] - timedelta(days=2))
    assert len(arrivals) > 3000
    assert detector.active_clusters <= last_days + _FORGET_EVERY
    assert detector.active_clusters < len(arrivals) / 2


def test_inquiries_come_in_order() -> None:
    detector = SurgeDetector(calendar=CALENDAR)
    rng = random.Random(1)
    detector.add(_inquiry(rng, 1, START + timedelta(hours=1), FLOOD))
    with pytest.raises(InvalidInputError, match="order of receipt"):
        detector.add(_inquiry(rng, 2, START, FLOOD))


def test_settings_are_checked() -> None:
    with pytest.raises(InvalidInputError, match="min_count"):
        SurgeSettings(min_count=1)
