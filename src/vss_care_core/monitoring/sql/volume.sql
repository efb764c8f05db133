-- The cases opened per local day and channel (KpiReport.volume): open and ended alike.
SELECT
    CAST(opened_on AS VARCHAR) AS opened_day,
    channel,
    COUNT(*) AS cases
FROM case_facts
GROUP BY opened_on, channel
ORDER BY opened_day, channel
