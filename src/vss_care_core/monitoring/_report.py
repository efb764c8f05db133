"""A KPI report as plain text or CSV, in Vietnamese or English; the numbers' formats.

The text table and the HTML page show every share with the number of cases it is computed
over (its *n*), and never round a share up to 100 % or down to 0 % when it is not.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from vss_care_core.errors import InvalidInputError
from vss_care_core.knowledge import StaleEntry
from vss_care_core.monitoring._figures import AGEING_BUCKETS, KpiFigures, KpiReport, SlaFigures
from vss_care_core.monitoring._labels import (
    AGEING_LABELS,
    DURATION_LABELS,
    FACTOR_LABELS,
    GROUPING_LABELS,
    KPI_LABELS,
    KPI_SHORT_LABELS,
    PERCENTILE_LABELS,
    SATISFACTION_LABELS,
    TEXTS,
    Lang,
    check_lang,
    group_label,
    labelled,
    not_judged_label,
    outcome_label,
    sla_target_label,
)
from vss_care_core.monitoring._satisfaction import SATISFACTION_FACTORS, SATISFACTION_TARGETS
from vss_care_core.monitoring._surges import Surge
from vss_care_core.process import STANDARD_PROCESSES, ProcessDefinition
from vss_care_core.routing import Directory, vss_directory

__all__ = [
    "GROUPINGS",
    "format_duration",
    "format_number",
    "format_rate",
    "kpi_summary",
    "render_csv",
    "render_table",
]

GROUPINGS: tuple[str, ...] = ("channel", "unit", "step", "kind", "day")
"""The ways a report can be split (``--by``)."""

SERVICE_LEVEL_TARGET = 0.80
"""The service-level target the report shows: 80 % of calls answered within the threshold
(the contact-centre "80/20"; VSS's own hotline target is not published)."""


def format_number(value: float, *, lang: Lang = "en", decimals: int = 0) -> str:
    """A number with its thousands grouped: ``1,456`` in English, ``1.456`` in Vietnamese.

    >>> format_number(7284), format_number(7284, lang="vi"), format_number(4.1758, decimals=2)
    ('7,284', '7.284', '4.18')
    >>> format_number(4.1758, lang="vi", decimals=2)
    '4,18'
    """
    text = f"{value:,.{decimals}f}"
    if check_lang(lang) == "vi":
        return text.translate(str.maketrans(",.", ".,"))
    return text


def format_rate(value: float | None, *, lang: Lang = "en") -> str:
    """A share as a percentage with one decimal, or an em dash when there is none.

    A share below 1 is never shown as 100 %, nor a share above 0 as 0 %: 6,528 met out of
    6,529 is ``> 99.9 %``. Vietnamese writes the decimal with a comma.

    >>> format_rate(0.8234), format_rate(None), format_rate(6528 / 6529), format_rate(1.0)
    ('82.3 %', '—', '> 99.9 %', '100.0 %')
    >>> format_rate(1 / 5000), format_rate(0.0), format_rate(0.8234, lang="vi")
    ('< 0.1 %', '0.0 %', '82,3 %')
    """
    if value is None:
        return "—"
    text = f"{value * 100:.1f}"
    if value < 1 and text == "100.0":
        text = "> 99.9"
    elif value > 0 and text == "0.0":
        text = "< 0.1"
    if check_lang(lang) == "vi":
        text = text.replace(".", ",")
    return f"{text} %"


_UNITS: dict[str, dict[str, str]] = {
    "en": {"s": "s", "min": "min", "h": "h", "d": "d"},
    "vi": {"s": "giây", "min": "phút", "h": "giờ", "d": "ngày"},
}


def format_duration(seconds: float | None, *, lang: Lang = "en") -> str:
    """A duration in seconds as ``12 s``, ``5 min 12 s``, ``2 h 05 min`` or ``1 d 21 h``.

    >>> format_duration(14.4), format_duration(312), format_duration(7500), format_duration(None)
    ('14 s', '5 min 12 s', '2 h 05 min', '—')
    >>> format_duration(164448), format_duration(312, lang="vi")
    ('1 d 21 h', '5 phút 12 giây')
    """
    if seconds is None:
        return "—"
    unit = _UNITS[check_lang(lang)]
    whole = round(seconds)
    if whole < 60:
        return f"{whole} {unit['s']}"
    if whole < 3600:
        return f"{whole // 60} {unit['min']} {whole % 60:02d} {unit['s']}"
    if whole < 86400:
        return f"{whole // 3600} {unit['h']} {whole % 3600 // 60:02d} {unit['min']}"
    return f"{whole // 86400} {unit['d']} {whole % 86400 // 3600:02d} {unit['h']}"


def service_level_base(figures: KpiFigures) -> int:
    """The calls the service level is computed over: answered + abandoned in the queue after
    the short-abandon threshold."""
    return figures.calls_answered + figures.queue_abandons - figures.short_abandons


def abandonment_base(figures: KpiFigures) -> int:
    """The calls the abandonment rate is computed over: offered, short abandons left out."""
    return figures.calls_offered - figures.short_abandons


def sla_together(figures: KpiFigures) -> SlaFigures:
    """Timers met and breached over every SLA target of a group, together."""
    return SlaFigures(
        met=sum(target.met for target in figures.sla.values()),
        breached=sum(target.breached for target in figures.sla.values()),
    )


@dataclass(frozen=True, slots=True)
class Wording:
    """How a report speaks: its language, and where unit, outcome and step names come from."""

    lang: Lang
    directory: Directory
    processes: Sequence[ProcessDefinition]

    def text(self, key: str, **values: object) -> str:
        """A text of the catalogue, its fields filled."""
        return TEXTS[key].text(self.lang, **values)

    def kpi(self, name: str) -> str:
        """A KPI's name."""
        return KPI_LABELS[name].text(self.lang)

    def short(self, name: str) -> str:
        """A KPI's column heading."""
        return KPI_SHORT_LABELS[name].text(self.lang)

    def number(self, value: float, decimals: int = 0) -> str:
        """A number, its thousands grouped the language's way."""
        return format_number(value, lang=self.lang, decimals=decimals)

    def rate(self, value: float | None) -> str:
        """A share as a percentage."""
        return format_rate(value, lang=self.lang)

    def rate_n(self, value: float | None, n: int) -> str:
        """A share and its n: ``84.4 % (6,920)``; an em dash alone when n is 0."""
        if value is None:
            return "—"
        return f"{self.rate(value)} ({self.number(n)})"

    def target(self, share: float) -> str:
        """A target share, a whole percentage: ``80 %``."""
        return f"{share * 100:.0f} %"

    def duration(self, seconds: float | None) -> str:
        """A duration."""
        return format_duration(seconds, lang=self.lang)

    def seconds(self, value: float) -> str:
        """A threshold in seconds, as short as it can be written (``20``, ``7,5``)."""
        text = f"{value:g}"
        return text.replace(".", ",") if self.lang == "vi" else text

    def date(self, day: date) -> str:
        """A date: ``02/03/2026`` in Vietnamese, ``2026-03-02`` in English."""
        return day.strftime("%d/%m/%Y") if self.lang == "vi" else day.isoformat()

    def moment(self, moment: datetime) -> str:
        """A moment with its offset from UTC, to the minute."""
        offset = moment.strftime("%z")
        zone = f"UTC{offset[:3]}:{offset[3:]}"
        return f"{self.date(moment.date())} {moment.strftime('%H:%M')} ({zone})"

    def group(self, by: str, key: str) -> str:
        """The label of a group: a unit's name, a channel's label, a date..."""
        if by == "day":
            try:
                return self.date(date.fromisoformat(key))
            except ValueError:
                return key
        return group_label(by, key, self.lang, directory=self.directory, processes=self.processes)

    def grouping(self, by: str) -> str:
        """The name of a grouping (``Channel``...)."""
        return GROUPING_LABELS[by].text(self.lang)

    def outcome(self, code: str) -> str:
        """An outcome's label."""
        return outcome_label(code, self.lang, self.processes)

    def sla_target(self, name: str) -> str:
        """An SLA target's label."""
        return sla_target_label(name, self.lang)

    def not_judged(self, reason: str) -> str:
        """Why an SLA could not be judged."""
        return not_judged_label(reason, self.lang)

    def factor(self, name: str) -> str:
        """A satisfaction factor's label."""
        return labelled(FACTOR_LABELS, name, self.lang)

    def ageing(self, bucket: str) -> str:
        """A backlog ageing bucket's label."""
        return labelled(AGEING_LABELS, bucket, self.lang)

    def duration_name(self, name: str) -> str:
        """The name of a measured duration (``wait``...)."""
        return labelled(DURATION_LABELS, name, self.lang)

    def percentile(self, name: str) -> str:
        """The name of a percentile (``p90``...)."""
        return labelled(PERCENTILE_LABELS, name, self.lang)

    def satisfaction(self, name: str) -> str:
        """A satisfaction figure's name."""
        return SATISFACTION_LABELS[name].text(self.lang)

    def not_judged_note(self, figures: KpiFigures) -> str:
        """``12 cases whose SLA could not be judged: reason (count), ...``; empty when none."""
        if not figures.sla_not_judged:
            return ""
        reasons = ", ".join(
            f"{self.not_judged(reason)} ({self.number(count)})"
            for reason, count in figures.sla_not_judged.items()
        )
        total = sum(figures.sla_not_judged.values())
        return self.text("sla_not_judged", count=self.number(total), reasons=reasons)

    def percentile_note(self, figures: KpiFigures, name: str) -> str:
        """``P50 0 s · P90 21 s · P95 39 s`` for one duration; empty when it has none."""
        values = figures.percentiles.get(name) or {}
        return " · ".join(
            f"{key.upper()} {self.duration(seconds)}" for key, seconds in values.items()
        )


def wording(
    lang: object,
    *,
    directory: Directory | None = None,
    processes: Sequence[ProcessDefinition] | None = None,
) -> Wording:
    """The wording of a report in ``lang``, with the built-in directory and processes unless
    others are given."""
    return Wording(
        lang=check_lang(lang),
        directory=vss_directory() if directory is None else directory,
        processes=STANDARD_PROCESSES if processes is None else tuple(processes),
    )


def check_grouping(by: str | None) -> None:
    """Refuse a grouping that is not one of :data:`GROUPINGS`."""
    if by is not None and by not in GROUPINGS:
        message = f"cannot group by {by!r}: choose one of {', '.join(GROUPINGS)}"
        raise InvalidInputError(message)


GROUP_COLUMNS: tuple[str, ...] = (
    "ended",
    "service_level",
    "average_speed_of_answer",
    "abandonment_rate",
    "average_handle_time",
    "first_contact_resolution",
    "reopen_rate",
    "csat",
    "sla",
    "backlog",
)
"""The columns of a group table, after the group's name."""


def group_cells(figures: KpiFigures, words: Wording) -> list[str]:
    """The cells of one group's row, in the order of :data:`GROUP_COLUMNS`; each share with its
    n in brackets."""
    sla = sla_together(figures)
    return [
        words.number(figures.ended),
        words.rate_n(figures.service_level, service_level_base(figures)),
        words.duration(figures.average_speed_of_answer),
        words.rate_n(figures.abandonment_rate, abandonment_base(figures)),
        words.duration(figures.average_handle_time),
        words.rate_n(figures.first_contact_resolution, figures.fcr_eligible),
        words.rate_n(figures.reopen_rate, figures.written_answered),
        words.rate_n(figures.satisfaction.csat, figures.satisfaction.responses),
        words.rate_n(sla.compliance, sla.met + sla.breached),
        words.number(figures.backlog.open),
    ]


def period_line(report: KpiReport, words: Wording) -> list[str]:
    """The period, the moment of the figures and the counts, as parts of one line. Without a
    period asked, the first and last days cases were opened on."""
    parts: list[str] = []
    start, end = report.period_start, report.period_end
    opened = sorted(report.volume)
    if start is None and end is None and opened:
        start, end = date.fromisoformat(opened[0]), date.fromisoformat(opened[-1])
    if start is not None and start == end:
        parts.append(words.text("period_day", day=words.date(start)))
    elif start or end:
        parts.append(
            words.text(
                "period",
                start=words.date(start) if start else "…",
                end=words.date(end) if end else "…",
            )
        )
    if report.as_of:
        parts.append(words.text("as_of", moment=words.moment(report.as_of)))
    parts.append(
        words.text(
            "counts",
            records=words.number(report.records),
            ended=words.number(report.overall.ended),
            open=words.number(report.overall.backlog.open),
        )
    )
    return parts


def _csat_targets(words: Wording) -> str:
    return words.text(
        "targets_csat",
        first=words.target(SATISFACTION_TARGETS[2025]),
        second=words.target(SATISFACTION_TARGETS[2030]),
    )


def _overall_rows(report: KpiReport, words: Wording) -> list[list[str]]:
    f = report.overall
    sat = f.satisfaction
    seconds = words.seconds(report.service_level_seconds)

    def n_is(n: int, *more: str) -> str:
        return " · ".join([words.text("n", n=words.number(n)), *(part for part in more if part)])

    rows = [
        [
            words.text("calls_offered_answered"),
            f"{words.number(f.calls_offered)} / {words.number(f.calls_answered)}",
            "",
        ],
        [
            words.text("sl_name", seconds=seconds),
            words.rate(f.service_level),
            n_is(
                service_level_base(f),
                words.text("target", value=words.target(SERVICE_LEVEL_TARGET)),
            ),
        ],
        [
            words.kpi("average_speed_of_answer"),
            words.duration(f.average_speed_of_answer),
            n_is(f.calls_answered, words.percentile_note(f, "wait")),
        ],
        [
            words.kpi("abandonment_rate"),
            words.rate(f.abandonment_rate),
            n_is(abandonment_base(f), f"{words.kpi('short_abandons')}: {f.short_abandons}"),
        ],
        [
            words.kpi("average_handle_time"),
            words.duration(f.average_handle_time),
            n_is(f.calls_answered, words.percentile_note(f, "handle")),
        ],
        [
            words.kpi("first_contact_resolution"),
            words.rate(f.first_contact_resolution),
            n_is(f.fcr_eligible),
        ],
        [
            words.kpi("written_answered"),
            words.number(f.written_answered),
            words.percentile_note(f, "written_answer"),
        ],
        [words.kpi("reopen_rate"), words.rate(f.reopen_rate), n_is(f.written_answered)],
        [
            words.satisfaction("csat"),
            words.rate(sat.csat),
            n_is(sat.responses, _csat_targets(words)),
        ],
    ]
    if f.master_answers:  # shown once answers were delivered from master answers
        rows.insert(
            len(rows) - 1,
            [words.kpi("master_answers"), words.number(f.master_answers), ""],
        )
    if f.knowledge_suggested:  # shown once answers recorded a knowledge-base suggestion
        rows.insert(
            len(rows) - 1,
            [
                words.kpi("knowledge_share"),
                words.rate(f.knowledge_share),
                n_is(f.knowledge_suggested),
            ],
        )
    for name, sla in f.sla.items():
        rows.append(
            [
                f"SLA: {words.sla_target(name)}",
                words.rate(sla.compliance),
                words.text(
                    "met_breached", met=words.number(sla.met), breached=words.number(sla.breached)
                ),
            ]
        )
    if f.sla_not_judged:
        rows.append(
            [
                words.kpi("sla_not_judged"),
                words.number(sum(f.sla_not_judged.values())),
                "; ".join(
                    f"{words.not_judged(reason)}: {words.number(count)}"
                    for reason, count in f.sla_not_judged.items()
                ),
            ]
        )
    ageing = ", ".join(
        f"{words.ageing(name)}: {words.number(f.backlog.ageing.get(name, 0))}"
        for name, _ in AGEING_BUCKETS
    )
    rows.append(
        [
            words.kpi("backlog"),
            words.number(f.backlog.open),
            words.text("ageing_detail", ageing=ageing),
        ]
    )
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


def _heading(report: KpiReport, words: Wording) -> list[str]:
    lines = [words.text("kpis"), " · ".join(period_line(report, words))]
    if report.orphan_events or report.unmatched_responses:
        lines.append(
            words.text(
                "table_warning",
                orphans=words.number(report.orphan_events),
                responses=words.number(report.unmatched_responses),
            )
        )
    return lines


def kpi_summary(report: KpiReport, *, lang: Lang = "vi") -> list[str]:
    """The report's main figures as a few lines for a terminal, in ``lang``: calls, quality,
    SLA compliance by target (met/breached), the backlog and the answers from master answers.

    >>> from vss_care_core.monitoring import compute_kpis
    >>> kpi_summary(compute_kpis([]), lang="en")[0]
    'Calls: service level — within 20 s (target 80 %), ASA —, abandonment —, AHT —'
    """
    words = wording(lang)
    r = report.overall
    targets = ", ".join(
        f"{words.sla_target(name)} {words.rate(figures.compliance)} "
        f"({words.number(figures.met)}/{words.number(figures.met + figures.breached)})"
        for name, figures in r.sla.items()
    )
    ageing = ", ".join(
        f"{words.ageing(bucket)}: {words.number(count)}"
        for bucket, count in r.backlog.ageing.items()
    )
    return [
        words.text(
            "summary_calls",
            sl=words.rate(r.service_level),
            seconds=words.seconds(report.service_level_seconds),
            asa=words.duration(r.average_speed_of_answer),
            abandoned=words.rate(r.abandonment_rate),
            aht=words.duration(r.average_handle_time),
        ),
        words.text(
            "summary_quality",
            fcr=words.rate(r.first_contact_resolution),
            reopen=words.rate(r.reopen_rate),
            csat=words.rate(r.satisfaction.csat),
            responses=words.number(r.satisfaction.responses),
        ),
        words.text("summary_sla", targets=targets or "—"),
        words.text("summary_backlog", open=words.number(r.backlog.open), ageing=ageing or "—"),
        words.text("summary_master", n=words.number(r.master_answers)),
    ]


def surge_header(words: Wording) -> list[str]:
    """The headings of the table of surges."""
    return [
        words.text("surge_keywords"),
        words.text("surge_started"),
        words.text("surge_raised"),
        words.text("surge_count"),
        words.text("surge_channels"),
        words.text("surge_rate"),
    ]


def surge_cells(surge: Surge, words: Wording) -> list[str]:
    """One surge as table cells: its keywords (never an inquiry's text), when it started and
    was raised, its inquiries in all and per channel, its rate and the rate before it."""
    channels = sorted(surge.by_channel.items(), key=lambda item: (-item[1], item[0]))
    return [
        " ".join(surge.written_keywords or surge.keywords),
        words.moment(surge.started_at),
        words.moment(surge.raised_at),
        words.number(surge.count),
        ", ".join(
            f"{words.group('channel', name)} {words.number(count)}" for name, count in channels
        ),
        words.text(
            "surge_rate_value",
            rate=words.number(surge.rate_per_hour, 1),
            baseline=words.number(surge.baseline_per_hour, 1),
        ),
    ]


def stale_header(words: Wording) -> list[str]:
    """The headings of the table of stale knowledge entries."""
    return [
        words.text("stale_entry"),
        words.text("stale_question"),
        words.text("stale_document"),
        words.text("stale_replacement"),
        words.text("stale_since"),
        words.text("stale_state"),
    ]


def stale_cells(stale: StaleEntry, words: Wording) -> list[str]:
    """One stale entry as table cells (an entry is shared knowledge: no personal data)."""
    document = stale.document
    label = document.label_vi if words.lang == "vi" else document.label_en
    return [
        stale.entry.id,
        stale.entry.question,
        label,
        "—" if stale.replacement is None else stale.replacement.number,
        words.date(stale.since),
        words.text("stale_retired") if stale.retired else words.text("stale_review"),
    ]


def _extra_lines(
    report: KpiReport,
    words: Wording,
    surges: Sequence[Surge] | None,
    stale_entries: Sequence[StaleEntry] | None,
    stale_on: date | None,
) -> list[str]:
    lines: list[str] = []
    if surges is not None:
        lines.extend(["", words.text("surges_title")])
        if surges:
            rows = [surge_cells(surge, words) for surge in surges]
            lines.extend(_table(surge_header(words), rows, left=frozenset({0, 4})))
        else:
            lines.append(words.text("surges_none"))
        lines.append(words.text("master_delivered", n=words.number(report.overall.master_answers)))
    if stale_entries is not None:
        title = words.text("stale_title")
        if stale_on is not None:
            title += f" ({words.text('stale_sub', day=words.date(stale_on))})"
        lines.extend(["", title])
        if stale_entries:
            rows = [stale_cells(stale, words) for stale in stale_entries]
            lines.extend(_table(stale_header(words), rows, left=frozenset({0, 1, 2, 3, 5})))
        else:
            lines.append(words.text("stale_none"))
    return lines


def render_table(
    report: KpiReport,
    *,
    by: str | None = None,
    lang: Lang = "vi",
    directory: Directory | None = None,
    processes: Sequence[ProcessDefinition] | None = None,
    surges: Sequence[Surge] | None = None,
    stale_entries: Sequence[StaleEntry] | None = None,
    stale_on: date | None = None,
) -> str:
    """The report as a plain-text table: the overall KPIs, or one row per group with ``by``.

    ``by`` is one of :data:`GROUPINGS`; ``step`` lists the time spent per process step. Labels
    are in ``lang`` (``"vi"``, the default, or ``"en"``); units are named from ``directory``
    (the built-in one by default), outcomes and steps from ``processes`` (the standard ones).
    Given ``surges`` (the :class:`~vss_care_core.monitoring.Surge` values raised: named by
    their keywords, never by an inquiry's text), a table of them follows, with the number of
    cases answered from a master answer; given ``stale_entries`` (from
    :meth:`~vss_care_core.knowledge.KnowledgeBase.stale_entries` on ``stale_on``), a table of
    them. Rendering stays pure: what is shown is what is given.
    """
    check_grouping(by)
    words = wording(lang, directory=directory, processes=processes)
    lines = _heading(report, words)
    lines.append("")
    if by is None:
        rows = _overall_rows(report, words)
        header = [words.text("kpi"), words.text("value"), words.text("detail")]
        lines.extend(_table(header, rows, left=frozenset({0, 2})))
    elif by == "step":
        rows = [
            [
                words.group("step", step),
                words.number(figures.completions),
                words.duration(figures.mean_seconds),
            ]
            for step, figures in report.by_step.items()
        ]
        header = [words.grouping("step"), words.text("step_completions"), words.text("step_mean")]
        lines.extend(_table(header, rows))
    else:
        header = [words.grouping(by), *(words.short(name) for name in GROUP_COLUMNS)]
        rows = [
            [words.group(by, name), *group_cells(figures, words)]
            for name, figures in report.group(by).items()
        ]
        lines.extend(_table(header, rows))
        lines.extend(["", words.text("in_brackets")])
    lines.extend(_extra_lines(report, words, surges, stale_entries, stale_on))
    return "\n".join(lines) + "\n"


# -- CSV ------------------------------------------------------------------------------------------

CsvValue = int | float | str | None


@dataclass(frozen=True, slots=True)
class _Column:
    """One CSV column: its heading and how a group's figures give its value."""

    heading: str
    value: Callable[[KpiFigures], CsvValue]


def _sla_columns(names: Sequence[str], words: Wording) -> list[_Column]:
    columns: list[_Column] = []
    for name in names:
        target = words.sla_target(name)

        def met(f: KpiFigures, name: str = name) -> CsvValue:
            return f.sla[name].met if name in f.sla else 0

        def breached(f: KpiFigures, name: str = name) -> CsvValue:
            return f.sla[name].breached if name in f.sla else 0

        def compliance(f: KpiFigures, name: str = name) -> CsvValue:
            return f.sla[name].compliance if name in f.sla else None

        columns.append(_Column(words.text("sla_met", target=target), met))
        columns.append(_Column(words.text("sla_breached", target=target), breached))
        columns.append(_Column(words.text("sla_compliance", target=target), compliance))
    return columns


def _percentile_columns(durations: dict[str, list[str]], words: Wording) -> list[_Column]:
    columns: list[_Column] = []
    for duration, percentiles in durations.items():
        for percentile in percentiles:

            def value(f: KpiFigures, duration: str = duration, key: str = percentile) -> CsvValue:
                return (f.percentiles.get(duration) or {}).get(key)

            heading = words.text(
                "percentile",
                duration=words.duration_name(duration),
                percentile=words.percentile(percentile),
            )
            columns.append(_Column(heading, value))
    return columns


def _csv_columns(groups: Sequence[KpiFigures], words: Wording) -> list[_Column]:
    """Every column of a CSV report over ``groups``: the counts, the rates as fractions, the
    durations in seconds, each SLA target and percentile any group has."""

    def fraction(name: str) -> str:
        return words.text("fraction", name=words.kpi(name))

    def seconds(name: str) -> str:
        return words.text("seconds", name=words.kpi(name))

    columns = [
        _Column(words.kpi("ended"), lambda f: f.ended),
        _Column(words.kpi("calls_offered"), lambda f: f.calls_offered),
        _Column(words.kpi("calls_answered"), lambda f: f.calls_answered),
        _Column(words.kpi("answered_within_threshold"), lambda f: f.answered_within_threshold),
        _Column(words.kpi("queue_abandons"), lambda f: f.queue_abandons),
        _Column(words.kpi("short_abandons"), lambda f: f.short_abandons),
        _Column(words.kpi("dropped_calls"), lambda f: f.dropped_calls),
        _Column(fraction("service_level"), lambda f: f.service_level),
        _Column(seconds("average_speed_of_answer"), lambda f: f.average_speed_of_answer),
        _Column(fraction("abandonment_rate"), lambda f: f.abandonment_rate),
        _Column(seconds("average_handle_time"), lambda f: f.average_handle_time),
        _Column(words.kpi("fcr_eligible"), lambda f: f.fcr_eligible),
        _Column(words.kpi("fcr_resolved"), lambda f: f.fcr_resolved),
        _Column(fraction("first_contact_resolution"), lambda f: f.first_contact_resolution),
        _Column(words.kpi("transfers"), lambda f: f.transfers),
        _Column(words.kpi("escalations"), lambda f: f.escalations),
        _Column(words.kpi("requests_for_info"), lambda f: f.requests_for_info),
        _Column(words.kpi("returned_drafts"), lambda f: f.returned_drafts),
        _Column(words.kpi("written_answered"), lambda f: f.written_answered),
        _Column(words.kpi("reopens"), lambda f: f.reopens),
        _Column(fraction("reopen_rate"), lambda f: f.reopen_rate),
        _Column(words.satisfaction("responses"), lambda f: f.satisfaction.responses),
        _Column(words.satisfaction("satisfied"), lambda f: f.satisfaction.satisfied),
        _Column(
            words.text("fraction", name=words.satisfaction("csat")),
            lambda f: f.satisfaction.csat,
        ),
    ]
    for factor in SATISFACTION_FACTORS:

        def mean(f: KpiFigures, factor: str = factor) -> CsvValue:
            return f.satisfaction.factor_means.get(factor)

        columns.append(_Column(words.text("factor_mean", factor=words.factor(factor)), mean))
    targets = sorted({name for f in groups for name in f.sla})
    columns.extend(_sla_columns(targets, words))
    columns.append(_Column(words.kpi("sla_not_judged"), lambda f: sum(f.sla_not_judged.values())))
    durations: dict[str, list[str]] = {}
    for f in groups:
        for duration, values in f.percentiles.items():
            known = durations.setdefault(duration, [])
            known.extend(key for key in values if key not in known)
    columns.extend(_percentile_columns(durations, words))
    columns.append(_Column(words.kpi("backlog"), lambda f: f.backlog.open))
    for bucket, _ in AGEING_BUCKETS:

        def aged(f: KpiFigures, bucket: str = bucket) -> CsvValue:
            return f.backlog.ageing.get(bucket, 0)

        columns.append(_Column(words.text("ageing", bucket=words.ageing(bucket)), aged))
    return columns


def _csv_cell(value: CsvValue) -> str:
    """A plain number: an integer as it is, a fraction or a duration unrounded, nothing for
    None."""
    if value is None:
        return ""
    return str(value)


def render_csv(
    report: KpiReport,
    *,
    by: str | None = None,
    lang: Lang = "vi",
    directory: Directory | None = None,
    processes: Sequence[ProcessDefinition] | None = None,
    bom: bool = True,
) -> str:
    """The report as CSV for a spreadsheet: a header row of labels, then one row per group.

    Without ``by``, one row for all cases; with ``by`` (one of :data:`GROUPINGS`), one row per
    group; ``step`` gives each step's completions and mean time. The first two columns are the
    group's code and its name in ``lang``. Numbers are plain: integers, shares as fractions
    from 0 to 1 and durations in seconds, unrounded, with a dot as the decimal separator; an
    empty cell when a share has no denominator. Fields are separated by commas, rows end with
    ``\\n``. The text starts with a byte-order mark (U+FEFF) unless ``bom=False``: written as
    UTF-8, it tells Excel that the file is UTF-8, so that Vietnamese reads right.
    """
    check_grouping(by)
    words = wording(lang, directory=directory, processes=processes)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    code, name = words.text("code"), words.text("name")
    if by == "step":
        writer.writerow(
            [
                code,
                name,
                words.text("step_completions"),
                words.text("seconds", name=words.text("step_mean")),
            ]
        )
        for step, step_figures in report.by_step.items():
            writer.writerow(
                [
                    step,
                    words.group("step", step),
                    step_figures.completions,
                    _csv_cell(step_figures.mean_seconds),
                ]
            )
    else:
        groups = {"all": report.overall} if by is None else report.group(by)
        columns = _csv_columns(list(groups.values()), words)
        writer.writerow([code, name, *(column.heading for column in columns)])
        for key, figures in groups.items():
            label = words.text("overall") if by is None else words.group(by, key)
            writer.writerow([key, label, *(_csv_cell(column.value(figures)) for column in columns)])
    return ("\ufeff" if bom else "") + out.getvalue()
