"""A KPI report as plain text: the overall figures, or one row per group."""

from __future__ import annotations

from vss_care_core.monitoring._figures import AGEING_BUCKETS, KpiFigures, KpiReport
from vss_care_core.monitoring._satisfaction import SATISFACTION_TARGETS

__all__ = ["GROUPINGS", "format_duration", "format_rate", "render_table"]

GROUPINGS: tuple[str, ...] = ("channel", "unit", "step", "kind", "day")
"""The ways a report can be split (``--by``)."""


def format_rate(value: float | None) -> str:
    """A share as a percentage with one decimal, or an em dash when there is none.

    >>> format_rate(0.8234), format_rate(None)
    ('82.3 %', '—')
    """
    return "—" if value is None else f"{value * 100:.1f} %"


def format_duration(seconds: float | None) -> str:
    """A duration in seconds as ``12 s``, ``5 min 12 s`` or ``2 h 05 min``.

    >>> format_duration(14.4), format_duration(312), format_duration(7500), format_duration(None)
    ('14 s', '5 min 12 s', '2 h 05 min', '—')
    """
    if seconds is None:
        return "—"
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"


def kpi_cells(figures: KpiFigures) -> list[str]:
    """The group-table cells from service level to CSAT, as both the text and HTML show them."""
    return [
        format_rate(figures.service_level),
        format_duration(figures.average_speed_of_answer),
        format_rate(figures.abandonment_rate),
        format_duration(figures.average_handle_time),
        format_rate(figures.first_contact_resolution),
        format_rate(figures.reopen_rate),
        format_rate(figures.satisfaction.csat),
    ]


def _lines(figures: KpiFigures, report: KpiReport) -> list[tuple[str, str, str]]:
    threshold = f"{report.service_level_seconds:g}"
    targets = ", ".join(
        f"{share * 100:.0f} % ({year})"
        for year, share in SATISFACTION_TARGETS.items()
        if year >= 2025
    )
    sat = figures.satisfaction
    rows = [
        ("Calls offered / answered", f"{figures.calls_offered} / {figures.calls_answered}", ""),
        (f"Service level ({threshold} s)", format_rate(figures.service_level), "80 %"),
        ("Average speed of answer", format_duration(figures.average_speed_of_answer), ""),
        ("Abandonment rate", format_rate(figures.abandonment_rate), ""),
        ("Average handle time", format_duration(figures.average_handle_time), ""),
        ("First-contact resolution", format_rate(figures.first_contact_resolution), ""),
        ("Written cases answered", str(figures.written_answered), ""),
        ("Reopen rate", format_rate(figures.reopen_rate), ""),
        (f"CSAT ({sat.responses} responses)", format_rate(sat.csat), targets),
    ]
    for name, sla in figures.sla.items():
        detail = f"{sla.met} met, {sla.breached} breached"
        rows.append((f"SLA {name}", format_rate(sla.compliance), detail))
    ageing = ", ".join(
        f"{name}: {figures.backlog.ageing.get(name, 0)}" for name, _ in AGEING_BUCKETS
    )
    rows.append(("Backlog (open cases)", str(figures.backlog.open), f"working days {ageing}"))
    return rows


def _table(
    header: list[str], rows: list[list[str]], *, left: frozenset[int] = frozenset({0})
) -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        padded = [
            cell.ljust(width) if index in left else cell.rjust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return [line(header), rule, *(line(row) for row in rows)]


def _heading(report: KpiReport) -> list[str]:
    period = ""
    if report.period_start or report.period_end:
        start = report.period_start.isoformat() if report.period_start else "…"
        end = report.period_end.isoformat() if report.period_end else "…"
        period = f"  cases opened {start} to {end}"
    as_of = f"  as of {report.as_of.isoformat(timespec='minutes')}" if report.as_of else ""
    lines = [f"VSS customer care KPIs{period}{as_of}"]
    lines.append(
        f"{report.records:,} records, {report.overall.ended:,} cases ended, "
        f"{report.overall.backlog.open:,} open"
    )
    if report.orphan_events or report.unmatched_responses:
        lines.append(
            f"warning: {report.orphan_events} events without their inquiry or case opening, "
            f"{report.unmatched_responses} survey responses without their case"
        )
    return lines


def render_table(report: KpiReport, *, by: str | None = None) -> str:
    """The report as a plain-text table: the overall KPIs, or one row per group with ``by``.

    ``by`` is one of :data:`GROUPINGS`; ``step`` lists the time spent per process step.
    """
    lines = _heading(report)
    lines.append("")
    if by is None:
        rows = [list(row) for row in _lines(report.overall, report)]
        lines.extend(_table(["KPI", "value", "target / detail"], rows, left=frozenset({0, 2})))
    elif by == "step":
        rows = [
            [step, str(figures.completions), format_duration(figures.mean_seconds)]
            for step, figures in report.by_step.items()
        ]
        lines.extend(_table(["step", "completed", "mean time"], rows))
    else:
        header = [by, "ended", "SL", "ASA", "aband.", "AHT", "FCR", "reopens", "CSAT", "backlog"]
        rows = [
            [name, str(f.ended), *kpi_cells(f), str(f.backlog.open)]
            for name, f in report.group(by).items()
        ]
        lines.extend(_table(header, rows))
    return "\n".join(lines) + "\n"
