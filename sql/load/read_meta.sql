-- What the snapshot was built from: key -> value (fingerprint, snapshot).
SELECT key, value FROM meta;
