-- One row per expected office and year with no current report, with the office's district and
-- kind from the registry. The rule itself (spec rule missing_report: the registry expects the
-- office in its district, and other offices of the district reported on that year) is defined
-- once, in sql/checks/missing_report.sql; this view only reads what it found.

CREATE OR REPLACE VIEW missing_reports AS
SELECT o.district,
       f.year,
       f.office,
       o.kind AS office_kind  -- 街道 | 乡镇 | 部门 | 政府
FROM quality_failures AS f
JOIN offices AS o ON o.office = f.office
WHERE f.rule = 'missing_report';
