"""Measuring and monitoring: KPIs, satisfaction, cross-channel duplicates and the event log.

Everything here reads the event stream (inquiries, case events, survey responses) and derives
figures from it; nothing changes a case.
"""

from vss_care_core.monitoring._duplicates import (
    DuplicateGroup,
    DuplicateKind,
    SuggestedMerge,
    find_duplicates,
    question_similarity,
)
from vss_care_core.monitoring._eventlog import (
    EVENT_LOG_SCHEMA,
    EventLogReader,
    LogRecord,
    decode_record,
    encode_record,
    read_event_log,
    write_event_log,
)
from vss_care_core.monitoring._facts import counted_channel
from vss_care_core.monitoring._figures import (
    AGEING_BUCKETS,
    BacklogFigures,
    KpiFigures,
    KpiReport,
    SatisfactionFigures,
    SlaFigures,
    StepFigures,
)
from vss_care_core.monitoring._html import render_html
from vss_care_core.monitoring._kpis import KpiAccumulator, KpiSettings, compute_kpis
from vss_care_core.monitoring._lsh import QuestionIndex
from vss_care_core.monitoring._pseudonymise import KEPT_DATA, REMOVED_TEXT, pseudonymise
from vss_care_core.monitoring._report import (
    GROUPINGS,
    format_duration,
    format_number,
    format_rate,
    kpi_summary,
    render_csv,
    render_table,
)
from vss_care_core.monitoring._satisfaction import (
    SATISFACTION_FACTORS,
    SATISFACTION_TARGETS,
    SatisfactionResponse,
    csat,
)
from vss_care_core.monitoring._state import KPI_STATE_SCHEMA
from vss_care_core.monitoring._surges import Surge, SurgeDetector, SurgeSettings, detect_surges
from vss_care_core.monitoring._table import (
    CASE_FACT_COLUMNS,
    KPI_QUERIES,
    SLA_TARGETS,
    CaseFact,
    FactColumn,
    kpi_sql,
    write_case_facts,
)

__all__ = [
    "AGEING_BUCKETS",
    "CASE_FACT_COLUMNS",
    "EVENT_LOG_SCHEMA",
    "GROUPINGS",
    "KEPT_DATA",
    "KPI_QUERIES",
    "KPI_STATE_SCHEMA",
    "REMOVED_TEXT",
    "SATISFACTION_FACTORS",
    "SATISFACTION_TARGETS",
    "SLA_TARGETS",
    "BacklogFigures",
    "CaseFact",
    "DuplicateGroup",
    "DuplicateKind",
    "EventLogReader",
    "FactColumn",
    "KpiAccumulator",
    "KpiFigures",
    "KpiReport",
    "KpiSettings",
    "LogRecord",
    "QuestionIndex",
    "SatisfactionFigures",
    "SatisfactionResponse",
    "SlaFigures",
    "StepFigures",
    "SuggestedMerge",
    "Surge",
    "SurgeDetector",
    "SurgeSettings",
    "compute_kpis",
    "counted_channel",
    "csat",
    "decode_record",
    "detect_surges",
    "encode_record",
    "find_duplicates",
    "format_duration",
    "format_number",
    "format_rate",
    "kpi_sql",
    "kpi_summary",
    "pseudonymise",
    "question_similarity",
    "read_event_log",
    "render_csv",
    "render_html",
    "render_table",
    "write_case_facts",
    "write_event_log",
]
