"""The HTML report: one self-contained file, inline CSS and SVG charts, no script, no link."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from vss_care_core.monitoring._figures import AGEING_BUCKETS, KpiFigures, KpiReport
from vss_care_core.monitoring._report import format_duration, format_rate, kpi_cells
from vss_care_core.monitoring._satisfaction import SATISFACTION_FACTORS, SATISFACTION_TARGETS

__all__ = ["render_html"]

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
_FACTOR_LABELS = {
    "accessibility": "Accessibility",
    "procedures": "Procedures",
    "quality": "Quality",
    "results": "Results",
    "feedback_handling": "Handling of feedback",
}
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
.card{background:#fff;border-radius:8px;padding:14px 18px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.card h2{font-size:15px;margin:0 0 8px;font-weight:600}
.card p.sub{margin:-4px 0 8px;color:#6b7785;font-size:12px}
.wide{grid-column:1 / -1}
svg{display:block;max-width:100%;height:auto}
svg text{font-family:inherit}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{padding:5px 8px;border-bottom:1px solid #e3e8ee;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}
th{color:#6b7785;font-weight:600;font-size:12px}
.legend{display:flex;flex-wrap:wrap;gap:12px;font-size:12px;color:#6b7785;margin-top:6px}
.legend span::before{content:"";display:inline-block;width:10px;height:10px;border-radius:2px;
margin-right:5px;background:var(--c)}
.warn{background:#fff4e5;border-left:4px solid #e07b28;padding:8px 12px;margin-bottom:14px}
footer{color:#6b7785;font-size:12px;margin-top:20px}
"""


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    step = 10 ** (len(str(int(value))) - 1)
    for factor in (1, 2, 2.5, 5, 10):
        if value <= step * factor:
            return float(step * factor)
    return float(step * 10)


def _text(x: float, y: float, content: str, **attributes: str) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{escape(v)}"' for name, v in attributes.items())
    return f'<text x="{_num(x)}" y="{_num(y)}"{extra}>{escape(content)}</text>'


def _svg(width: int, height: int, body: Sequence[str], label: str) -> str:
    return (
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(label)}" font-size="11" fill="{_INK}">' + "".join(body) + "</svg>"
    )


def _columns(
    categories: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float]]],
    *,
    label: str,
    percent: bool = False,
    target: float | None = None,
) -> str:
    """Vertical bars, stacked when there are several series (name, colour, values)."""
    width, height = 560, 250
    left, right, top, bottom = 44, 10 if target is None else 64, 14, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(values[i] for _, _, values in series) for i in range(len(categories))]
    top_value = 1.0 if percent else _nice_max(max(totals, default=0))
    body: list[str] = []
    for tick in range(5):
        value = top_value * tick / 4
        y = top + plot_h - plot_h * tick / 4
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_num(y)}" y2="{_num(y)}" '
            f'stroke="{_GRID}"/>'
        )
        text = f"{value * 100:.0f}%" if percent else f"{value:,.0f}"
        body.append(_text(left - 6, y + 4, text, text_anchor="end", fill=_MUTED))
    slot = plot_w / max(len(categories), 1)
    bar = min(slot * 0.7, 48)
    for index, category in enumerate(categories):
        x = left + slot * index + (slot - bar) / 2
        base = float(top + plot_h)
        for _, colour, values in series:
            value = values[index]
            if value <= 0:
                continue
            h = plot_h * min(value / top_value, 1.0)
            base -= h
            body.append(
                f'<rect x="{_num(x)}" y="{_num(base)}" width="{_num(bar)}" height="{_num(h)}" '
                f'fill="{colour}"/>'
            )
        if totals[index] > 0:
            shown = f"{totals[index] * 100:.0f}%" if percent else f"{totals[index]:,.0f}"
            body.append(_text(x + bar / 2, base - 3, shown, text_anchor="middle", fill=_MUTED))
        body.append(
            _text(x + bar / 2, top + plot_h + 16, category, text_anchor="middle", fill=_MUTED)
        )
    if target is not None:
        y = top + plot_h * (1 - target)
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_num(y)}" y2="{_num(y)}" '
            f'stroke="{_TARGET}" stroke-dasharray="5 4" stroke-width="1.5"/>'
        )
        body.append(_text(width - right + 6, y + 4, f"target {target * 100:.0f}%", fill=_TARGET))
    return _svg(width, height, body, label)


def _bars(
    rows: Sequence[tuple[str, float, str, str]],
    *,
    label: str,
    scale: float = 1.0,
    targets: Sequence[tuple[float, str]] = (),
) -> str:
    """Horizontal bars: (label, value between 0 and ``scale``, text shown, colour)."""
    width = 560
    left, right, row_h, top = 150, 110, 26, 18
    height = top + row_h * max(len(rows), 1) + 10
    plot_w = width - left - right
    body: list[str] = []
    for index, (name, value, shown, colour) in enumerate(rows):
        y = top + row_h * index
        w = plot_w * max(min(value / scale, 1.0), 0.0)
        body.append(_text(left - 8, y + 15, name, text_anchor="end"))
        body.append(
            f'<rect x="{left}" y="{y + 4}" width="{plot_w}" height="{row_h - 8}" fill="{_GRID}" '
            'rx="2"/>'
        )
        body.append(
            f'<rect x="{left}" y="{y + 4}" width="{_num(w)}" height="{row_h - 8}" '
            f'fill="{colour}" rx="2"/>'
        )
        body.append(_text(left + plot_w + 8, y + 15, shown, fill=_MUTED))
    for number, (value, name) in enumerate(targets):
        x = left + plot_w * value / scale
        body.append(
            f'<line x1="{_num(x)}" x2="{_num(x)}" y1="{top - 4}" y2="{height - 8}" '
            f'stroke="{_TARGET}" stroke-dasharray="4 3" stroke-width="1.5"/>'
        )
        anchor = "end" if number % 2 == 0 else "start"
        shift = -3 if number % 2 == 0 else 3
        body.append(_text(x + shift, top - 7, name, text_anchor=anchor, fill=_TARGET))
    if not rows:
        body.append(_text(left, top + 15, "no data", fill=_MUTED))
    return _svg(width, height, body, label)


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


def _tiles(report: KpiReport) -> str:
    f = report.overall
    csat_target = SATISFACTION_TARGETS[2025]
    return (
        '<section class="tiles">'
        + "".join(
            [
                _tile(
                    f"Service level ({report.service_level_seconds:g} s)",
                    format_rate(f.service_level),
                    f"target 80 % · {f.calls_offered:,} calls offered",
                    state=_state(f.service_level, 0.80),
                ),
                _tile("Average speed of answer", format_duration(f.average_speed_of_answer)),
                _tile(
                    "Abandonment rate",
                    format_rate(f.abandonment_rate),
                    f"{f.short_abandons:,} short abandons left out",
                ),
                _tile(
                    "Average handle time",
                    format_duration(f.average_handle_time),
                    "talk + hold + wrap-up",
                ),
                _tile(
                    "First-contact resolution",
                    format_rate(f.first_contact_resolution),
                    f"re-contact window {report.fcr_window_days:g} days",
                ),
                _tile(
                    "Satisfaction (CSAT)",
                    format_rate(f.satisfaction.csat),
                    f"target 85 % (2025), 90 % (2030) · {f.satisfaction.responses:,} responses",
                    state=_state(f.satisfaction.csat, csat_target),
                ),
                _tile(
                    "Reopen rate",
                    format_rate(f.reopen_rate),
                    f"{f.written_answered:,} written answers",
                ),
                _tile(
                    "Backlog",
                    f"{f.backlog.open:,}",
                    f"open cases · {f.backlog.ageing.get('16+', 0):,} older than 15 working days",
                ),
            ]
        )
        + "</section>"
    )


def _card(title: str, body: str, subtitle: str = "", *, wide: bool = False) -> str:
    css = "card wide" if wide else "card"
    sub = f'<p class="sub">{escape(subtitle)}</p>' if subtitle else ""
    return f'<section class="{css}"><h2>{escape(title)}</h2>{sub}{body}</section>'


def _legend(items: Sequence[tuple[str, str]]) -> str:
    return (
        '<div class="legend">'
        + "".join(f'<span style="--c:{colour}">{escape(name)}</span>' for name, colour in items)
        + "</div>"
    )


def _volume(report: KpiReport) -> str:
    days = list(report.volume)
    channels = sorted({c for counts in report.volume.values() for c in counts})
    colours = {c: _PALETTE[i % len(_PALETTE)] for i, c in enumerate(channels)}
    series = [(c, colours[c], [report.volume[d].get(c, 0) for d in days]) for c in channels]
    chart = _columns([d[5:] for d in days], series, label="Cases opened per channel per day")
    return _card(
        "Volume per channel per day",
        chart + _legend([(c, colours[c]) for c in channels]),
        "cases opened, by local date",
    )


def _service_level(report: KpiReport) -> str:
    days = [d for d, f in report.by_day.items() if f.service_level is not None]
    values = [report.by_day[d].service_level or 0.0 for d in days]
    chart = _columns(
        [d[5:] for d in days],
        [("service level", _PALETTE[0], values)],
        label="Service level per day",
        percent=True,
        target=0.80,
    )
    return _card(
        "Service level per day",
        chart,
        f"calls answered within {report.service_level_seconds:g} s / (answered + abandoned "
        f"after {report.short_abandon_seconds:g} s)",
    )


def _sla(report: KpiReport) -> str:
    rows = []
    for name, sla in report.overall.sla.items():
        value = sla.compliance or 0.0
        colour = _GOOD if value >= 0.95 else _PALETTE[1] if value >= 0.8 else _BAD
        rows.append(
            (
                name,
                value,
                f"{format_rate(sla.compliance)} ({sla.met}/{sla.met + sla.breached})",
                colour,
            )
        )
    return _card(
        "SLA compliance per target",
        _bars(rows, label="SLA compliance per target"),
        "timers met / (met + breached), judged when each case ended",
    )


def _backlog(report: KpiReport) -> str:
    ageing = report.overall.backlog.ageing
    names = [name for name, _ in AGEING_BUCKETS]
    colours = [_PALETTE[0]] * (len(names) - 1) + [_BAD]
    body = _columns(
        names,
        [
            (name, colour, [ageing.get(name, 0) if n == name else 0 for n in names])
            for name, colour in zip(names, colours, strict=True)
        ],
        label="Backlog ageing in working days",
    )
    return _card(
        "Backlog ageing",
        body,
        f"{report.overall.backlog.open:,} open cases by age in working days; "
        "16+ is past the 15-working-day limit",
    )


def _satisfaction(report: KpiReport) -> str:
    rows = []
    for name, f in report.by_channel.items():
        if f.satisfaction.csat is None:
            continue
        value = f.satisfaction.csat
        colour = _GOOD if value >= SATISFACTION_TARGETS[2025] else _PALETTE[1]
        rows.append((name, value, f"{format_rate(value)} (n={f.satisfaction.responses})", colour))
    overall = report.overall.satisfaction
    if overall.csat is not None:
        rows.insert(0, ("all channels", overall.csat, format_rate(overall.csat), _INK))
    chart = _bars(
        rows,
        label="CSAT per channel",
        targets=[
            (SATISFACTION_TARGETS[2025], "85% (2025)"),
            (SATISFACTION_TARGETS[2030], "90% (2030)"),
        ],
    )
    factors = [
        (
            _FACTOR_LABELS[name],
            overall.factor_means[name],
            f"{overall.factor_means[name]:.2f} / 5",
            _PALETTE[4],
        )
        for name in SATISFACTION_FACTORS
        if name in overall.factor_means
    ]
    factor_chart = _bars(factors, label="Mean score per factor", scale=5.0) if factors else ""
    return _card(
        "Satisfaction",
        chart + factor_chart,
        "CSAT: share of overall scores 4–5; targets of Resolution 28-NQ/TW: 85 % by 2025, "
        "90 % by 2030; below, the mean score of each VSS survey factor",
    )


def _by_volume(groups: dict[str, KpiFigures]) -> dict[str, KpiFigures]:
    """The groups with the most cases (ended and open) first."""
    return dict(sorted(groups.items(), key=lambda item: -(item[1].ended + item[1].backlog.open)))


def _group_table(title: str, groups: dict[str, KpiFigures]) -> str:
    header = [
        "",
        "ended",
        "service level",
        "ASA",
        "abandonment",
        "AHT",
        "FCR",
        "reopens",
        "CSAT",
        "SLA",
        "backlog",
    ]
    rows = []
    for name, f in groups.items():
        met = sum(s.met for s in f.sla.values())
        judged = met + sum(s.breached for s in f.sla.values())
        cells = [
            name,
            f"{f.ended:,}",
            *kpi_cells(f),
            format_rate(met / judged if judged else None),
            f"{f.backlog.open:,}",
        ]
        rows.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    head = "<tr>" + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr>"
    return _card(title, f"<table>{head}{''.join(rows)}</table>", wide=True)


def render_html(report: KpiReport, *, title: str = "VSS customer care report") -> str:
    """The report as one self-contained HTML page (inline CSS and SVG; no script, no link).

    Every text taken from the data is escaped. The page holds figures only, never personal data.
    """
    period = ""
    if report.period_start or report.period_end:
        start = report.period_start.isoformat() if report.period_start else "…"
        end = report.period_end.isoformat() if report.period_end else "…"
        period = f"cases opened {start} to {end} · "
    as_of = f"as of {report.as_of.isoformat(timespec='minutes')} · " if report.as_of else ""
    subtitle = (
        f"{period}{as_of}{report.records:,} log records · {report.overall.ended:,} cases ended · "
        f"{report.overall.backlog.open:,} open"
    )
    warning = ""
    if report.orphan_events or report.unmatched_responses:
        warning = (
            f'<p class="warn">{report.orphan_events:,} events had no inquiry or opening event and '
            f"{report.unmatched_responses:,} survey responses no case: "
            "the log may be incomplete.</p>"
        )
    sections = [
        _tiles(report),
        '<div class="grid">',
        _volume(report),
        _service_level(report),
        _sla(report),
        _backlog(report),
        _satisfaction(report),
        _card(
            "Outcomes",
            _bars(
                [
                    (
                        name,
                        count / max(report.overall.ended, 1),
                        f"{count:,}",
                        _PALETTE[i % len(_PALETTE)],
                    )
                    for i, (name, count) in enumerate(report.overall.outcomes.items())
                ],
                label="Outcomes of the cases that ended",
            ),
            "how the cases that ended, ended",
        ),
        _group_table("By channel", report.by_channel),
        _group_table("By unit (busiest first)", _by_volume(report.by_unit)),
        _group_table("By kind", _by_volume(report.by_kind)),
        "</div>",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{escape(title)}</h1><p>{escape(subtitle)}</p></header><main>{warning}"
        + "".join(sections)
        + "<footer>Definitions of every figure: the monitoring page of the vss-care-core "
        "documentation.</footer></main></body></html>\n"
    )
