-- The ended cases whose SLA could not be judged, by reason (KpiFigures.sla_not_judged).
-- The columns naming each row's group (dimension, group_name) are written in by kpi_sql.
SELECT
$group_columns,
    sla_not_judged AS reason,
    COUNT(*) AS cases
FROM case_facts
WHERE sla_not_judged IS NOT NULL
GROUP BY GROUPING SETS (
    (channel, sla_not_judged), (unit, sla_not_judged), (kind, sla_not_judged),
    (opened_on, sla_not_judged), (sla_not_judged)
)
ORDER BY dimension, group_name, reason
