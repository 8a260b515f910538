-- Rule `one_current` (warning): one current submission per office and year; a resubmission
-- supersedes the older one, which stays in history. Later means received later: by the run
-- that first saw it (run_seq), within one run by the file's modification time (file_mtime);
-- path and hash only break exact ties, as sql/load/mark_current.sql does.
-- One row per submission of an office and year. Fails if its current flag is wrong: the last
-- received one not current, or an older one still current (so two current submissions, or
-- none, always show).
-- expected = 1 if it should be current else 0, found = its is_current as 1/0.
WITH ranked AS (
    SELECT submission_id, office, year, is_current, received_at, source_path,
           row_number() OVER (PARTITION BY office, year
                              ORDER BY run_seq DESC, file_mtime DESC, source_path DESC,
                                       submission_id DESC) = 1 AS latest,
           count(*) FILTER (WHERE is_current) OVER (PARTITION BY office, year) AS n_current,
           count(*) OVER (PARTITION BY office, year) AS n_received
    FROM submissions
    WHERE status IS DISTINCT FROM 'quarantined' AND office IS NOT NULL AND year IS NOT NULL
)
SELECT submission_id, office, year,
       'one_current' AS rule,
       'warning' AS severity,
       CAST([] AS VARCHAR[]) AS cells,
       CASE WHEN latest THEN 1.0 ELSE 0.0 END AS expected,
       CASE WHEN coalesce(is_current, FALSE) THEN 1.0 ELSE 0.0 END AS found,
       'source_path="' || coalesce(source_path, '') || '"' AS raw,
       format('{} {}: {} submission(s), {} marked current; this one ({}) is {}the last received but is {}marked current',
              office, year, n_received, n_current, source_path,
              CASE WHEN latest THEN '' ELSE 'not ' END,
              CASE WHEN coalesce(is_current, FALSE) THEN '' ELSE 'not ' END) AS detail,
       CASE WHEN latest
            THEN format('{}{}年度共收到{}份报告，本份（{}）是最后收到的版本，应为现行版本，但未被标为现行（现有{}份标为现行）。',
                        office, year, n_received, source_path, n_current)
            ELSE format('{}{}年度共收到{}份报告，本份（{}）已被后来收到的版本取代，却仍被标为现行（现有{}份标为现行）。',
                        office, year, n_received, source_path, n_current) END AS message_zh
FROM ranked
WHERE latest <> coalesce(is_current, FALSE)
