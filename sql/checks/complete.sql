-- Rule `complete` (error): every cell of tables 2-4 of the submission's format was found and
-- read (a number, or a blank or dash cell counted as 0).
-- One row per submission and cell of its format (expected_cells, from codes.json). Fails if the
-- cell is absent from `cells` or has no value (text in a number cell, digits that cannot be
-- split without guessing, a row the document does not print). Cells the reader derives (2021
-- `other_handling`) are not expected: their parts are.
-- expected = NULL (a readable number), found = NULL.
WITH expected AS (
    SELECT format, table_code, row_code, column_code
    FROM expected_cells
    WHERE NOT derived
),
-- A cheap screen first: a submission whose readable cells have the count and the sum of hashes
-- of its format's expected cells has read them all. Only the others are compared cell by cell
-- (a join of millions of rows otherwise; the screen takes milliseconds). Passing the screen
-- with a cell missing would take a 64-bit hash collision.
fingerprint AS (
    SELECT format, count(*) AS n,
           sum(CAST(hash(table_code, row_code, column_code) AS HUGEINT)) AS h
    FROM expected
    GROUP BY format
),
readable AS (
    SELECT submission_id, count(*) AS n,
           sum(CAST(hash(table_code, row_code, column_code) AS HUGEINT)) AS h
    FROM cells
    WHERE value IS NOT NULL AND kind IS DISTINCT FROM 'derived'
    GROUP BY submission_id
),
suspect AS (
    SELECT s.submission_id, s.format
    FROM checked_submissions AS s
    LEFT JOIN fingerprint AS f USING (format)
    LEFT JOIN readable AS r USING (submission_id)
    WHERE r.n IS DISTINCT FROM f.n OR r.h IS DISTINCT FROM f.h
),
missing AS (
    SELECT w.submission_id, e.table_code, e.row_code, e.column_code,
           c.kind, c.raw, c.label, c.location, c.submission_id IS NULL AS absent
    FROM suspect AS w
    JOIN expected AS e ON e.format = w.format
    LEFT JOIN cells AS c
           ON c.submission_id = w.submission_id AND c.table_code = e.table_code
          AND c.row_code = e.row_code AND c.column_code = e.column_code
    WHERE c.submission_id IS NULL OR c.value IS NULL
)
SELECT s.submission_id, s.office, s.year,
       'complete' AS rule,
       'error' AS severity,
       [u.table_code || '.' || u.row_code || '.' || u.column_code] AS cells,
       CAST(NULL AS DOUBLE) AS expected,
       CAST(NULL AS DOUBLE) AS found,
       CASE WHEN u.absent THEN u.table_code || '.' || u.row_code || '.' || u.column_code
                               || ' (not in the document as read)'
            ELSE nb_raw(u.table_code || '.' || u.row_code || '.' || u.column_code, u.raw,
                        u.kind)
                 || CASE WHEN u.location IS NULL OR u.location = '' THEN ''
                         ELSE ' at ' || u.location END END AS raw,
       format('{}.{}.{} {}', u.table_code, u.row_code, u.column_code,
              CASE WHEN u.absent THEN 'was not found'
                   WHEN u.raw IS NULL OR u.raw = '' THEN 'was not found or could not be read'
                   ELSE 'could not be read from "' || u.raw || '"' END) AS detail,
       format('{}“{}”行“{}”栏{}，请核对原件并补正。',
              CASE u.table_code WHEN 'active_disclosure' THEN '表二'
                                WHEN 'applications' THEN '表三' ELSE '表四' END,
              coalesce(r.label_zh, u.label, u.row_code), coalesce(k.label_zh, u.column_code),
              CASE WHEN u.absent OR u.raw IS NULL OR u.raw = '' THEN '未找到或未能读出数字'
                   ELSE '未能读出数字（原文“' || u.raw || '”）' END) AS message_zh
FROM missing AS u
JOIN checked_submissions AS s USING (submission_id)
LEFT JOIN code_labels AS r
       ON r.table_code = u.table_code AND r.axis = 'row' AND r.code = u.row_code
LEFT JOIN code_labels AS k
       ON k.table_code = u.table_code AND k.axis = 'column' AND k.code = u.column_code
