-- SLA compliance per target (KpiFigures.sla): timers met and breached, overall and per
-- group. The verdicts are one SELECT per target of the default policies (a column
-- sla_<target> each), written in by kpi_sql from the policies themselves.
-- The columns naming each row's group (dimension, group_name) are written in by kpi_sql.
WITH verdicts AS (
$verdicts
)
SELECT
$group_columns,
    target,
    SUM(CASE WHEN met THEN 1 ELSE 0 END) AS met,
    SUM(CASE WHEN met THEN 0 ELSE 1 END) AS breached
FROM verdicts
GROUP BY GROUPING SETS (
    (channel, target), (unit, target), (kind, target), (opened_on, target), (target)
)
ORDER BY dimension, group_name, target
