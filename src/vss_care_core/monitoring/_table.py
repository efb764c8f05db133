"""The per-case facts table: one flat row per measured case, for SQL engines and data frames.

A report reads the log once and keeps figures; some questions need the cases themselves (a
national log partitioned by month and province, a dashboard in a SQL engine). This module gives
each measured case as one row of plain values, :class:`CaseFact`, with the columns documented in
:data:`CASE_FACT_COLUMNS`; :func:`write_case_facts` writes them to a Parquet file while the
report is computed, and :func:`kpi_sql` gives the KPI definitions as SQL over that table.

A row holds no personal data: no name, identifier, phone, e-mail, text, nor any id of an
inquiry or a case; only channels, codes, times and figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vss_care_core.errors import InvalidInputError, UnknownNameError
from vss_care_core.models import ProcessFamily
from vss_care_core.monitoring._facts import OpenCase, TimeFacts
from vss_care_core.process import MoveSummary
from vss_care_core.sla import SlaJudgement, default_policies

if TYPE_CHECKING:
    from vss_care_core.monitoring._eventlog import LogRecord
    from vss_care_core.monitoring._figures import KpiReport
    from vss_care_core.monitoring._kpis import KpiSettings

__all__ = [
    "CASE_FACT_COLUMNS",
    "KPI_QUERIES",
    "SLA_TARGETS",
    "CaseFact",
    "FactColumn",
    "fact_rows",
    "kpi_sql",
    "write_case_facts",
]

SLA_TARGETS: tuple[str, ...] = tuple(
    dict.fromkeys(target.name for policy in default_policies() for target in policy.targets)
)
"""The targets of the default SLA policies; each is a column ``sla_<target>`` of the table."""

KPI_QUERIES: tuple[str, ...] = ("volume", "kpis", "outcomes", "sla", "sla_not_judged")
"""The names of the KPI queries shipped with the library (see :func:`kpi_sql`)."""

_BATCH_ROWS = 65_536


@dataclass(frozen=True, slots=True)
class FactColumn:
    """One column of the facts table: its name, its SQL type and what it holds."""

    name: str
    sql_type: str
    meaning: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseFact:
    """One measured case as a flat row (times in UTC, durations in seconds).

    A case still open at the end of the log has no ``ended_utc`` and no ``outcome``.
    """

    channel: str
    inquiry_channel: str
    process: str
    process_family: str
    unit: str
    kind: str
    topic: str | None
    priority: str
    opened_on: date
    received_utc: datetime
    opened_utc: datetime
    answered_utc: datetime | None
    ended_utc: datetime | None
    outcome: str | None
    wait_seconds: float | None
    handle_seconds: float | None
    written_answer_seconds: float | None
    call_answered: bool
    resolved: bool
    handled: bool
    queue_abandon: bool
    dropped_call: bool
    transferred: bool
    was_escalated: bool
    requests_for_info: int
    returned_drafts: int
    master_answer: bool
    knowledge_suggested: bool
    knowledge_used: bool
    sla_not_judged: str | None
    sla: dict[str, bool]
    """Each judged target: met (True) or breached (False); the columns ``sla_<target>``."""

    @classmethod
    def ended(
        cls,
        case: OpenCase,
        summary: MoveSummary,
        times: TimeFacts,
        judgement: SlaJudgement | None,
    ) -> CaseFact:
        """The row of a measured case that ended."""
        call = summary.family is ProcessFamily.CALL
        answered = summary.answered_index
        written_answer = None
        if not call and summary.resolved:
            written_answer = max(times.ended - times.received, 0.0)
        return cls(
            **_identity(case),
            answered_utc=case.times[answered].astimezone(UTC) if answered is not None else None,
            ended_utc=case.times[-1].astimezone(UTC),
            outcome=summary.outcome,
            wait_seconds=times.wait if call else None,
            handle_seconds=times.handle if call and answered is not None else None,
            written_answer_seconds=written_answer,
            call_answered=call and answered is not None,
            resolved=summary.resolved,
            handled=summary.handled,
            queue_abandon=call and summary.abandoned_before_answer,
            dropped_call=call and summary.abandoned_after_answer,
            transferred=summary.transferred,
            was_escalated=summary.escalated,
            requests_for_info=summary.requests_for_info,
            returned_drafts=summary.returned_drafts,
            master_answer=case.from_master and summary.resolved,
            knowledge_suggested=case.knowledge is not None and summary.resolved,
            knowledge_used=case.knowledge is True and summary.resolved,
            sla_not_judged=judgement.not_judged if judgement is not None else None,
            sla=dict(judgement.verdicts) if judgement is not None else {},
        )

    @classmethod
    def still_open(cls, case: OpenCase) -> CaseFact:
        """The row of a measured case still open at the end of the log."""
        return cls(
            **_identity(case),
            answered_utc=None,
            ended_utc=None,
            outcome=None,
            wait_seconds=None,
            handle_seconds=None,
            written_answer_seconds=None,
            call_answered=False,
            resolved=False,
            handled=False,
            queue_abandon=False,
            dropped_call=False,
            transferred=False,
            was_escalated=False,
            requests_for_info=0,
            returned_drafts=0,
            master_answer=False,
            knowledge_suggested=False,
            knowledge_used=False,
            sla_not_judged=None,
            sla={},
        )


def _identity(case: OpenCase) -> dict[str, Any]:
    group = case.group
    opened = case.times[0]
    return {
        "channel": group.channel,
        "inquiry_channel": case.arrival.channel,
        "process": case.definition.name,
        "process_family": case.definition.family.value,
        "unit": group.unit,
        "kind": group.kind,
        "topic": case.topic,
        "priority": case.arrival.priority,
        "opened_on": case.opened_on,
        "received_utc": min(case.arrival.received_at, opened).astimezone(UTC),
        "opened_utc": opened.astimezone(UTC),
    }


_MEANINGS = {
    "channel": "the channel the case is counted under: the one it is handled in",
    "inquiry_channel": "the channel the inquiry came in by",
    "process": "the process definition's name (call, written...)",
    "process_family": "call or written",
    "unit": "the last unit named on the case, else 'unassigned'",
    "kind": "the kind as classified, else the inquiry's, else 'unclassified'",
    "topic": "the topic as classified, else the inquiry's (a code such as 'pension')",
    "priority": "the priority the inquiry arrived with",
    "opened_on": "the local date (Asia/Ho_Chi_Minh) the case was opened: its day in the report",
    "received_utc": "when the inquiry arrived (or the case opened, if earlier), UTC",
    "opened_utc": "when the case was opened, UTC",
    "answered_utc": "when the answering step was first completed, UTC",
    "ended_utc": "when the case ended, UTC; empty while it is open",
    "outcome": "the outcome (closed, answered, escalated, abandoned...); empty while open",
    "wait_seconds": "calls: from the offer to the answer, or to the end if never answered",
    "handle_seconds": "answered calls: from the answer to the end, plus the wrap-up",
    "written_answer_seconds": "written cases answered: from receipt to the answer",
    "call_answered": "a call answered (its answering step completed)",
    "resolved": "the outcome is tagged resolved",
    "handled": "the outcome is tagged handled",
    "queue_abandon": "a call abandoned before the answer",
    "dropped_call": "a call abandoned after the answer",
    "transferred": "at least one transfer",
    "was_escalated": "at least one escalation",
    "requests_for_info": "requests for information made",
    "returned_drafts": "drafts returned by review",
    "master_answer": "resolved with a master answer",
    "knowledge_suggested": "resolved, with a knowledge-base entry suggested",
    "knowledge_used": "resolved, and the answer used the suggested entry",
    "sla_not_judged": "why the SLA could not be judged; empty when it was",
}
_SQL_TYPES = {
    "str | None": "VARCHAR",
    "date": "DATE",
    "datetime": "TIMESTAMP WITH TIME ZONE",
    "datetime | None": "TIMESTAMP WITH TIME ZONE",
    "float | None": "DOUBLE",
    "bool": "BOOLEAN",
    "int": "BIGINT",
    "str": "VARCHAR",
}


def _columns() -> tuple[FactColumn, ...]:
    columns = [
        FactColumn(
            name=item.name, sql_type=_SQL_TYPES[str(item.type)], meaning=_MEANINGS[item.name]
        )
        for item in fields(CaseFact)
        if item.name != "sla"
    ]
    columns.extend(
        FactColumn(
            name=f"sla_{target}",
            sql_type="BOOLEAN",
            meaning=f"the SLA target '{target}': met (true), breached (false), else empty",
        )
        for target in SLA_TARGETS
    )
    return tuple(columns)


CASE_FACT_COLUMNS: tuple[FactColumn, ...] = _columns()
"""The columns of the facts table, in order: their names, SQL types and meanings."""


def _arrow_schema() -> Any:
    pyarrow = _pyarrow()
    types = {
        "VARCHAR": pyarrow.string(),
        "DATE": pyarrow.date32(),
        "TIMESTAMP WITH TIME ZONE": pyarrow.timestamp("us", tz="UTC"),
        "DOUBLE": pyarrow.float64(),
        "BOOLEAN": pyarrow.bool_(),
        "BIGINT": pyarrow.int64(),
    }
    return pyarrow.schema([(column.name, types[column.sql_type]) for column in CASE_FACT_COLUMNS])


def _pyarrow() -> Any:
    try:
        # an optional dependency (the parquet extra), imported when used; it has no types
        import pyarrow  # type: ignore[import-untyped,import-not-found,unused-ignore]  # noqa: PLC0415
        import pyarrow.parquet  # type: ignore[import-untyped,import-not-found,unused-ignore]  # noqa: PLC0415
    except ImportError as error:
        message = (
            "writing Parquet needs pyarrow: install it with "
            "pip install 'vss-care-core[parquet]' (or pip install pyarrow)"
        )
        raise InvalidInputError(message) from error
    return pyarrow


class _ParquetSink:
    """Collects rows into column batches and writes them to a Parquet file."""

    def __init__(self, path: Path) -> None:
        pyarrow = _pyarrow()
        self._pyarrow = pyarrow
        self._schema = _arrow_schema()
        self._writer = pyarrow.parquet.ParquetWriter(str(path), self._schema)
        self._columns: dict[str, list[Any]] = {column.name: [] for column in CASE_FACT_COLUMNS}
        self._rows = 0
        self.written = 0

    def __call__(self, fact: CaseFact) -> None:
        columns = self._columns
        for item in fields(CaseFact):
            if item.name != "sla":
                columns[item.name].append(getattr(fact, item.name))
        unknown = set(fact.sla) - set(SLA_TARGETS)
        if unknown:
            message = (
                f"the SLA target {sorted(unknown)[0]!r} has no column in the facts table "
                f"(it has {', '.join(SLA_TARGETS)}): judge with the default policies, or "
                "rename the target to one of these"
            )
            raise InvalidInputError(message)
        for target in SLA_TARGETS:
            columns[f"sla_{target}"].append(fact.sla.get(target))
        self._rows += 1
        if self._rows >= _BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self._rows:
            return
        batch = self._pyarrow.record_batch(
            [self._columns[name] for name in self._schema.names], schema=self._schema
        )
        self._writer.write_batch(batch)
        self.written += self._rows
        self._columns = {name: [] for name in self._columns}
        self._rows = 0

    def close(self) -> None:
        self.flush()
        self._writer.close()


def write_case_facts(
    records: Iterable[LogRecord],
    path: str | Path,
    *,
    settings: KpiSettings | None = None,
    progress: Callable[[int], None] | None = None,
) -> KpiReport:
    """Write the facts table of ``records`` (a log, in log order) to the Parquet file ``path``
    and return the KPI report over the same records, computed in the same pass.

    One row per measured case (see :data:`CASE_FACT_COLUMNS`): each case that ended, written
    when it ends, then each case still open. Needs the ``parquet`` extra (pyarrow).
    ``progress``, if given, is called with the number of records read every 100,000 records.
    """
    from vss_care_core.monitoring._kpis import KpiAccumulator  # noqa: PLC0415 - a cycle

    sink = _ParquetSink(Path(path))
    try:
        accumulator = KpiAccumulator(settings=settings, on_case=sink)
        for record in records:
            accumulator.add(record)
            if progress is not None and accumulator.records % 100_000 == 0:
                progress(accumulator.records)
        for fact in accumulator.open_case_facts():
            sink(fact)
    finally:
        sink.close()
    return accumulator.report()


def kpi_sql(
    name: str,
    *,
    service_level_seconds: float = 20.0,
    short_abandon_seconds: float = 5.0,
    table: str = "case_facts",
) -> str:
    """The SQL of the shipped KPI query ``name`` (one of :data:`KPI_QUERIES`) over the facts
    table named ``table``, with the thresholds of the report written in as literals.

    The queries are plain SQL (``GROUPING SETS``, ``CASE``, ``NULLIF``) that DuckDB and Spark
    SQL both run; their columns are named as the fields of
    :class:`~vss_care_core.monitoring.KpiFigures`.

    >>> "GROUPING SETS" in kpi_sql("kpis")
    True
    """
    if name not in KPI_QUERIES:
        raise UnknownNameError("KPI query", name, KPI_QUERIES)
    if not table.replace("_", "").replace(".", "").isalnum():
        message = f"table={table!r} is not a plain table name: use letters, digits and '_'"
        raise InvalidInputError(message)
    text = resources.files("vss_care_core.monitoring").joinpath(f"sql/{name}.sql").read_text()
    return (
        text.replace("$verdicts", _verdicts_sql())
        .replace("$group_columns", _GROUP_COLUMNS)
        .replace("$service_level_seconds", repr(float(service_level_seconds)))
        .replace("$short_abandon_seconds", repr(float(short_abandon_seconds)))
        .replace("case_facts", table)
    )


_GROUP_COLUMNS = """\
    CASE
        WHEN GROUPING(channel) = 0 THEN 'channel'
        WHEN GROUPING(unit) = 0 THEN 'unit'
        WHEN GROUPING(kind) = 0 THEN 'kind'
        WHEN GROUPING(opened_on) = 0 THEN 'day'
        ELSE 'all'
    END AS dimension,
    COALESCE(channel, unit, kind, CAST(opened_on AS VARCHAR), '') AS group_name"""
"""The two columns that name a row's group in the grouped queries (``$group_columns``): the
dimension (channel, unit, kind, day or all) and the group's name, the day as ``YYYY-MM-DD``."""


_VERDICTS_OF_TARGET = """\
    SELECT channel, unit, kind, opened_on, '{target}' AS target, sla_{target} AS met
    FROM case_facts WHERE sla_{target} IS NOT NULL"""
"""The verdicts of one target, for the query ``sla``; ``{target}`` is a checked code."""


def _verdicts_sql() -> str:
    """The verdicts of every target as rows (group columns, target, met): one ``SELECT`` per
    column ``sla_<target>``, the targets read from the default policies (:data:`SLA_TARGETS`),
    whose names are checked codes (lowercase letters, digits and ``_``)."""
    selects = [_VERDICTS_OF_TARGET.format(target=target) for target in SLA_TARGETS]
    return "\n    UNION ALL\n".join(selects)


def fact_rows(facts: Sequence[CaseFact]) -> list[dict[str, Any]]:
    """The rows as flat mappings of column name to value (the ``sla_`` columns spelt out)."""
    rows = []
    for fact in facts:
        row = {item.name: getattr(fact, item.name) for item in fields(CaseFact)}
        verdicts = row.pop("sla")
        row.update({f"sla_{target}": verdicts.get(target) for target in SLA_TARGETS})
        rows.append(row)
    return rows
