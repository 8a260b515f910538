-- The sequence number of the run being built: one more than the last published run.
SELECT coalesce(max(run_seq), 0) + 1 FROM runs;
