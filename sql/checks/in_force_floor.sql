-- Rule `in_force_floor` (warning): in table 2 (2021 format), for regulations and normative
-- documents, in_force >= issued - repealed (what was issued this year and not repealed is in
-- force at the end of it).
-- One row per submission and item. Fails if in_force is below issued - repealed. Items whose
-- cells could not be read, and 2019-format tables (no in_force), are not compared.
-- expected = issued - repealed (the least in_force allowed), found = in_force.
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
broken AS (
    SELECT *, issued_v - repealed_v AS floor_v
    FROM items
    WHERE issued_v IS NOT NULL AND repealed_v IS NOT NULL AND force_v IS NOT NULL
      AND force_v < issued_v - repealed_v - 1e-6
)
SELECT s.submission_id, s.office, s.year,
       'in_force_floor' AS rule,
       'warning' AS severity,
       ['active_disclosure.' || b.item_code || '.issued',
        'active_disclosure.' || b.item_code || '.repealed',
        'active_disclosure.' || b.item_code || '.in_force'] AS cells,
       b.floor_v AS expected,
       b.force_v AS found,
       concat_ws('; ', nb_raw('active_disclosure.' || b.item_code || '.issued', b.issued_r, b.issued_k),
                 nb_raw('active_disclosure.' || b.item_code || '.repealed', b.repealed_r, b.repealed_k),
                 nb_raw('active_disclosure.' || b.item_code || '.in_force', b.force_r, b.force_k)) AS raw,
       format('table 2, {}: in_force {} is below issued {} - repealed {} = {}', b.item_code,
              nb_en(b.force_v, b.force_k), nb_en(b.issued_v, b.issued_k),
              nb_en(b.repealed_v, b.repealed_k), nb_num(b.floor_v)) AS detail,
       format('表二“{}”：现行有效件数{}少于本年制发件数{}减本年废止件数{}（＝{}），请核对。',
              coalesce(l.label_zh, b.item_code), nb_shown(b.force_v, b.force_k, b.force_r),
              nb_shown(b.issued_v, b.issued_k, b.issued_r),
              nb_shown(b.repealed_v, b.repealed_k, b.repealed_r), nb_num(b.floor_v)) AS message_zh
FROM broken AS b
JOIN checked_submissions AS s USING (submission_id)
LEFT JOIN code_labels AS l
       ON l.table_code = 'active_disclosure' AND l.axis = 'row' AND l.code = b.item_code
