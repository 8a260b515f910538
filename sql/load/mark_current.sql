-- Recompute is_current: per office and year, the submission received last is current.
-- "Received later" (spec, rule one_current): by the run that first saw it, then within one run
-- by the file's modification time; path and hash only break exact ties, so the result is
-- deterministic. Quarantined files and reports without office or year are never current.
UPDATE submissions
SET is_current = coalesce(submission_id IN (
    SELECT submission_id
    FROM submissions
    WHERE status <> 'quarantined' AND office IS NOT NULL AND year IS NOT NULL
    QUALIFY row_number() OVER (
        PARTITION BY office, year
        ORDER BY run_seq DESC, file_mtime DESC, source_path DESC, submission_id DESC
    ) = 1
), FALSE);
