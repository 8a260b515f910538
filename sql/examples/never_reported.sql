-- Who never reports: offices the registry expects that have no readable report for any year
-- (a quarantined file is not a report), with the years on which the other offices of their
-- district reported, which are the years they are missing.
--   nianbao sql --file sql/examples/never_reported.sql
SELECT o.district,
       o.office,
       o.kind AS office_kind,
       (SELECT string_agg(DISTINCT s.year::VARCHAR, '、' ORDER BY s.year::VARCHAR)
        FROM submissions AS s
        WHERE s.district = o.district AND s.is_current) AS district_years
FROM offices AS o
WHERE o.expected
  AND NOT EXISTS (SELECT 1 FROM submissions AS s
                  WHERE s.office = o.office AND s.status <> 'quarantined')
ORDER BY o.district, o.office;
