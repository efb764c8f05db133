"""The HTML report: one self-contained page, inline CSS and SVG charts, no script, no link.

Every label is in the report's language (Vietnamese by default, or English). The charts fit any
period: a series of days becomes one of weeks past 31 days and one of months past 120; axis
labels thin out so that they never overlap, a value is written only where it fits, and a label
too long for its place is wrapped or shortened, its whole text in a tooltip (``<title>``).
Text is placed from an estimate of its width: :data:`GLYPH_EM` of the font size a character.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from vss_care_core.knowledge import StaleEntry
from vss_care_core.monitoring._figures import AGEING_BUCKETS, KpiFigures, KpiReport
from vss_care_core.monitoring._labels import Lang
from vss_care_core.monitoring._report import (
    GROUP_COLUMNS,
    SERVICE_LEVEL_TARGET,
    Wording,
    abandonment_base,
    check_grouping,
    group_cells,
    period_line,
    service_level_base,
    stale_cells,
    stale_header,
    surge_cells,
    surge_header,
    wording,
)
from vss_care_core.monitoring._satisfaction import SATISFACTION_FACTORS, SATISFACTION_TARGETS
from vss_care_core.monitoring._surges import Surge
from vss_care_core.process import ProcessDefinition
from vss_care_core.routing import Directory

__all__ = ["render_html"]

GLYPH_EM = 0.56
"""The width of one character that the charts allow for, as a fraction of the font size: the
width of a digit in Arial and Liberation Sans, wider than their average Vietnamese or English
letter (0.43 to 0.53 em measured in Chromium on chart labels)."""

DAYS_PER_DAY_CHART = 31
"""A chart shows one bar per day up to this many days, then one per week."""
DAYS_PER_WEEK_CHART = 120
"""A chart shows one bar per week up to this many days, then one per month."""

_FONT = 11
"""The font size of chart text, in pixels."""
_SMALL = 9
"""The font size of a value written over a bar too narrow for the usual size."""
_LINE = 13
_HALO = {"stroke": "#fff", "stroke_width": "3", "paint_order": "stroke"}
"""A white outline under a value, so that a target line crossing it does not hide it."""
"""The distance between the lines of a wrapped label, in pixels."""

_PALETTE = (
    "#1f5fa8",
    "#e07b28",
    "#2e9e5b",
    "#c23b5a",
    "#7b57b8",
    "#0f9aa8",
    "#8c6d31",
    "#5f6b7a",
)
_GOOD = "#2e9e5b"
_BAD = "#c23b5a"
_TARGET = "#c23b5a"
_INK = "#1d2733"
_MUTED = "#6b7785"
_GRID = "#e3e8ee"
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_CSS = """
*{box-sizing:border-box}
body{margin:0;font-family:"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1d2733;
background:#f3f5f8;font-size:14px;line-height:1.45}
header{background:#0b3d7a;color:#fff;padding:22px 32px}
header h1{margin:0 0 4px;font-size:22px;font-weight:600}
header p{margin:0;opacity:.85}
main{max-width:1220px;margin:0 auto;padding:20px 24px 40px}
.tiles{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin-bottom:18px}
.tile{background:#fff;border-radius:8px;padding:12px 16px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.tile .label{color:#6b7785;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.tile .value{font-size:26px;font-weight:600;margin-top:2px}
.tile .note{color:#6b7785;font-size:12px}
.tile.good .value{color:#2e7d4f}.tile.bad .value{color:#b3263f}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.card{background:#fff;border-radius:8px;padding:14px 18px;box-shadow:0 1px 2px rgba(0,0,0,.08);
min-width:0}
.card h2{font-size:15px;margin:0 0 8px;font-weight:600}
.card p.sub{margin:-4px 0 8px;color:#6b7785;font-size:12px}
.card p.note{margin:8px 0 0;color:#6b7785;font-size:12px}
.wide{grid-column:1 / -1}
.stack{display:flex;flex-direction:column;gap:16px;min-width:0}
.scroll{overflow-x:auto}
svg{display:block;max-width:100%;height:auto}
svg text{font-family:inherit}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{padding:5px 8px;border-bottom:1px solid #e3e8ee;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left;white-space:normal;min-width:12em}
th.text,td.text{text-align:left;white-space:normal}
th{color:#6b7785;font-weight:600;font-size:12px;white-space:normal;vertical-align:bottom}
.legend{display:flex;flex-wrap:wrap;gap:12px;font-size:12px;color:#6b7785;margin-top:6px}
.legend span::before{content:"";display:inline-block;width:10px;height:10px;border-radius:2px;
margin-right:5px;background:var(--c)}
.warn{background:#fff4e5;border-left:4px solid #e07b28;padding:8px 12px;margin-bottom:14px}
footer{color:#6b7785;font-size:12px;margin-top:20px}
@media (max-width:900px){.tiles{grid-template-columns:repeat(2,1fr)}
.grid{grid-template-columns:1fr}}
"""


# -- Text in charts ------------------------------------------------------------------------------


def text_width(content: str, size: float = _FONT) -> float:
    """The width a chart allows for ``content`` at ``size`` pixels."""
    return len(content) * size * GLYPH_EM


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _shorten(content: str, width: float) -> str:
    """``content`` cut and ended with ``…`` so that it fits ``width``."""
    if text_width(content) <= width:
        return content
    kept = content
    while kept and text_width(kept.rstrip(" ,;·") + "…") > width:
        kept = kept[:-1]
    return kept.rstrip(" ,;·") + "…"


@dataclass(frozen=True, slots=True)
class _Fitted:
    """A label fitted to a width: its lines, and the whole text for the tooltip."""

    lines: tuple[str, ...]
    whole: str

    @property
    def changed(self) -> bool:
        """Whether the label was wrapped or shortened (then it has a tooltip)."""
        return self.lines != (self.whole,)


def _fit(content: str, width: float, *, max_lines: int = 2) -> _Fitted:
    """``content`` on at most ``max_lines`` lines of ``width``, words kept whole where they
    can be, the last line shortened with ``…`` when the text does not fit."""
    if text_width(content) <= width:
        return _Fitted((content,), content)
    lines: list[str] = []
    current = ""
    for word in content.split():
        trial = f"{current} {word}".strip()
        if current and text_width(trial) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    return _Fitted(tuple(_shorten(line, width) for line in lines), content)


def _text(x: float, y: float, content: str, **attributes: str) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{escape(v)}"' for name, v in attributes.items())
    return f'<text x="{_num(x)}" y="{_num(y)}"{extra}>{escape(content)}</text>'


def _label(x: float, middle: float, fitted: _Fitted, **attributes: str) -> str:
    """A fitted label whose lines are centred on ``middle``; a tooltip when it was changed."""
    first = middle + 4 - (len(fitted.lines) - 1) * _LINE / 2
    texts = "".join(
        _text(x, first + index * _LINE, line, **attributes)
        for index, line in enumerate(fitted.lines)
    )
    if not fitted.changed:
        return texts
    return f"<g><title>{escape(fitted.whole)}</title>{texts}</g>"


def _svg(width: float, height: float, body: Sequence[str], label: str) -> str:
    return (
        f'<svg viewBox="0 0 {_num(width)} {_num(height)}" width="{_num(width)}" '
        f'height="{_num(height)}" role="img" aria-label="{escape(label)}" '
        f'font-size="{_FONT}" fill="{_INK}">' + "".join(body) + "</svg>"
    )


@dataclass(frozen=True, slots=True)
class _Scale:
    """The top of a chart's axis and the number of steps between its ticks."""

    top: float
    steps: int


def _nice_scale(value: float) -> _Scale:
    """A round top for an axis that reaches ``value``: 1, 2 or 5 times a power of ten, with
    ticks at round numbers (fifths of 1 and 5, quarters of 2)."""
    if value <= 1:
        return _Scale(1.0, 5)
    power = 10 ** math.floor(math.log10(value))
    for factor, steps in ((1, 5), (2, 4), (5, 5), (10, 5)):
        if value <= power * factor:
            return _Scale(float(power * factor), steps)
    return _Scale(float(power * 10), 5)


# -- Column charts --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Category:
    """One column of a column chart: the label under it and the whole name for its tooltip."""

    short: str
    full: str


@dataclass(frozen=True, slots=True)
class _Series:
    """One series of a column chart; None where it has no value."""

    name: str
    colour: str
    values: Sequence[float | None]
    colours: Sequence[str] = ()
    """A colour for each value, when they differ (else ``colour`` for all)."""


def _columns(
    categories: Sequence[_Category],
    series: Sequence[_Series],
    *,
    label: str,
    words: Wording,
    percent: bool = False,
    target: float | None = None,
) -> str:
    """Vertical bars, stacked when there are several series."""
    width, height, top, bottom = 560, 250, 16, 34
    totals = [
        sum(s.values[i] or 0.0 for s in series)
        if any(s.values[i] is not None for s in series)
        else None
        for i in range(len(categories))
    ]
    scale = _Scale(1.0, 4) if percent else _nice_scale(max((t or 0.0 for t in totals), default=0.0))
    top_value = scale.top
    ticks = [top_value * tick / scale.steps for tick in range(scale.steps + 1)]
    tick_texts = [f"{value * 100:.0f} %" if percent else words.number(value) for value in ticks]
    target_text = "" if target is None else words.text("target", value=words.target(target))
    left = max(text_width(text) for text in tick_texts) + 12
    right = text_width(target_text) + 14 if target_text else 10
    plot_w, plot_h = width - left - right, height - top - bottom
    body: list[str] = []
    for tick_value, text in zip(ticks, tick_texts, strict=True):
        y = top + plot_h - plot_h * tick_value / top_value
        body.append(
            f'<line x1="{_num(left)}" x2="{_num(width - right)}" y1="{_num(y)}" '
            f'y2="{_num(y)}" stroke="{_GRID}"/>'
        )
        body.append(_text(left - 6, y + 4, text, text_anchor="end", fill=_MUTED))
    slot = plot_w / max(len(categories), 1)
    bar = min(slot * 0.7, 48)
    widest = max((text_width(c.short) for c in categories), default=0.0)
    every = max(1, math.ceil((widest + 8) / slot))
    for index, category in enumerate(categories):
        x = left + slot * index + (slot - bar) / 2
        middle = x + bar / 2
        base = float(top + plot_h)
        for one in series:
            value = one.values[index]
            if value is None or value <= 0:
                continue
            h = plot_h * min(value / top_value, 1.0)
            base -= h
            shown = words.rate(value) if percent else words.number(value)
            tooltip = (
                f"{category.full} · {one.name}: {shown}"
                if len(series) > 1
                else (f"{category.full}: {shown}")
            )
            colour = one.colours[index] if one.colours else one.colour
            body.append(
                f'<rect x="{_num(x)}" y="{_num(base)}" width="{_num(bar)}" height="{_num(h)}" '
                f'fill="{colour}"><title>{escape(tooltip)}</title></rect>'
            )
        total = totals[index]
        if total is not None and total > 0:
            shown = words.rate(total) if percent else words.number(total)
            size = next(
                (size for size in (_FONT, _SMALL) if text_width(shown, size) <= slot - 2), 0
            )
            if size:
                body.append(
                    _text(
                        middle,
                        base - 3,
                        shown,
                        text_anchor="middle",
                        fill=_MUTED,
                        font_size=str(size),
                        **_HALO,
                    )
                )
        half = text_width(category.short) / 2
        if index % every == 0 and middle - half >= 0 and middle + half <= width:
            tick = _text(
                middle, top + plot_h + 16, category.short, text_anchor="middle", fill=_MUTED
            )
            body.append(f"<g><title>{escape(category.full)}</title>{tick}</g>")
    if target is not None:
        y = top + plot_h * (1 - target)
        body.append(
            f'<line x1="{_num(left)}" x2="{_num(width - right)}" y1="{_num(y)}" y2="{_num(y)}" '
            f'stroke="{_TARGET}" stroke-dasharray="5 4" stroke-width="1.5"/>'
        )
        body.append(_text(width - right + 6, y + 4, target_text, fill=_TARGET))
    if not categories:
        body.append(_text(left + 8, top + plot_h / 2, words.text("no_data"), fill=_MUTED))
    return _svg(width, height, body, label)


# -- Horizontal bars ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Row:
    """One horizontal bar: its name, its value (between 0 and the chart's scale), the text
    written after it, its colour."""

    name: str
    value: float
    shown: str
    colour: str


@dataclass(frozen=True, slots=True)
class _Mark:
    """A target drawn across horizontal bars: its value and its name."""

    value: float
    name: str


def _bars(
    rows: Sequence[_Row],
    *,
    label: str,
    words: Wording,
    scale: float = 1.0,
    marks: Sequence[_Mark] = (),
) -> str:
    """Horizontal bars, names on the left (wrapped or shortened to fit), texts on the right."""
    name_room = min(max((text_width(row.name) for row in rows), default=60.0), 190.0)
    left = name_room + 14
    right = max((text_width(row.shown) for row in rows), default=40.0) + 16
    width = max(560.0, left + right + 160)
    plot_w = width - left - right
    names = [_fit(row.name, name_room) for row in rows]
    row_h = 32 if any(len(name.lines) > 1 for name in names) else 26
    top = 22 if marks else 8
    height = top + row_h * max(len(rows), 1) + 10
    body: list[str] = []
    for index, (row, name) in enumerate(zip(rows, names, strict=True)):
        y = top + row_h * index
        middle = y + row_h / 2
        w = plot_w * max(min(row.value / scale, 1.0), 0.0)
        body.append(_label(left - 8, middle, name, text_anchor="end"))
        body.append(
            f'<rect x="{_num(left)}" y="{_num(middle - 9)}" width="{_num(plot_w)}" height="18" '
            f'fill="{_GRID}" rx="2"/>'
        )
        body.append(
            f'<rect x="{_num(left)}" y="{_num(middle - 9)}" width="{_num(w)}" height="18" '
            f'fill="{row.colour}" rx="2"><title>{escape(name.whole)}: {escape(row.shown)}'
            "</title></rect>"
        )
        body.append(_text(left + plot_w + 8, middle + 4, row.shown, fill=_MUTED))
    for number, mark in enumerate(marks):
        x = left + plot_w * mark.value / scale
        body.append(
            f'<line x1="{_num(x)}" x2="{_num(x)}" y1="{top - 4}" y2="{_num(height - 8)}" '
            f'stroke="{_TARGET}" stroke-dasharray="4 3" stroke-width="1.5"/>'
        )
        anchor = "end" if number % 2 == 0 else "start"
        shift = -3 if number % 2 == 0 else 3
        body.append(_text(x + shift, top - 8, mark.name, text_anchor=anchor, fill=_TARGET))
    if not rows:
        body.append(_text(left, top + 17, words.text("no_data"), fill=_MUTED))
    return _svg(width, height, body, label)


# -- Periods of the charts ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Period:
    """One column of a chart over time: a day, a week or a month, and the report's days in
    it."""

    short: str
    full: str
    days: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Periods:
    """The columns of a chart over time, and what each is (``day``, ``week`` or ``month``)."""

    unit: str
    periods: tuple[_Period, ...]


def _day_text(day: date, words: Wording) -> str:
    if words.lang == "vi":
        return day.strftime("%d/%m")
    return f"{day.day} {_MONTHS_EN[day.month - 1][:3]}"


def _month_text(year: int, month: int, words: Wording, *, short: bool) -> str:
    if words.lang == "vi":
        text = f"{month:02d}/{year}"
        return text if short else words.text("month_of", month=text)
    name = _MONTHS_EN[month - 1]
    return f"{name[:3]} {year}" if short else f"{name} {year}"


def chart_periods(days: Sequence[str], words: Wording) -> _Periods:
    """The columns of the charts over ``days`` (ISO dates): one per day up to
    :data:`DAYS_PER_DAY_CHART` days from the first to the last, one per week (from Monday) up
    to :data:`DAYS_PER_WEEK_CHART`, one per month beyond; every week or month between the first
    and the last is shown, even empty."""
    dated = sorted({date.fromisoformat(day) for day in days})
    if not dated:
        return _Periods("day", ())
    span = (dated[-1] - dated[0]).days + 1
    if span <= DAYS_PER_DAY_CHART:
        periods = tuple(
            _Period(_day_text(day, words), words.date(day), (day.isoformat(),)) for day in dated
        )
        return _Periods("day", periods)
    if span <= DAYS_PER_WEEK_CHART:
        monday = dated[0] - timedelta(days=dated[0].weekday())
        weeks: list[_Period] = []
        while monday <= dated[-1]:
            sunday = monday + timedelta(days=6)
            inside = tuple(day.isoformat() for day in dated if monday <= day <= sunday)
            full = words.text(
                "days_with_cases",
                period=words.text("week_of", start=words.date(monday), end=words.date(sunday)),
                days=len(inside),
            )
            weeks.append(_Period(_day_text(monday, words), full, inside))
            monday += timedelta(days=7)
        return _Periods("week", tuple(weeks))
    months: list[_Period] = []
    year, month = dated[0].year, dated[0].month
    while (year, month) <= (dated[-1].year, dated[-1].month):
        inside = tuple(day.isoformat() for day in dated if (day.year, day.month) == (year, month))
        full = words.text(
            "days_with_cases",
            period=_month_text(year, month, words, short=False),
            days=len(inside),
        )
        months.append(_Period(_month_text(year, month, words, short=True), full, inside))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return _Periods("month", tuple(months))


def period_service_level(report: KpiReport, days: Sequence[str]) -> float | None:
    """The service level over ``days`` together: calls answered within the threshold over
    answered calls and counted abandons, summed over the days; None without calls."""
    figures = [report.by_day[day] for day in days if day in report.by_day]
    base = sum(service_level_base(f) for f in figures)
    if not base:
        return None
    return sum(f.answered_within_threshold for f in figures) / base


# -- Cards ----------------------------------------------------------------------------------------


def _tile(name: str, value: str, note: str = "", *, state: str = "") -> str:
    css = f"tile {state}".strip()
    return (
        f'<div class="{css}"><div class="label">{escape(name)}</div>'
        f'<div class="value">{escape(value)}</div><div class="note">{escape(note)}</div></div>'
    )


def _state(value: float | None, target: float) -> str:
    if value is None:
        return ""
    return "good" if value >= target else "bad"


def _tiles(report: KpiReport, words: Wording) -> str:
    f = report.overall
    wait_p90 = (f.percentiles.get("wait") or {}).get("p90")
    answered = words.number(f.calls_answered)
    asa_note = (
        words.text("asa_note", n=answered)
        if wait_p90 is None
        else words.text("asa_note_p90", n=answered, p90=words.duration(wait_p90))
    )
    tiles = [
        _tile(
            words.text("sl_name", seconds=words.seconds(report.service_level_seconds)),
            words.rate(f.service_level),
            words.text(
                "sl_note",
                target=words.target(SERVICE_LEVEL_TARGET),
                n=words.number(service_level_base(f)),
            ),
            state=_state(f.service_level, SERVICE_LEVEL_TARGET),
        ),
        _tile(
            words.kpi("average_speed_of_answer"),
            words.duration(f.average_speed_of_answer),
            asa_note,
        ),
        _tile(
            words.kpi("abandonment_rate"),
            words.rate(f.abandonment_rate),
            words.text(
                "aband_note",
                n=words.number(abandonment_base(f)),
                short=words.number(f.short_abandons),
            ),
        ),
        _tile(
            words.kpi("average_handle_time"),
            words.duration(f.average_handle_time),
            words.text("aht_note", n=answered),
        ),
        _tile(
            words.kpi("first_contact_resolution"),
            words.rate(f.first_contact_resolution),
            words.text(
                "fcr_note",
                n=words.number(f.fcr_eligible),
                days=words.seconds(report.fcr_window_days),
            ),
        ),
        _tile(
            words.satisfaction("csat"),
            words.rate(f.satisfaction.csat),
            words.text(
                "csat_note",
                first=words.target(SATISFACTION_TARGETS[2025]),
                second=words.target(SATISFACTION_TARGETS[2030]),
                n=words.number(f.satisfaction.responses),
            ),
            state=_state(f.satisfaction.csat, SATISFACTION_TARGETS[2025]),
        ),
        _tile(
            words.kpi("reopen_rate"),
            words.rate(f.reopen_rate),
            words.text("reopen_note", n=words.number(f.written_answered)),
        ),
        _tile(
            words.kpi("backlog"),
            words.number(f.backlog.open),
            words.text("backlog_note", old=words.number(f.backlog.ageing.get("16+", 0))),
        ),
    ]
    return '<section class="tiles">' + "".join(tiles) + "</section>"


def _card(title: str, body: str, subtitle: str = "", *, wide: bool = False) -> str:
    css = "card wide" if wide else "card"
    sub = f'<p class="sub">{escape(subtitle)}</p>' if subtitle else ""
    return f'<section class="{css}"><h2>{escape(title)}</h2>{sub}{body}</section>'


def _legend(items: Sequence[_Series]) -> str:
    return (
        '<div class="legend">'
        + "".join(f'<span style="--c:{item.colour}">{escape(item.name)}</span>' for item in items)
        + "</div>"
    )


def _report_days(report: KpiReport) -> list[str]:
    return sorted(set(report.volume) | set(report.by_day))


def _with_weeks(subtitle: str, periods: _Periods, words: Wording) -> str:
    """A chart's subtitle, and how its columns are dated when they are weeks."""
    if periods.unit != "week":
        return subtitle
    return f"{subtitle}; {words.text('weeks_note')}"


def _volume(report: KpiReport, words: Wording, periods: _Periods) -> str:
    channels = sorted({c for counts in report.volume.values() for c in counts})
    series = [
        _Series(
            words.group("channel", channel),
            _PALETTE[index % len(_PALETTE)],
            [
                float(sum(report.volume.get(day, {}).get(channel, 0) for day in period.days))
                for period in periods.periods
            ],
        )
        for index, channel in enumerate(channels)
    ]
    categories = [_Category(p.short, p.full) for p in periods.periods]
    title = words.text("volume_title", period=words.text(periods.unit))
    chart = _columns(categories, series, label=title, words=words)
    return _card(
        title, chart + _legend(series), _with_weeks(words.text("volume_sub"), periods, words)
    )


def _service_level(report: KpiReport, words: Wording, periods: _Periods) -> str:
    values = [period_service_level(report, period.days) for period in periods.periods]
    title = words.text("sl_title", period=words.text(periods.unit))
    chart = _columns(
        [_Category(p.short, p.full) for p in periods.periods],
        [_Series(words.kpi("service_level"), _PALETTE[0], values)],
        label=title,
        words=words,
        percent=True,
        target=SERVICE_LEVEL_TARGET,
    )
    subtitle = words.text(
        "sl_sub",
        seconds=words.seconds(report.service_level_seconds),
        short=words.seconds(report.short_abandon_seconds),
    )
    return _card(title, chart, _with_weeks(subtitle, periods, words))


def _compliance_colour(value: float) -> str:
    if value >= 0.95:
        return _GOOD
    return _PALETTE[1] if value >= 0.8 else _BAD


def _sla(report: KpiReport, words: Wording) -> str:
    rows = []
    for name, sla in report.overall.sla.items():
        judged = sla.met + sla.breached
        value = sla.compliance or 0.0
        shown = words.text(
            "sla_shown",
            rate=words.rate(sla.compliance),
            breached=words.number(sla.breached),
            n=words.number(judged),
        )
        rows.append(_Row(words.sla_target(name), value, shown, _compliance_colour(value)))
    title = words.text("sla_title")
    note = words.not_judged_note(report.overall)
    body = _bars(rows, label=title, words=words)
    if note:
        body += f'<p class="note">{escape(note)}</p>'
    return _card(title, body, words.text("sla_sub"))


def _backlog(report: KpiReport, words: Wording) -> str:
    ageing = report.overall.backlog.ageing
    names = [name for name, _ in AGEING_BUCKETS]
    series = [
        _Series(
            words.kpi("backlog"),
            _PALETTE[0],
            [float(ageing.get(name, 0)) for name in names],
            colours=[_BAD if name == names[-1] else _PALETTE[0] for name in names],
        )
    ]
    title = words.text("backlog_title")
    body = _columns(
        [_Category(words.ageing(name), words.ageing(name)) for name in names],
        series,
        label=title,
        words=words,
    )
    subtitle = words.text("backlog_sub", open=words.number(report.overall.backlog.open))
    return _card(title, body, subtitle)


def _satisfaction(report: KpiReport, words: Wording) -> str:
    rows = []
    overall = report.overall.satisfaction
    if overall.csat is not None:
        shown = f"{words.rate(overall.csat)} ({words.text('n', n=words.number(overall.responses))})"
        rows.append(_Row(words.text("all_channels"), overall.csat, shown, _INK))
    for name, f in report.by_channel.items():
        if f.satisfaction.csat is None:
            continue
        value = f.satisfaction.csat
        colour = _GOOD if value >= SATISFACTION_TARGETS[2025] else _PALETTE[1]
        n = words.text("n", n=words.number(f.satisfaction.responses))
        rows.append(_Row(words.group("channel", name), value, f"{words.rate(value)} ({n})", colour))
    title = words.text("satisfaction_title")
    chart = _bars(
        rows,
        label=words.satisfaction("csat"),
        words=words,
        marks=[
            _Mark(SATISFACTION_TARGETS[2025], f"{words.target(SATISFACTION_TARGETS[2025])} (2025)"),
            _Mark(SATISFACTION_TARGETS[2030], f"{words.target(SATISFACTION_TARGETS[2030])} (2030)"),
        ],
    )
    factors = [
        _Row(
            words.factor(name),
            overall.factor_means[name],
            f"{words.number(overall.factor_means[name], 2)} / 5",
            _PALETTE[4],
        )
        for name in SATISFACTION_FACTORS
        if name in overall.factor_means
    ]
    factor_chart = (
        _bars(factors, label=words.satisfaction("factor_means"), words=words, scale=5.0)
        if factors
        else ""
    )
    subtitle = words.text(
        "satisfaction_sub",
        first=words.target(SATISFACTION_TARGETS[2025]),
        second=words.target(SATISFACTION_TARGETS[2030]),
    )
    return _card(title, chart + factor_chart, subtitle)


def _outcomes(report: KpiReport, words: Wording) -> str:
    ended = report.overall.ended
    rows = [
        _Row(
            words.outcome(name),
            count / max(ended, 1),
            f"{words.number(count)} ({words.rate(count / ended if ended else None)})",
            _PALETTE[index % len(_PALETTE)],
        )
        for index, (name, count) in enumerate(report.overall.outcomes.items())
    ]
    title = words.text("outcomes_title")
    return _card(title, _bars(rows, label=title, words=words), words.text("outcomes_sub"))


def _percentiles(report: KpiReport, words: Wording) -> str:
    """The percentiles of each measured duration; nothing when the report has none."""
    measured = {name: values for name, values in report.overall.percentiles.items() if values}
    if not measured:
        return ""
    keys: list[str] = []
    for values in measured.values():
        keys.extend(key for key in values if key not in keys)
    head = (
        "<tr><th>"
        + escape(words.text("duration"))
        + "</th>"
        + "".join(f"<th>{escape(words.percentile(key))}</th>" for key in keys)
        + "</tr>"
    )
    rows = "".join(
        "<tr><td>"
        + escape(words.duration_name(name))
        + "</td>"
        + "".join(f"<td>{escape(words.duration(values.get(key)))}</td>" for key in keys)
        + "</tr>"
        for name, values in measured.items()
    )
    return _card(
        words.text("percentiles_title"),
        f"<table>{head}{rows}</table>",
        words.text("percentiles_sub"),
    )


def _by_volume(groups: dict[str, KpiFigures]) -> dict[str, KpiFigures]:
    """The groups with the most cases (ended and open) first."""
    return dict(sorted(groups.items(), key=lambda item: -(item[1].ended + item[1].backlog.open)))


def _group_table(title: str, by: str, groups: dict[str, KpiFigures], words: Wording) -> str:
    header = [words.grouping(by), *(words.short(name) for name in GROUP_COLUMNS)]
    rows = []
    for key, figures in groups.items():
        name = words.group(by, key)
        first = (
            f'<td title="{escape(key)}">{escape(name)}</td>'
            if name != key
            else (f"<td>{escape(name)}</td>")
        )
        cells = "".join(f"<td>{escape(cell)}</td>" for cell in group_cells(figures, words))
        rows.append(f"<tr>{first}{cells}</tr>")
    head = "<tr>" + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr>"
    note = f'<p class="note">{escape(words.text("in_brackets"))}</p>'
    body = f'<div class="scroll"><table>{head}{"".join(rows)}</table></div>{note}'
    return _card(title, body, wide=True)


def _step_table(report: KpiReport, words: Wording) -> str:
    head = (
        f"<tr><th>{escape(words.grouping('step'))}</th>"
        f"<th>{escape(words.text('step_completions'))}</th>"
        f"<th>{escape(words.text('step_mean'))}</th></tr>"
    )
    rows = "".join(
        f'<tr><td title="{escape(step)}">{escape(words.group("step", step))}</td>'
        f"<td>{escape(words.number(figures.completions))}</td>"
        f"<td>{escape(words.duration(figures.mean_seconds))}</td></tr>"
        for step, figures in report.by_step.items()
    )
    title = words.text("by", grouping=words.grouping("step"))
    return _card(title, f"<table>{head}{rows}</table>", wide=True)


def _tables(report: KpiReport, words: Wording, by: str | None) -> list[str]:
    """The tables of the page: by channel, unit and kind, or the one grouping asked."""
    if by == "step":
        return [_step_table(report, words)]
    shown = ("channel", "unit", "kind") if by is None else (by,)
    tables = []
    for grouping in shown:
        groups = report.group(grouping)
        name = words.grouping(grouping).lower()
        if grouping in ("unit", "kind"):
            groups = _by_volume(groups)
            title = words.text("by_busiest", grouping=name)
        else:
            title = words.text("by", grouping=name)
        tables.append(_group_table(title, grouping, groups, words))
    return tables


def _plain_table(header: Sequence[str], rows: Sequence[Sequence[str]], text: frozenset[int]) -> str:
    """A table whose columns ``text`` (indexes) are text (left-aligned, wrapping); the others
    are figures (right-aligned)."""

    def cell(tag: str, index: int, content: str) -> str:
        css = ' class="text"' if index in text else ""
        return f"<{tag}{css}>{escape(content)}</{tag}>"

    head = "<tr>" + "".join(cell("th", i, h) for i, h in enumerate(header)) + "</tr>"
    body = "".join(
        "<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>" for row in rows
    )
    return f'<div class="scroll"><table>{head}{body}</table></div>'


def _surges(report: KpiReport, surges: Sequence[Surge], words: Wording) -> str:
    """The surges raised, and how many cases a master answer answered."""
    if surges:
        header = surge_header(words)
        rows = [surge_cells(surge, words) for surge in surges]
        body = _plain_table(header, rows, text=frozenset({0, 4}))  # keywords, channels
    else:
        body = f"<p>{escape(words.text('surges_none'))}</p>"
    delivered = words.text("master_delivered", n=words.number(report.overall.master_answers))
    body += f'<p class="note">{escape(delivered)}</p>'
    return _card(words.text("surges_title"), body, words.text("surges_sub"), wide=True)


def _stale(stale_entries: Sequence[StaleEntry], stale_on: date | None, words: Wording) -> str:
    """The knowledge entries that cite a document no longer in force."""
    if stale_entries:
        rows = [stale_cells(stale, words) for stale in stale_entries]
        body = _plain_table(stale_header(words), rows, text=frozenset({0, 1, 2, 3, 5}))
    else:
        body = f"<p>{escape(words.text('stale_none'))}</p>"
    subtitle = "" if stale_on is None else words.text("stale_sub", day=words.date(stale_on))
    return _card(words.text("stale_title"), body, subtitle, wide=True)


def render_html(
    report: KpiReport,
    *,
    title: str | None = None,
    lang: Lang = "vi",
    by: str | None = None,
    directory: Directory | None = None,
    processes: Sequence[ProcessDefinition] | None = None,
    surges: Sequence[Surge] | None = None,
    stale_entries: Sequence[StaleEntry] | None = None,
    stale_on: date | None = None,
) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG; no script, no link).

    Labels are in ``lang``: ``"vi"`` (the default) or ``"en"``; ``title`` replaces the
    page's title. The tables are by channel, unit and kind, or only the one grouping ``by``
    (one of :data:`~vss_care_core.monitoring.GROUPINGS`; ``step`` gives the time per step).
    Units are named from ``directory`` (the built-in one by default), outcomes and steps from
    ``processes`` (the standard ones). Given ``surges``, a section lists them (named by their
    keywords, never by an inquiry's text) with the number of cases answered from a master
    answer; given ``stale_entries`` (knowledge entries citing a document no longer in force on
    ``stale_on``), a section lists them. Nothing is computed here: what is shown is what is
    given. Every text taken from the data is escaped; the page
    holds figures only, never personal data.
    """
    check_grouping(by)
    words = wording(lang, directory=directory, processes=processes)
    heading = words.text("title") if title is None else title
    warning = ""
    if report.orphan_events or report.unmatched_responses:
        text = words.text(
            "warning",
            orphans=words.number(report.orphan_events),
            responses=words.number(report.unmatched_responses),
        )
        warning = f'<p class="warn">{escape(text)}</p>'
    periods = chart_periods(_report_days(report), words)
    sections = [
        _tiles(report, words),
        '<div class="grid">',
        _volume(report, words, periods),
        _service_level(report, words, periods),
        _sla(report, words),
        _backlog(report, words),
        _satisfaction(report, words),
        f'<div class="stack">{_outcomes(report, words)}{_percentiles(report, words)}</div>',
        *([] if surges is None else [_surges(report, surges, words)]),
        *([] if stale_entries is None else [_stale(stale_entries, stale_on, words)]),
        *_tables(report, words, by),
        "</div>",
    ]
    subtitle = " · ".join(period_line(report, words))
    return (
        f'<!DOCTYPE html>\n<html lang="{words.lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(heading)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{escape(heading)}</h1><p>{escape(subtitle)}</p></header><main>{warning}"
        + "".join(sections)
        + f"<footer>{escape(words.text('footer'))}</footer></main></body></html>\n"
    )
