-- Rule `results_sum` (error): in table 3, for every column, `results_total` （七）总计 = the sum
-- of all result rows: granted, partially_granted, the 8 denied_*, the 3 unavailable_*, the 5
-- rejected_*, and （六）其他处理 — its three sub-rows in the 2021 format, the single row
-- `other_handling` in the 2019 format (or when a 2021 report prints （六） as one row).
-- One row per submission and table-3 column. Fails if the printed total differs from the sum.
-- A blank or dash cell counts as 0 and is shown as such; a column with a result cell that could
-- not be read is left to `complete`. expected = sum of the result rows, found = results_total.
WITH other_row AS (
    -- How （六） was read: 'derived' means from the three printed sub-rows.
    SELECT submission_id, column_code, kind AS other_kind
    FROM application_cells
    WHERE row_code = 'other_handling'
),
parts AS (
    SELECT a.submission_id, a.column_code, a.row_code, a.value, a.kind, a.raw
    FROM application_cells AS a
    LEFT JOIN other_row AS o USING (submission_id, column_code)
    WHERE a.row_code IN ('granted', 'partially_granted',
                         'denied_state_secret', 'denied_prohibited_by_law', 'denied_three_safety',
                         'denied_third_party', 'denied_internal_affairs', 'denied_process_info',
                         'denied_enforcement_file', 'denied_query_matter',
                         'unavailable_not_held', 'unavailable_needs_creation', 'unavailable_unclear',
                         'rejected_petition', 'rejected_duplicate', 'rejected_publication',
                         'rejected_mass_repeated', 'rejected_confirm_reissue')
       OR (a.row_code = 'other_handling' AND o.other_kind IS DISTINCT FROM 'derived')
       OR (a.row_code IN ('other_no_correction', 'other_no_fee_paid', 'other_other')
           AND coalesce(o.other_kind, 'derived') = 'derived')
),
sums AS (
    SELECT submission_id, column_code,
           sum(value) AS parts_sum,
           count(*) FILTER (WHERE value IS NULL) AS parts_null
    FROM parts
    GROUP BY submission_id, column_code
),
broken AS (
    SELECT m.submission_id, m.column_code, m.parts_sum,
           t.value AS total_v, t.kind AS total_k, t.raw AS total_r
    FROM sums AS m
    JOIN application_cells AS t
      ON t.submission_id = m.submission_id AND t.column_code = m.column_code
     AND t.row_code = 'results_total'
    WHERE m.parts_null = 0 AND t.value IS NOT NULL AND nb_differ(m.parts_sum, t.value)
),
-- Only the broken columns are described (row by row, in printed order).
described AS (
    SELECT b.submission_id, b.column_code, b.parts_sum, b.total_v, b.total_k, b.total_r,
           list('applications.' || p.row_code || '.' || p.column_code ORDER BY l.position)
               AS part_cells,
           list(nb_raw('applications.' || p.row_code || '.' || p.column_code, p.raw, p.kind)
                ORDER BY l.position) AS part_raws,
           -- Only the rows that add something (or are blank/dash) are named in the message.
           string_agg(coalesce(l.label_zh, p.row_code) || nb_shown(p.value, p.kind, p.raw), '、'
                      ORDER BY l.position)
               FILTER (WHERE p.value <> 0 OR p.kind IN ('blank', 'dash')) AS parts_zh,
           string_agg(p.row_code || ' ' || nb_en(p.value, p.kind), ', ' ORDER BY l.position)
               FILTER (WHERE p.value <> 0) AS parts_en
    FROM broken AS b
    JOIN parts AS p USING (submission_id, column_code)
    LEFT JOIN code_labels AS l
           ON l.table_code = 'applications' AND l.axis = 'row' AND l.code = p.row_code
    GROUP BY b.submission_id, b.column_code, b.parts_sum, b.total_v, b.total_k, b.total_r
)
SELECT s.submission_id, s.office, s.year,
       'results_sum' AS rule,
       'error' AS severity,
       list_append(b.part_cells, 'applications.results_total.' || b.column_code) AS cells,
       b.parts_sum AS expected,
       b.total_v AS found,
       array_to_string(list_append(b.part_raws,
           nb_raw('applications.results_total.' || b.column_code, b.total_r, b.total_k)), '; ')
           AS raw,
       format('table 3, column {}: the result rows sum to {} ({}), but results_total is {}',
              b.column_code, nb_num(b.parts_sum), coalesce(b.parts_en, 'all 0'),
              nb_en(b.total_v, b.total_k)) AS detail,
       format('表三“{}”列：各项办理结果之和为{}（{}），但“（七）总计”为{}，两者应相等，请核对该列。',
              coalesce(l.label_zh, b.column_code), nb_num(b.parts_sum),
              coalesce(b.parts_zh, '各项均为0'), nb_shown(b.total_v, b.total_k, b.total_r))
           AS message_zh
FROM described AS b
JOIN checked_submissions AS s USING (submission_id)
LEFT JOIN code_labels AS l
       ON l.table_code = 'applications' AND l.axis = 'column' AND l.code = b.column_code
