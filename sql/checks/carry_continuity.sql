-- Rule `carry_continuity` (warning): across years of one office, table 3's `carried_over` of
-- year Y = its `carried_forward` of year Y-1, column by column. Only the current submission of
-- each office and year is compared; offices are matched by the registry's name (`office`).
-- One row per (year-Y submission, column). Fails if the two differ; a year without a current
-- submission the year before is not compared. The row belongs to the year-Y submission.
-- expected = carried_forward of Y-1, found = carried_over of Y.
WITH this_year AS (
    SELECT y.submission_id, y.office, y.year, p.submission_id AS prev_id
    FROM checked_current AS y
    JOIN checked_current AS p ON p.office = y.office AND p.year = y.year - 1
),
pairs AS (
    SELECT t.submission_id, t.office, t.year, t.prev_id, o.column_code,
           o.value AS over_v, o.kind AS over_k, o.raw AS over_r,
           f.value AS fwd_v, f.kind AS fwd_k, f.raw AS fwd_r
    FROM this_year AS t
    JOIN application_cells AS o
      ON o.submission_id = t.submission_id AND o.row_code = 'carried_over'
    JOIN application_cells AS f
      ON f.submission_id = t.prev_id AND f.row_code = 'carried_forward'
     AND f.column_code = o.column_code
    WHERE o.value IS NOT NULL AND f.value IS NOT NULL AND nb_differ(o.value, f.value)
)
SELECT p.submission_id, p.office, p.year,
       'carry_continuity' AS rule,
       'warning' AS severity,
       ['applications.carried_over.' || p.column_code,
        'applications.carried_forward.' || p.column_code || '@' || CAST(p.year - 1 AS VARCHAR)]
           AS cells,
       p.fwd_v AS expected,
       p.over_v AS found,
       concat_ws('; ', nb_raw('applications.carried_over.' || p.column_code, p.over_r, p.over_k),
                 nb_raw('applications.carried_forward.' || p.column_code || '@'
                        || CAST(p.year - 1 AS VARCHAR), p.fwd_r, p.fwd_k)) AS raw,
       format('table 3, column {}: carried_over {} of {} differs from carried_forward {} of {} (submission {})',
              p.column_code, nb_en(p.over_v, p.over_k), p.year, nb_en(p.fwd_v, p.fwd_k),
              p.year - 1, p.prev_id) AS detail,
       format('表三“{}”列：{}年“上年结转”为{}，但{}年报告“结转下年度继续办理”为{}，两者应相等，请核对两年的报告。',
              coalesce(l.label_zh, p.column_code), p.year, nb_shown(p.over_v, p.over_k, p.over_r),
              p.year - 1, nb_shown(p.fwd_v, p.fwd_k, p.fwd_r)) AS message_zh
FROM pairs AS p
LEFT JOIN code_labels AS l
       ON l.table_code = 'applications' AND l.axis = 'column' AND l.code = p.column_code
