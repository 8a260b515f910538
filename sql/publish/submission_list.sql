-- One row per stored submission, newest year first: what the dashboard's submission table
-- lists, with the number of failed rules of each severity and, for a quarantined file, why.
WITH failure_counts AS (
    SELECT submission_id,
           count(*) FILTER (WHERE severity = 'error')   AS errors,
           count(*) FILTER (WHERE severity = 'warning') AS warnings
    FROM quality_failures
    GROUP BY submission_id
)
SELECT s.submission_id,
       coalesce(s.office, s.office_as_printed)  AS office,
       s.district,
       s.office_kind,
       s.year,
       s.format,
       s.status,
       s.is_current,
       s.source_path,
       s.received_at,
       coalesce(f.errors, 0)                    AS errors,
       coalesce(f.warnings, 0)                  AS warnings,
       q.reason                                 AS quarantine_reason
FROM submissions AS s
LEFT JOIN failure_counts AS f USING (submission_id)
LEFT JOIN (SELECT sha256, any_value(reason) AS reason FROM quarantine GROUP BY sha256) AS q
       ON q.sha256 = s.sha256
ORDER BY s.year DESC NULLS LAST, s.district NULLS LAST, office NULLS LAST, s.received_at DESC,
         s.submission_id;
