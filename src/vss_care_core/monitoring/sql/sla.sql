-- SLA compliance per target (KpiFigures.sla): timers met and breached, overall and per
-- group. One SELECT per target of the default policies (a column sla_<target> each).
WITH verdicts AS (
    SELECT channel, unit, kind, opened_on, 'answer' AS target, sla_answer AS met
    FROM case_facts WHERE sla_answer IS NOT NULL
    UNION ALL
    SELECT channel, unit, kind, opened_on, 'pickup' AS target, sla_pickup AS met
    FROM case_facts WHERE sla_pickup IS NOT NULL
    UNION ALL
    SELECT channel, unit, kind, opened_on, 'hold' AS target, sla_hold AS met
    FROM case_facts WHERE sla_hold IS NOT NULL
    UNION ALL
    SELECT channel, unit, kind, opened_on, 'handle' AS target, sla_handle AS met
    FROM case_facts WHERE sla_handle IS NOT NULL
    UNION ALL
    SELECT channel, unit, kind, opened_on, 'accept' AS target, sla_accept AS met
    FROM case_facts WHERE sla_accept IS NOT NULL
    UNION ALL
    SELECT channel, unit, kind, opened_on, 'resolve' AS target, sla_resolve AS met
    FROM case_facts WHERE sla_resolve IS NOT NULL
    UNION ALL
    SELECT channel, unit, kind, opened_on, 'notify' AS target, sla_notify AS met
    FROM case_facts WHERE sla_notify IS NOT NULL
    UNION ALL
    SELECT channel, unit, kind, opened_on, 'settle' AS target, sla_settle AS met
    FROM case_facts WHERE sla_settle IS NOT NULL
    UNION ALL
    SELECT channel, unit, kind, opened_on, 'route' AS target, sla_route AS met
    FROM case_facts WHERE sla_route IS NOT NULL
    UNION ALL
    SELECT channel, unit, kind, opened_on, 'review' AS target, sla_review AS met
    FROM case_facts WHERE sla_review IS NOT NULL
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
