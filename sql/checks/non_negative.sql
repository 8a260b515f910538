-- Rule `non_negative` (error): every count is a whole number >= 0; amounts (万元, metric
-- amount_10k_yuan) are >= 0 and may have decimals; the 2019 format's 本年增/减 (`change`) may be
-- negative.
-- One row per cell of tables 2-4. Fails if a count is negative or not whole, or an amount is
-- negative. Cells derived by the reader are not checked (the cells they come from are).
-- expected = 0 (the least allowed value; for a fraction, the whole number nearest below),
-- found = the value read.
WITH bad AS (
    SELECT c.submission_id, c.table_code, c.row_code, c.column_code, c.value, c.kind, c.raw,
           c.label, c.value < 0 AS negative
    FROM cells AS c
    WHERE c.value IS NOT NULL
      AND c.kind IS DISTINCT FROM 'derived'
      AND NOT (c.table_code = 'active_disclosure' AND c.column_code = 'change')
      AND (c.value < 0 OR (c.column_code <> 'amount_10k_yuan' AND c.value <> trunc(c.value)))
)
SELECT s.submission_id, s.office, s.year,
       'non_negative' AS rule,
       'error' AS severity,
       [b.table_code || '.' || b.row_code || '.' || b.column_code] AS cells,
       CASE WHEN b.negative THEN 0 ELSE floor(b.value) END AS expected,
       b.value AS found,
       nb_raw(b.table_code || '.' || b.row_code || '.' || b.column_code, b.raw, b.kind) AS raw,
       format('{}.{}.{} is {}: {}', b.table_code, b.row_code, b.column_code, nb_num(b.value),
              CASE WHEN b.column_code = 'amount_10k_yuan' THEN 'an amount cannot be negative'
                   WHEN b.negative THEN 'a count cannot be negative'
                   ELSE 'a count must be a whole number' END) AS detail,
       format('{}“{}”行“{}”栏为{}（原文“{}”），{}，请核对。',
              CASE b.table_code WHEN 'active_disclosure' THEN '表二'
                                WHEN 'applications' THEN '表三' ELSE '表四' END,
              coalesce(r.label_zh, b.label, b.row_code), coalesce(k.label_zh, b.column_code),
              nb_num(b.value), coalesce(b.raw, ''),
              CASE WHEN b.column_code = 'amount_10k_yuan' THEN '金额不应为负数'
                   WHEN b.negative THEN '件数不应为负数'
                   ELSE '件数应为整数' END) AS message_zh
FROM bad AS b
JOIN checked_submissions AS s USING (submission_id)
LEFT JOIN code_labels AS r
       ON r.table_code = b.table_code AND r.axis = 'row' AND r.code = b.row_code
LEFT JOIN code_labels AS k
       ON k.table_code = b.table_code AND k.axis = 'column' AND k.code = b.column_code
