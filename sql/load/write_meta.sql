-- Set the keys of the registered frame `new_meta(key, value)`, keeping the others.
DELETE FROM meta WHERE key IN (SELECT key FROM new_meta);
INSERT INTO meta SELECT key, value FROM new_meta;
