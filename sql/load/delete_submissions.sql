-- Forget every row stored for the files in the registered frame `reparsed_files(sha256)`,
-- so that nianbao reparse can load fresh readings of the same bytes.
DELETE FROM cells WHERE submission_id IN (SELECT sha256 FROM reparsed_files);
DELETE FROM narratives WHERE submission_id IN (SELECT sha256 FROM reparsed_files);
DELETE FROM quality_failures WHERE submission_id IN (SELECT sha256 FROM reparsed_files);
DELETE FROM quarantine WHERE sha256 IN (SELECT sha256 FROM reparsed_files);
DELETE FROM submissions WHERE sha256 IN (SELECT sha256 FROM reparsed_files);
