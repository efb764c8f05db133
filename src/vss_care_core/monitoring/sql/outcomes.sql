-- The cases that ended, by outcome (KpiFigures.outcomes), overall and per group.
-- The columns naming each row's group (dimension, group_name) are written in by kpi_sql.
SELECT
$group_columns,
    outcome,
    COUNT(*) AS cases
FROM case_facts
WHERE outcome IS NOT NULL
GROUP BY GROUPING SETS (
    (channel, outcome), (unit, outcome), (kind, outcome), (opened_on, outcome), (outcome)
)
ORDER BY dimension, group_name, outcome
