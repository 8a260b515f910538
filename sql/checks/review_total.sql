-- Rule `review_total` (error): in table 4, for every group (review, litigation_direct,
-- litigation_after_review): total = upheld + corrected + other + pending.
-- One row per submission and group. Fails if the printed total differs from the sum of the four
-- outcomes. A blank or dash cell counts as 0 and is shown as such; a group with a cell that
-- could not be read is left to `complete`. expected = sum of the four outcomes, found = total.
WITH sums AS (
    SELECT submission_id, group_code,
           sum(value) FILTER (WHERE outcome_code <> 'total')                 AS parts_sum,
           count(*) FILTER (WHERE outcome_code <> 'total')                   AS parts,
           count(*) FILTER (WHERE outcome_code <> 'total' AND value IS NULL) AS parts_null,
           any_value(value) FILTER (WHERE outcome_code = 'total')            AS total_v
    FROM review_litigation_cells
    GROUP BY submission_id, group_code
),
broken AS (
    SELECT submission_id, group_code, parts_sum, total_v
    FROM sums
    WHERE parts = 4 AND parts_null = 0 AND total_v IS NOT NULL AND nb_differ(parts_sum, total_v)
),
-- Only the broken groups are described (cell by cell, in printed order).
b AS (
    SELECT k.submission_id, k.group_code, k.parts_sum, k.total_v,
           any_value(r.kind) FILTER (WHERE r.outcome_code = 'total') AS total_k,
           any_value(r.raw)  FILTER (WHERE r.outcome_code = 'total') AS total_r,
           list('review_litigation.' || r.group_code || '.' || r.outcome_code
                ORDER BY l.position) AS group_cells,
           list(nb_raw('review_litigation.' || r.group_code || '.' || r.outcome_code, r.raw,
                       r.kind) ORDER BY l.position) AS raws,
           string_agg(coalesce(l.label_zh, r.outcome_code) || nb_shown(r.value, r.kind, r.raw), '、'
                      ORDER BY l.position) FILTER (WHERE r.outcome_code <> 'total') AS parts_zh,
           string_agg(r.outcome_code || ' ' || nb_en(r.value, r.kind), ', '
                      ORDER BY l.position) FILTER (WHERE r.outcome_code <> 'total') AS parts_en
    FROM broken AS k
    JOIN review_litigation_cells AS r USING (submission_id, group_code)
    LEFT JOIN code_labels AS l
           ON l.table_code = 'review_litigation' AND l.axis = 'column' AND l.code = r.outcome_code
    GROUP BY k.submission_id, k.group_code, k.parts_sum, k.total_v
)
SELECT s.submission_id, s.office, s.year,
       'review_total' AS rule,
       'error' AS severity,
       b.group_cells AS cells,
       b.parts_sum AS expected,
       b.total_v AS found,
       array_to_string(b.raws, '; ') AS raw,
       format('table 4, group {}: upheld + corrected + other + pending = {} ({}), but total is {}',
              b.group_code, nb_num(b.parts_sum), b.parts_en, nb_en(b.total_v, b.total_k)) AS detail,
       format('表四“{}”：结果维持、结果纠正、其他结果、尚未审结之和为{}（{}），但“总计”为{}，两者应相等，请核对。',
              coalesce(g.label_zh, b.group_code), nb_num(b.parts_sum), b.parts_zh,
              nb_shown(b.total_v, b.total_k, b.total_r)) AS message_zh
FROM b
JOIN checked_submissions AS s USING (submission_id)
LEFT JOIN code_labels AS g
       ON g.table_code = 'review_litigation' AND g.axis = 'row' AND g.code = b.group_code
