-- Rule `in_force_continuity` (warning): across years of one office, in table 2,
-- in_force(Y) = in_force(Y-1) + issued(Y) - repealed(Y), for regulations and normative
-- documents. Only current submissions are compared, and only when both years print in_force
-- (the 2021 format); offices are matched by the registry's name (`office`).
-- One row per (year-Y submission, item). Fails if in_force(Y) differs. The row belongs to the
-- year-Y submission. expected = in_force(Y-1) + issued(Y) - repealed(Y), found = in_force(Y).
WITH items AS (
    SELECT a.submission_id, a.item_code,
           any_value(a.value) FILTER (WHERE a.metric_code = 'issued')   AS issued_v,
           any_value(a.kind)  FILTER (WHERE a.metric_code = 'issued')   AS issued_k,
           any_value(a.raw)   FILTER (WHERE a.metric_code = 'issued')   AS issued_r,
           any_value(a.value) FILTER (WHERE a.metric_code = 'repealed') AS repealed_v,
           any_value(a.kind)  FILTER (WHERE a.metric_code = 'repealed') AS repealed_k,
           any_value(a.raw)   FILTER (WHERE a.metric_code = 'repealed') AS repealed_r,
           any_value(a.value) FILTER (WHERE a.metric_code = 'in_force') AS force_v,
           any_value(a.kind)  FILTER (WHERE a.metric_code = 'in_force') AS force_k,
           any_value(a.raw)   FILTER (WHERE a.metric_code = 'in_force') AS force_r
    FROM active_disclosure_cells AS a
    WHERE a.item_code IN ('regulations', 'normative_documents')
      AND a.metric_code IN ('issued', 'repealed', 'in_force')
    GROUP BY a.submission_id, a.item_code
),
pairs AS (
    SELECT y.submission_id, y.office, y.year, p.submission_id AS prev_id, i.item_code,
           i.issued_v, i.issued_k, i.issued_r, i.repealed_v, i.repealed_k, i.repealed_r,
           i.force_v, i.force_k, i.force_r,
           q.force_v AS prev_v, q.force_k AS prev_k, q.force_r AS prev_r,
           q.force_v + i.issued_v - i.repealed_v AS expected_v
    FROM checked_current AS y
    JOIN checked_current AS p ON p.office = y.office AND p.year = y.year - 1
    JOIN items AS i ON i.submission_id = y.submission_id
    JOIN items AS q ON q.submission_id = p.submission_id AND q.item_code = i.item_code
    WHERE i.issued_v IS NOT NULL AND i.repealed_v IS NOT NULL AND i.force_v IS NOT NULL
      AND q.force_v IS NOT NULL
      AND nb_differ(i.force_v, q.force_v + i.issued_v - i.repealed_v)
)
SELECT p.submission_id, p.office, p.year,
       'in_force_continuity' AS rule,
       'warning' AS severity,
       ['active_disclosure.' || p.item_code || '.in_force@' || CAST(p.year - 1 AS VARCHAR),
        'active_disclosure.' || p.item_code || '.issued',
        'active_disclosure.' || p.item_code || '.repealed',
        'active_disclosure.' || p.item_code || '.in_force'] AS cells,
       p.expected_v AS expected,
       p.force_v AS found,
       concat_ws('; ',
           nb_raw('active_disclosure.' || p.item_code || '.in_force@' || CAST(p.year - 1 AS VARCHAR),
                  p.prev_r, p.prev_k),
           nb_raw('active_disclosure.' || p.item_code || '.issued', p.issued_r, p.issued_k),
           nb_raw('active_disclosure.' || p.item_code || '.repealed', p.repealed_r, p.repealed_k),
           nb_raw('active_disclosure.' || p.item_code || '.in_force', p.force_r, p.force_k)) AS raw,
       format('table 2, {}: in_force {} of {} + issued {} - repealed {} = {}, but in_force of {} is {} (previous submission {})',
              p.item_code, nb_en(p.prev_v, p.prev_k), p.year - 1, nb_en(p.issued_v, p.issued_k),
              nb_en(p.repealed_v, p.repealed_k), nb_num(p.expected_v), p.year,
              nb_en(p.force_v, p.force_k), p.prev_id) AS detail,
       format('表二“{}”：{}年现行有效{}件，加{}年制发{}、减废止{}，应为{}件，但{}年报告现行有效件数为{}，请核对两年的报告。',
              coalesce(l.label_zh, p.item_code), p.year - 1, nb_shown(p.prev_v, p.prev_k, p.prev_r),
              p.year, nb_shown(p.issued_v, p.issued_k, p.issued_r),
              nb_shown(p.repealed_v, p.repealed_k, p.repealed_r), nb_num(p.expected_v), p.year,
              nb_shown(p.force_v, p.force_k, p.force_r)) AS message_zh
FROM pairs AS p
LEFT JOIN code_labels AS l
       ON l.table_code = 'active_disclosure' AND l.axis = 'row' AND l.code = p.item_code
