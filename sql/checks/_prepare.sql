-- Helpers of the checks in this folder (applied by nianbao.quality.prepare_checks before any
-- check runs; each check file is one SELECT returning the rows that break its rule).
-- Also needed, and filled by nianbao.quality from codes.json and the stored prose:
--   expected_cells(format, table_code, row_code, column_code, derived)  every cell of a format
--   code_labels(table_code, axis, code, label_zh)                       names for the messages
--   narrative_claims(submission_id, claim, stated, phrase)              counts the prose states

-- The submissions the rules apply to: every parsed one (current or superseded), never a
-- quarantined file.
CREATE OR REPLACE VIEW checked_submissions AS
SELECT submission_id, office, year, format, district, is_current
FROM submissions
WHERE status IS DISTINCT FROM 'quarantined';

-- The current submission of each office and year: what the cross-year rules compare.
CREATE OR REPLACE VIEW checked_current AS
SELECT submission_id, office, year, format, district
FROM checked_submissions
WHERE is_current AND office IS NOT NULL AND year IS NOT NULL;

-- A value as a message prints it: 12, 12.5; a cell that could not be read says so.
CREATE OR REPLACE MACRO nb_num(v) AS
    CASE WHEN v IS NULL THEN '（未读出）'
         WHEN v = trunc(v) THEN CAST(CAST(v AS HUGEINT) AS VARCHAR)
         ELSE CAST(round(v, 4) AS VARCHAR) END;

-- A cell's value in a message (Chinese): a blank or dash cell counted as 0 is shown as such.
CREATE OR REPLACE MACRO nb_shown(v, kind, raw) AS
    CASE kind WHEN 'blank' THEN '0（空白，按0计）'
              WHEN 'dash' THEN '0（“' || coalesce(raw, '') || '”，按0计）'
              ELSE nb_num(v) END;

-- A cell's raw text for the `raw` column: code="text" plus how it was read when not a number.
CREATE OR REPLACE MACRO nb_raw(code, raw, kind) AS
    code || '="' || coalesce(raw, '') || '"'
    || CASE kind WHEN 'blank' THEN ' (blank, read as 0)'
                 WHEN 'dash' THEN ' (dash, read as 0)'
                 WHEN 'derived' THEN ' (derived: sum of its sub-rows)'
                 WHEN 'text' THEN ' (text, not a number)'
                 WHEN 'missing' THEN ' (not read)'
                 ELSE '' END;

-- A value in the English detail: a blank or dash cell says it was read as 0.
CREATE OR REPLACE MACRO nb_en(v, kind) AS
    CASE WHEN v IS NULL THEN 'null' ELSE nb_num(v) END
    || CASE kind WHEN 'blank' THEN ' (blank)' WHEN 'dash' THEN ' (dash)' ELSE '' END;

-- Two values differ (counts and 万元 amounts; guards against float noise in sums).
CREATE OR REPLACE MACRO nb_differ(a, b) AS abs(a - b) > 1e-6;
