-- The cases that ended, by outcome (KpiFigures.outcomes), overall and per group.
SELECT
    CASE
        WHEN GROUPING(channel) = 0 THEN 'channel'
        WHEN GROUPING(unit) = 0 THEN 'unit'
        WHEN GROUPING(kind) = 0 THEN 'kind'
        WHEN GROUPING(opened_on) = 0 THEN 'day'
        ELSE 'all'
    END AS dimension,
    COALESCE(channel, unit, kind, CAST(opened_on AS VARCHAR), '') AS group_name,
    outcome,
    COUNT(*) AS cases
FROM case_facts
WHERE outcome IS NOT NULL
GROUP BY GROUPING SETS (
    (channel, outcome), (unit, outcome), (kind, outcome), (opened_on, outcome), (outcome)
)
ORDER BY dimension, group_name, outcome
