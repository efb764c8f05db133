-- SLA compliance per target (KpiFigures.sla): timers met and breached, overall and per
-- group. The verdicts are one SELECT per target of the default policies (a column
-- sla_<target> each), written in by kpi_sql from the policies themselves.
WITH verdicts AS (
$verdicts
)
SELECT
    CASE
        WHEN GROUPING(channel) = 0 THEN 'channel'
        WHEN GROUPING(unit) = 0 THEN 'unit'
        WHEN GROUPING(kind) = 0 THEN 'kind'
        WHEN GROUPING(opened_on) = 0 THEN 'day'
        ELSE 'all'
    END AS dimension,
    COALESCE(channel, unit, kind, CAST(opened_on AS VARCHAR), '') AS group_name,
    target,
    SUM(CASE WHEN met THEN 1 ELSE 0 END) AS met,
    SUM(CASE WHEN met THEN 0 ELSE 1 END) AS breached
FROM verdicts
GROUP BY GROUPING SETS (
    (channel, target), (unit, target), (kind, target), (opened_on, target), (target)
)
ORDER BY dimension, group_name, target
