-- One row per year: how many offices' current reports are consistent, inconsistent, and how many
-- expected offices are missing (the dashboard's "offices by status" chart).
WITH reported AS (
    SELECT year,
           count(*) FILTER (WHERE status = 'consistent')   AS consistent,
           count(*) FILTER (WHERE status = 'inconsistent') AS inconsistent
    FROM submissions
    WHERE is_current AND status IN ('consistent', 'inconsistent')
    GROUP BY year
),
missing AS (
    SELECT year, count(*) AS missing FROM missing_reports GROUP BY year
)
SELECT r.year, r.consistent, r.inconsistent, coalesce(m.missing, 0) AS missing
FROM reported AS r
LEFT JOIN missing AS m USING (year)
ORDER BY r.year;
