-- Rule `missing_report` (warning): an office the registry expects in a district (offices with
-- expected = true) has no report for a year that other offices of the district have.
-- One row per (expected office, year of its district's reports). Fails if the office has no
-- current submission for a year at least one other office of its district has one for.
-- There is no submission to point at:
-- submission_id is NULL and the row names the office and the year.
-- expected = 1 report, found = 0.
WITH district_years AS (
    SELECT district, year, count(DISTINCT office) AS offices_reporting
    FROM checked_current
    WHERE district IS NOT NULL
    GROUP BY district, year
),
absent AS (
    SELECT o.office, o.district, d.year, d.offices_reporting
    FROM offices AS o
    JOIN district_years AS d ON d.district = o.district
    WHERE o.expected
      AND NOT EXISTS (SELECT 1 FROM checked_current AS c
                      WHERE c.office = o.office AND c.year = d.year)
)
SELECT CAST(NULL AS VARCHAR) AS submission_id, a.office, a.year,
       'missing_report' AS rule,
       'warning' AS severity,
       CAST([] AS VARCHAR[]) AS cells,
       CAST(1 AS DOUBLE) AS expected,
       CAST(0 AS DOUBLE) AS found,
       CAST(NULL AS VARCHAR) AS raw,
       format('{} ({}) has no report for {}, while {} other office(s) of the district have one',
              a.office, a.district, a.year, a.offices_reporting) AS detail,
       format('{}应报送{}年度政府信息公开工作年度报告，但未收到（{}已有{}个机关报送该年度报告），请督促报送。',
              a.office, a.year, a.district, a.offices_reporting) AS message_zh
FROM absent AS a
