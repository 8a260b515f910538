-- Rule `row_total` (error): in table 3, every row's `total` = the sum of its six applicant
-- columns (natural_person, commercial, research, social_welfare, legal_service, other_org).
-- One row per submission and table-3 row. Fails if the printed total differs from the sum.
-- A blank or dash cell counts as 0 and is shown as such; a row with a cell that could not be
-- read is left to `complete`; the derived `other_handling` of 2021 reports is not checked (its
-- three printed sub-rows are). expected = sum of the six columns, found = total.
WITH sums AS (
    SELECT submission_id, row_code,
           sum(value) FILTER (WHERE column_code <> 'total')                AS parts_sum,
           count(*) FILTER (WHERE column_code <> 'total')                  AS parts,
           count(*) FILTER (WHERE column_code <> 'total' AND value IS NULL) AS parts_null,
           any_value(value) FILTER (WHERE column_code = 'total')           AS total_v
    FROM application_cells
    WHERE kind IS DISTINCT FROM 'derived'
    GROUP BY submission_id, row_code
),
broken AS (
    SELECT submission_id, row_code, parts_sum, total_v
    FROM sums
    WHERE parts = 6 AND parts_null = 0 AND total_v IS NOT NULL AND nb_differ(parts_sum, total_v)
),
-- Only the broken rows are described (cell by cell, in printed order).
described AS (
    SELECT b.submission_id, b.row_code, b.parts_sum, b.total_v,
           any_value(a.label) AS label,
           any_value(a.kind) FILTER (WHERE a.column_code = 'total') AS total_k,
           any_value(a.raw)  FILTER (WHERE a.column_code = 'total') AS total_r,
           list('applications.' || a.row_code || '.' || a.column_code ORDER BY c.position) AS cells,
           list(nb_raw('applications.' || a.row_code || '.' || a.column_code, a.raw, a.kind)
                ORDER BY c.position) AS raws,
           string_agg(coalesce(c.label_zh, a.column_code) || nb_shown(a.value, a.kind, a.raw), '、'
                      ORDER BY c.position) FILTER (WHERE a.column_code <> 'total') AS parts_zh,
           string_agg(a.column_code || ' ' || nb_en(a.value, a.kind), ', '
                      ORDER BY c.position) FILTER (WHERE a.column_code <> 'total') AS parts_en
    FROM broken AS b
    JOIN application_cells AS a USING (submission_id, row_code)
    LEFT JOIN code_labels AS c
           ON c.table_code = 'applications' AND c.axis = 'column' AND c.code = a.column_code
    GROUP BY b.submission_id, b.row_code, b.parts_sum, b.total_v
)
SELECT s.submission_id, s.office, s.year,
       'row_total' AS rule,
       'error' AS severity,
       d.cells,
       d.parts_sum AS expected,
       d.total_v AS found,
       array_to_string(d.raws, '; ') AS raw,
       format('table 3, row {}: the six applicant columns sum to {} ({}), but total is {}',
              d.row_code, nb_num(d.parts_sum), d.parts_en, nb_en(d.total_v, d.total_k)) AS detail,
       format('表三“{}”行：六类申请人之和为{}（{}），但“总计”栏为{}，两者应相等，请核对该行。',
              coalesce(l.label_zh, d.label, d.row_code), nb_num(d.parts_sum), d.parts_zh,
              nb_shown(d.total_v, d.total_k, d.total_r)) AS message_zh
FROM described AS d
JOIN checked_submissions AS s USING (submission_id)
LEFT JOIN code_labels AS l
       ON l.table_code = 'applications' AND l.axis = 'row' AND l.code = d.row_code
