-- The KPIs of vss-care-core over the facts table (see the "Beyond one process" page):
-- one row for all cases (dimension 'all'), then one per channel, unit, kind and day opened.
-- Columns are named as the fields of KpiFigures; a share whose denominator is 0 is NULL.
-- Parameters: $service_level_seconds (20 by default), $short_abandon_seconds (5 by default).
-- The columns naming each row's group (dimension, group_name) are written in by kpi_sql.
WITH flagged AS (
    SELECT
        channel,
        unit,
        kind,
        CAST(opened_on AS VARCHAR) AS opened_on,
        CASE WHEN outcome IS NOT NULL THEN 1 ELSE 0 END AS is_ended,
        CASE WHEN outcome IS NULL THEN 1 ELSE 0 END AS is_open,
        CASE WHEN outcome IS NOT NULL AND process_family = 'call' THEN 1 ELSE 0 END AS is_call,
        CASE WHEN call_answered THEN 1 ELSE 0 END AS is_answered,
        CASE WHEN call_answered AND wait_seconds <= $service_level_seconds THEN 1 ELSE 0 END
            AS is_within,
        CASE WHEN queue_abandon THEN 1 ELSE 0 END AS is_queue_abandon,
        CASE WHEN queue_abandon AND wait_seconds <= $short_abandon_seconds THEN 1 ELSE 0 END
            AS is_short_abandon,
        CASE WHEN dropped_call THEN 1 ELSE 0 END AS is_dropped,
        CASE WHEN call_answered THEN wait_seconds ELSE 0.0 END AS answered_wait,
        CASE WHEN call_answered THEN handle_seconds ELSE 0.0 END AS answered_handle,
        CASE WHEN transferred THEN 1 ELSE 0 END AS is_transferred,
        CASE WHEN was_escalated THEN 1 ELSE 0 END AS is_escalated,
        requests_for_info,
        returned_drafts,
        CASE WHEN outcome IS NOT NULL AND process_family <> 'call' AND resolved THEN 1 ELSE 0 END
            AS is_written_answered,
        CASE WHEN master_answer THEN 1 ELSE 0 END AS is_master_answer,
        CASE WHEN knowledge_suggested THEN 1 ELSE 0 END AS is_knowledge_suggested,
        CASE WHEN knowledge_used THEN 1 ELSE 0 END AS is_knowledge_used
    FROM case_facts
),
totals AS (
    SELECT
$group_columns,
        SUM(is_ended) AS ended,
        SUM(is_call) AS calls_offered,
        SUM(is_answered) AS calls_answered,
        SUM(is_within) AS answered_within_threshold,
        SUM(is_queue_abandon) AS queue_abandons,
        SUM(is_short_abandon) AS short_abandons,
        SUM(is_dropped) AS dropped_calls,
        SUM(answered_wait) AS wait_sum,
        SUM(answered_handle) AS handle_sum,
        SUM(is_transferred) AS transfers,
        SUM(is_escalated) AS escalations,
        SUM(requests_for_info) AS requests_for_info,
        SUM(returned_drafts) AS returned_drafts,
        SUM(is_written_answered) AS written_answered,
        SUM(is_master_answer) AS master_answers,
        SUM(is_knowledge_suggested) AS knowledge_suggested,
        SUM(is_knowledge_used) AS knowledge_used,
        SUM(is_open) AS backlog_open
    FROM flagged
    GROUP BY GROUPING SETS ((channel), (unit), (kind), (opened_on), ())
)
SELECT
    dimension,
    group_name,
    ended,
    calls_offered,
    calls_answered,
    answered_within_threshold,
    queue_abandons,
    short_abandons,
    dropped_calls,
    CAST(answered_within_threshold AS DOUBLE)
        / NULLIF(calls_answered + queue_abandons - short_abandons, 0) AS service_level,
    wait_sum / NULLIF(calls_answered, 0) AS average_speed_of_answer,
    CAST(queue_abandons - short_abandons AS DOUBLE)
        / NULLIF(calls_offered - short_abandons, 0) AS abandonment_rate,
    handle_sum / NULLIF(calls_answered, 0) AS average_handle_time,
    transfers,
    escalations,
    requests_for_info,
    returned_drafts,
    written_answered,
    master_answers,
    knowledge_suggested,
    CAST(knowledge_used AS DOUBLE) / NULLIF(knowledge_suggested, 0) AS knowledge_share,
    backlog_open
FROM totals
ORDER BY dimension, group_name
