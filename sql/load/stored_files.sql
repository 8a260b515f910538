-- Every stored file with where and when it was first received: what nianbao reparse reads
-- again from the raw store. Quarantined files are in `submissions` too (status 'quarantined').
SELECT sha256, source_path, raw_path, file_size, file_mtime, received_at, run_id, run_seq
FROM submissions
ORDER BY run_seq, file_mtime, source_path;
