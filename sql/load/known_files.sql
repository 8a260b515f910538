-- Every content hash already stored, parsed or quarantined: an inbox file with one of these
-- hashes is skipped.
SELECT sha256 FROM submissions
UNION
SELECT sha256 FROM quarantine;
