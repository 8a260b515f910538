-- One row per current inconsistent submission: who gets a correction notice (整改提示单), for
-- which report, received when and from which file.
SELECT submission_id, office, office_as_printed, district, office_kind, year, format,
       source_path, received_at
FROM submissions
WHERE is_current AND status = 'inconsistent'
ORDER BY district NULLS LAST, office, year;
