-- The ended cases whose SLA could not be judged, by reason (KpiFigures.sla_not_judged).
SELECT
    CASE
        WHEN GROUPING(channel) = 0 THEN 'channel'
        WHEN GROUPING(unit) = 0 THEN 'unit'
        WHEN GROUPING(kind) = 0 THEN 'kind'
        WHEN GROUPING(opened_on) = 0 THEN 'day'
        ELSE 'all'
    END AS dimension,
    COALESCE(channel, unit, kind, CAST(opened_on AS VARCHAR), '') AS group_name,
    sla_not_judged AS reason,
    COUNT(*) AS cases
FROM case_facts
WHERE sla_not_judged IS NOT NULL
GROUP BY GROUPING SETS (
    (channel, sla_not_judged), (unit, sla_not_judged), (kind, sla_not_judged),
    (opened_on, sla_not_judged), (sla_not_judged)
)
ORDER BY dimension, group_name, reason
