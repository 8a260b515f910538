-- One row per district and year of district_rollup, with the names of the expected offices
-- that have not reported (missing_reports), for the dashboard's overview table.
SELECT r.*,
       coalesce(m.missing_offices, []) AS missing_offices
FROM district_rollup AS r
LEFT JOIN (
    SELECT district, year, list(office ORDER BY office) AS missing_offices
    FROM missing_reports
    GROUP BY district, year
) AS m ON m.district IS NOT DISTINCT FROM r.district AND m.year = r.year
ORDER BY r.district NULLS LAST, r.year;
