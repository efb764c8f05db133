"""The HTML page, the text table and the CSV: any period, both languages, honest figures.

The charts are checked from their SVG geometry: each text's box is estimated from its x, y,
font size, anchor and length (``AVERAGE_GLYPH`` of the font size a character), and no two boxes
of a chart may overlap, nor any leave its chart.
"""

from __future__ import annotations

import csv
import io
import random
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from itertools import combinations
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vss_care_core.errors import InvalidInputError
from vss_care_core.monitoring import (
    BacklogFigures,
    KpiFigures,
    KpiReport,
    SatisfactionFigures,
    SlaFigures,
    StepFigures,
    compute_kpis,
    format_duration,
    format_rate,
    render_html,
    render_table,
)
from vss_care_core.monitoring._html import chart_periods, period_service_level, text_width
from vss_care_core.monitoring._labels import Lang
from vss_care_core.monitoring._report import (
    GROUPINGS,
    format_number,
    render_csv,
    service_level_base,
    wording,
)
from vss_care_core.routing import Directory, OrgUnit
from vss_care_core.simulation import DemoAssumptions, simulate

VN = ZoneInfo("Asia/Ho_Chi_Minh")
AVERAGE_GLYPH = 0.56
"""The width of a character as a fraction of the font size: a digit of Arial / Liberation Sans,
wider than their average letter."""
ASCENT, DESCENT = 0.85, 0.2
"""How far a text's box reaches above and below its baseline, as fractions of the font size
(Vietnamese letters carry marks above capitals)."""

CHANNEL_SHARES = {"phone": 1400, "portal": 120, "fanpage": 110, "email": 90, "zalo": 80}
UNITS = ("VSS-CSKH", "BHXH-HA-NOI", "BHXH-TP-HO-CHI-MINH", "BHXH-QUANG-NGAI", "X-UNKNOWN")


def _day_figures(rng: random.Random, calls: int) -> KpiFigures:
    """One day of calls: answered, abandoned, within the threshold, drawn around the demo's."""
    abandons = rng.randint(calls // 40, calls // 12)
    short = rng.randint(0, abandons // 4)
    answered = calls - abandons
    within = rng.randint(int(answered * 0.7), answered)
    figures = KpiFigures(
        ended=calls,
        calls_offered=calls,
        calls_answered=answered,
        answered_within_threshold=within,
        queue_abandons=abandons,
        short_abandons=short,
    )
    base = service_level_base(figures)
    return figures.model_copy(update={"service_level": within / base if base else None})


def long_report(days: int, *, start: date = date(2026, 1, 1), seed: int = 7) -> KpiReport:
    """A report over ``days`` calendar days from ``start`` (working days only have cases),
    built directly: faster than simulating a year."""
    rng = random.Random(seed)
    volume: dict[str, dict[str, int]] = {}
    by_day: dict[str, KpiFigures] = {}
    for offset in range(days):
        day = start + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        counts = {
            name: rng.randint(share * 9 // 10, share * 11 // 10)
            for name, share in CHANNEL_SHARES.items()
        }
        volume[day.isoformat()] = counts
        by_day[day.isoformat()] = _day_figures(rng, counts["phone"])
    calls = list(by_day.values())
    scale = max(1.0, len(by_day) / 5)  # the demo's week of counts, grown with the period

    def scaled(count: int) -> int:
        return round(count * scale)

    answered = sum(f.calls_answered for f in calls)
    within = sum(f.answered_within_threshold for f in calls)
    base = sum(service_level_base(f) for f in calls)
    offered = sum(f.calls_offered for f in calls)
    short = sum(f.short_abandons for f in calls)
    abandons = sum(f.queue_abandons for f in calls)
    overall = KpiFigures(
        ended=sum(sum(c.values()) for c in volume.values()),
        outcomes={
            "closed": scaled(5965),
            "answered": scaled(1155),
            "escalated": scaled(473),
            "abandoned": scaled(562),
            "forwarded": scaled(45),
            "withdrawn": scaled(17),
            "?": 2,
        },
        calls_offered=offered,
        calls_answered=answered,
        answered_within_threshold=within,
        queue_abandons=abandons,
        short_abandons=short,
        service_level=within / base,
        average_speed_of_answer=5.4,
        abandonment_rate=(abandons - short) / (offered - short),
        average_handle_time=301.0,
        fcr_eligible=scaled(7593),
        fcr_resolved=scaled(6112),
        first_contact_resolution=6112 / 7593,
        written_answered=scaled(1155),
        reopens=scaled(24),
        reopen_rate=24 / 1155,
        sla={
            "accept": SlaFigures(met=scaled(38), breached=0),
            "answer": SlaFigures(met=scaled(7284), breached=scaled(895)),
            "handle": SlaFigures(met=6528, breached=1),
            "route": SlaFigures(met=scaled(64), breached=0),
            "a-target-of-our-own-with-a-long-name": SlaFigures(met=3, breached=2),
        },
        sla_not_judged={"the history does not follow its process": 3, "a reason of ours": 1},
        percentiles={
            "wait": {"p50": 0.0, "p90": 21.1, "p95": 39.3},
            "handle": {"p50": 295.9, "p90": 415.8, "p95": 459.5},
            "written_answer": {"p50": 164448.1, "p90": 250287.2, "p95": 271133.6},
        },
        satisfaction=SatisfactionFigures(
            responses=scaled(1658),
            satisfied=scaled(1416),
            factor_means={"accessibility": 4.21, "quality": 4.18, "feedback_handling": 4.17},
        ),
        backlog=BacklogFigures(
            open=1456, ageing={"0-1": 990, "2-5": 400, "6-10": 50, "11-15": 10, "16+": 6}
        ),
    )
    channel = KpiFigures(
        ended=2, satisfaction=SatisfactionFigures(responses=2, satisfied=0), fcr_eligible=2
    )
    last = start + timedelta(days=days - 1)
    return KpiReport(
        service_level_seconds=20,
        short_abandon_seconds=5,
        fcr_window_days=7,
        period_start=start,
        period_end=last,
        as_of=datetime.combine(last, datetime.min.time(), tzinfo=VN) + timedelta(hours=23),
        records=123_456,
        orphan_events=2,
        overall=overall,
        by_channel={"phone": overall, "post": channel, "telegram": channel},
        by_unit=dict.fromkeys(UNITS, channel),
        by_kind={"question": overall, "complaint": channel, "unclassified": channel},
        by_day=by_day,
        by_step={
            "call:greet": StepFigures(completions=10, mean_seconds=5.0),
            "hotline:survey": StepFigures(completions=1, mean_seconds=None),
        },
        volume=volume,
    )


@pytest.fixture(scope="module")
def simulated() -> KpiReport:
    records, _ = simulate(
        days=5,
        assumptions=DemoAssumptions(calls_per_day=60, written_per_day=(("email", 8),), agents=2),
    )
    return compute_kpis(records)


REPORTS = {
    "60 days": lambda: long_report(60),
    "365 days": lambda: long_report(365),
    "20 days": lambda: long_report(20),
    "empty": lambda: compute_kpis([]),
}


# -- SVG geometry ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """The estimated box of one text of a chart."""

    text: str
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )


def _charts(page: str) -> list[ET.Element]:
    svgs = re.findall(r"<svg.*?</svg>", page, flags=re.S)
    return [ET.fromstring(svg) for svg in svgs]  # noqa: S314 - the library's own output


def _boxes(svg: ET.Element) -> list[Box]:
    default_size = float(svg.get("font-size", "16"))
    boxes = []
    for text in svg.iter("text"):
        content = "".join(text.itertext())
        size = float(text.get("font-size", default_size))
        width = len(content) * size * AVERAGE_GLYPH
        x, y = float(text.get("x", "0")), float(text.get("y", "0"))
        anchor = text.get("text-anchor", "start")
        left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        boxes.append(Box(content, left, y - ASCENT * size, left + width, y + DESCENT * size))
    return boxes


def layout_problems(page: str) -> list[str]:
    """Every pair of overlapping texts and every text that leaves its chart."""
    problems = []
    for svg in _charts(page):
        _, _, width, height = (float(v) for v in svg.get("viewBox", "").split())
        name = svg.get("aria-label")
        boxes = _boxes(svg)
        for box in boxes:
            if box.left < 0 or box.top < 0 or box.right > width or box.bottom > height:
                problems.append(f"{name}: {box.text!r} leaves the chart ({box})")
        for first, second in combinations(boxes, 2):
            if first.overlaps(second):
                problems.append(f"{name}: {first.text!r} overlaps {second.text!r}")
    return problems


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("name", list(REPORTS))
def test_no_chart_text_overlaps_or_leaves_its_chart(name: str, lang: Lang) -> None:
    page = render_html(REPORTS[name](), lang=lang)
    assert _charts(page)
    assert layout_problems(page) == []


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_simulated_report_is_laid_out(simulated: KpiReport, lang: Lang) -> None:
    page = render_html(simulated, lang=lang)
    assert len(_charts(page)) >= 6
    assert layout_problems(page) == []


def test_the_geometry_check_finds_an_overlap() -> None:
    """The check can fail: two texts at the same place, one past the edge."""
    page = (
        '<svg viewBox="0 0 100 40" font-size="11"><text x="10" y="20">1.931</text>'
        '<text x="12" y="22">1.927</text><text x="90" y="20">leaves</text></svg>'
    )
    problems = layout_problems(page)
    assert any("overlaps" in problem for problem in problems)
    assert any("'leaves' leaves" in problem for problem in problems)


# -- Periods --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "unit", "columns"),
    [
        (5, "day", 3),
        (31, "day", 22),
        (32, "day", 22),
        (33, "week", 6),
        (60, "week", 9),
        (120, "week", 18),
        (121, "month", 5),
        (365, "month", 12),
    ],
)
def test_days_become_weeks_then_months(days: int, unit: str, columns: int) -> None:
    """2026 starts on a Thursday; only working days hold cases, so 32 days end on Friday 30
    January, 30 days after the first case, and 33 on Monday 2 February."""
    report = long_report(days)
    periods = chart_periods(sorted(report.volume), wording("en"))
    assert periods.unit == unit
    assert len(periods.periods) == columns


def test_a_year_reads_by_month_in_both_languages() -> None:
    days = sorted(long_report(365).volume)
    vi = chart_periods(days, wording("vi")).periods
    en = chart_periods(days, wording("en")).periods
    assert [p.short for p in vi[:2]] == ["01/2026", "02/2026"]
    assert [p.short for p in en[:2]] == ["Jan 2026", "Feb 2026"]
    assert en[1].full == "February 2026 (20 days with cases)"
    assert vi[1].full == "Tháng 02/2026 (20 ngày có yêu cầu)"
    weeks = chart_periods(sorted(long_report(60).volume), wording("en")).periods
    assert weeks[0].full == "Week of 2025-12-29 to 2026-01-04 (2 days with cases)"


@given(
    st.sets(
        st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)), min_size=1, max_size=60
    )
)
def test_every_day_falls_in_one_period_in_order(days: set[date]) -> None:
    chart = chart_periods([d.isoformat() for d in days], wording("vi"))
    placed = [day for period in chart.periods for day in period.days]
    assert placed == sorted(d.isoformat() for d in days)
    limit = {"day": 31, "week": 18, "month": 36}[chart.unit]
    assert len(chart.periods) <= limit


def test_a_weeks_service_level_is_its_days_counts_together() -> None:
    """Differential: the weekly figure against the counts summed by hand; a day's against the
    report's own."""
    report = long_report(60)
    periods = chart_periods(sorted(report.by_day), wording("en")).periods
    for period in periods:
        figures = [report.by_day[day] for day in period.days]
        within = sum(f.answered_within_threshold for f in figures)
        base = sum(f.calls_answered + f.queue_abandons - f.short_abandons for f in figures)
        expected = within / base if base else None
        assert period_service_level(report, period.days) == expected
    for day, figures in report.by_day.items():
        assert period_service_level(report, [day]) == pytest.approx(figures.service_level)


def test_the_volume_chart_counts_every_case() -> None:
    """The bars' tooltips of a year add up to the volume of the report."""
    report = long_report(365)
    page = render_html(report, lang="en")
    volume_chart = next(
        svg for svg in _charts(page) if svg.get("aria-label", "").startswith("Volume")
    )
    shown = 0
    for rect in volume_chart.iter("rect"):
        title = rect.find("title")
        if title is not None and title.text:
            shown += int(title.text.rsplit(": ", 1)[1].replace(",", ""))
    assert shown == sum(sum(counts.values()) for counts in report.volume.values())


# -- Honest figures -------------------------------------------------------------------------------


@given(st.integers(min_value=1, max_value=10**7), st.data())
def test_a_rate_is_100_or_0_only_when_it_is(whole: int, data: st.DataObject) -> None:
    """Differential against exact arithmetic: shown as 100.0 % exactly when nothing failed,
    as 0.0 % exactly when nothing succeeded, otherwise within 0.05 points of the truth."""
    part = data.draw(st.integers(min_value=0, max_value=whole))
    for lang, point in (("en", "."), ("vi", ",")):
        shown = format_rate(part / whole, lang=lang)
        assert (shown == f"100{point}0 %") == (part == whole)
        assert (shown == f"0{point}0 %") == (part == 0)
        if not shown.startswith((">", "<")):
            value = Fraction(shown.removesuffix(" %").replace(",", "."))
            assert abs(value - Fraction(100 * part, whole)) <= Fraction(1, 20)


def test_a_breach_is_never_100_percent() -> None:
    report = long_report(5)
    page = render_html(report, lang="en")
    assert "&gt; 99.9 % · 1 breached / 6,529" in page
    table = render_table(report, lang="en")
    (line,) = [line for line in table.splitlines() if line.startswith("SLA: Call handle time")]
    assert "> 99.9 %" in line
    assert "6,528 met, 1 breached" in line
    assert "100.0 %" not in line


def test_every_share_shows_its_n() -> None:
    report = long_report(5)
    page = render_html(report, lang="en")
    assert "0.0 % (n = 2)" in page  # CSAT of the post: none of 2 satisfied
    assert "n = 1,658 responses" in page
    vi_page = render_html(report)
    assert "0,0 % (n = 2)" in vi_page
    table = render_table(report, by="channel", lang="en")
    (post,) = [line for line in table.splitlines() if line.startswith("Post")]
    assert "0.0 % (2)" in post  # CSAT and its n
    overall = render_table(report, lang="en")
    (line,) = [line for line in overall.splitlines() if line.startswith("Satisfaction (CSAT)")]
    assert "n = 1,658" in line


def test_numbers_and_durations_in_each_language() -> None:
    assert format_number(1456, lang="vi") == "1.456"
    assert format_number(1456) == "1,456"
    assert format_duration(301, lang="vi") == "5 phút 01 giây"
    assert format_duration(7500, lang="vi") == "2 giờ 05 phút"
    assert format_duration(271133.6, lang="vi") == "3 ngày 03 giờ"
    assert format_duration(86399.6) == "1 d 00 h"  # rounds to a whole day


# -- Languages and names --------------------------------------------------------------------------

_VIETNAMESE_LETTERS = re.compile(
    "[ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]", re.I
)


def _visible_text(page: str) -> str:
    body = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_the_english_page_has_no_vietnamese_label() -> None:
    page = render_html(long_report(60), lang="en")
    assert '<html lang="en">' in page
    assert _VIETNAMESE_LETTERS.findall(_visible_text(page)) == []


def test_the_vietnamese_page_is_vietnamese() -> None:
    page = render_html(long_report(60))
    assert '<html lang="vi">' in page
    text = _visible_text(page)
    for label in (
        "Tỷ lệ cuộc gọi bị bỏ",
        "Thời gian trả lời trung bình",
        "Giải quyết ngay lần đầu",
        "Bảo hiểm xã hội thành phố Hà Nội",
        "Tổng đài điện thoại",
        "Đã kết thúc cuộc gọi",
        "Thụ lý khiếu nại",
        "Phân vị thời gian",
        "Tuần từ",
    ):
        assert label in text
    for english in ("Service level", "Abandonment", "Backlog", "Outcomes", "no data"):
        assert english not in text


def test_units_are_named_from_the_directory() -> None:
    report = long_report(5)
    en = render_html(report, lang="en", by="unit")
    assert "Social Security Office of Ha Noi City" in en
    assert "Customer Care Center" in en
    assert "X-UNKNOWN" in en  # a code the directory does not know, as it is
    mine = Directory([OrgUnit(code="X-UNKNOWN", name_vi="Phòng thử nghiệm", level="central")])
    vi = render_table(report, by="unit", directory=mine)
    assert "Phòng thử nghiệm" in vi
    assert "BHXH-HA-NOI" in vi  # not in that directory


def test_not_judged_cases_are_said_with_their_reason() -> None:
    page = render_html(long_report(5))
    assert "4 yêu cầu không đánh giá được SLA" in page
    assert "diễn biến không theo đúng quy trình (3)" in page
    assert "a reason of ours (1)" in page


def test_percentiles_shown_when_present_and_nothing_when_empty() -> None:
    report = long_report(5)
    page = render_html(report, lang="en")
    assert "Time percentiles" in page
    assert "2 d 21 h" in page  # written answers, P90
    assert "90 % waited at most 21 s" in page
    empty = report.model_copy(
        update={"overall": report.overall.model_copy(update={"percentiles": {}})}
    )
    page = render_html(empty, lang="en")
    assert "Time percentiles" not in page
    assert "waited at most" not in page
    assert "P90" not in render_table(empty, lang="en")


def test_a_bad_language_or_grouping_is_refused() -> None:
    report = compute_kpis([])
    with pytest.raises(InvalidInputError, match="lang 'fr' is not a report language"):
        render_html(report, lang="fr")
    with pytest.raises(ValueError, match="choose 'vi'"):
        render_csv(report, lang="EN")
    with pytest.raises(InvalidInputError, match="cannot group by 'week'"):
        render_table(report, by="week")


def test_an_empty_report_says_so_in_each_language() -> None:
    report = compute_kpis([])
    assert "chưa có số liệu" in render_html(report)
    assert "no data" in render_html(report, lang="en")
    assert "Mức độ phục vụ (20 giây)" in render_table(report)
    assert "Service level (20 s)" in render_table(report, lang="en")


# -- Groupings, every format ----------------------------------------------------------------------


@pytest.mark.parametrize("by", GROUPINGS)
def test_every_format_honours_every_grouping(by: str) -> None:
    report = long_report(20)
    groups = report.by_step if by == "step" else report.group(by)
    words = wording("en")
    table = render_table(report, by=by, lang="en")
    page = render_html(report, by=by, lang="en")
    rows = list(csv.reader(io.StringIO(render_csv(report, by=by, lang="en", bom=False))))
    assert [row[0] for row in rows[1:]] == list(groups)
    for key in groups:
        name = words.group(by, key)
        assert name in table
        assert name in page
    assert page.count("<table>") == 2  # the grouping asked, and the percentiles


def test_the_html_shows_channel_unit_and_kind_by_default() -> None:
    page = render_html(long_report(5), lang="en")
    for title in ("By channel", "By unit (busiest first)", "By kind (busiest first)"):
        assert title in page
    assert "By day opened" not in page


def test_csv_for_a_spreadsheet() -> None:
    report = long_report(60)
    text = render_csv(report, by="day")
    assert text.startswith("\ufeff")
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    header, *body = rows
    assert header[:3] == ["Mã", "Tên", "Yêu cầu đã kết thúc"]
    assert "Mức độ phục vụ (tỷ lệ 0–1)" in header
    assert len(body) == len(report.by_day)
    column = header.index("Mức độ phục vụ (tỷ lệ 0–1)")
    for row, (day, figures) in zip(body, report.by_day.items(), strict=True):
        assert row[0] == day
        assert row[1] == date.fromisoformat(day).strftime("%d/%m/%Y")
        assert float(row[column]) == figures.service_level  # plain, unrounded
        assert len(row) == len(header)


def test_csv_overall_row_and_empty_cells() -> None:
    report = long_report(5)
    header, row = list(csv.reader(io.StringIO(render_csv(report, lang="en", bom=False))))
    values = dict(zip(header, row, strict=True))
    assert values["Code"] == "all"
    assert values["Name"] == "All cases"
    assert values["SLA Call handle time: met"] == "6528"
    assert values["SLA Call handle time: breached"] == "1"
    assert float(values["SLA Call handle time: compliance (fraction 0–1)"]) == 6528 / 6529
    assert values["Mean score: Results (1–5)"] == ""  # no response scored it
    assert values["Wait (answered calls): P90 (seconds)"] == "21.1"
    assert values["SLA not judged"] == "4"


def test_the_step_grouping_in_csv() -> None:
    text = render_csv(long_report(5), by="step", lang="en", bom=False)
    assert text.splitlines() == [
        "Code,Name,Completed,Mean time (seconds)",
        "call:greet,Receive the call and greet (call),10,5.0",
        "hotline:survey,hotline:survey,1,",
    ]


# -- Fitting labels -------------------------------------------------------------------------------


@given(st.text(alphabet="abc đê ưở,", min_size=1, max_size=80), st.floats(40, 200))
def test_a_fitted_label_fits_and_keeps_its_whole_text(content: str, width: float) -> None:
    from vss_care_core.monitoring._html import _fit  # noqa: PLC0415 - the helper under test

    fitted = _fit(content, width)
    assert fitted.whole == content
    assert 1 <= len(fitted.lines) <= 2
    if fitted.changed:
        assert all(text_width(line) <= width for line in fitted.lines)
    else:
        assert text_width(content) <= width
