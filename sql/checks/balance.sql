-- Rule `balance` (error): the arithmetic printed on table 3 itself (勾稽关系: 第一项加第二项之和，
-- 等于第三项加第四项之和), column by column:
--     new_received + carried_over = results_total + carried_forward
-- One row per submission and table-3 column. Fails if the two sides differ. A blank or dash
-- cell counts as 0 and is shown as such; a column with a cell that could not be read is left
-- to `complete`. expected = new_received + carried_over, found = results_total + carried_forward.
WITH four AS (
    SELECT a.submission_id, a.column_code,
           any_value(a.value) FILTER (WHERE a.row_code = 'new_received')    AS new_v,
           any_value(a.kind)  FILTER (WHERE a.row_code = 'new_received')    AS new_k,
           any_value(a.raw)   FILTER (WHERE a.row_code = 'new_received')    AS new_r,
           any_value(a.value) FILTER (WHERE a.row_code = 'carried_over')    AS over_v,
           any_value(a.kind)  FILTER (WHERE a.row_code = 'carried_over')    AS over_k,
           any_value(a.raw)   FILTER (WHERE a.row_code = 'carried_over')    AS over_r,
           any_value(a.value) FILTER (WHERE a.row_code = 'results_total')   AS res_v,
           any_value(a.kind)  FILTER (WHERE a.row_code = 'results_total')   AS res_k,
           any_value(a.raw)   FILTER (WHERE a.row_code = 'results_total')   AS res_r,
           any_value(a.value) FILTER (WHERE a.row_code = 'carried_forward') AS fwd_v,
           any_value(a.kind)  FILTER (WHERE a.row_code = 'carried_forward') AS fwd_k,
           any_value(a.raw)   FILTER (WHERE a.row_code = 'carried_forward') AS fwd_r
    FROM application_cells AS a
    WHERE a.row_code IN ('new_received', 'carried_over', 'results_total', 'carried_forward')
    GROUP BY a.submission_id, a.column_code
),
broken AS (
    SELECT *, new_v + over_v AS lhs, res_v + fwd_v AS rhs
    FROM four
    WHERE new_v IS NOT NULL AND over_v IS NOT NULL AND res_v IS NOT NULL AND fwd_v IS NOT NULL
      AND nb_differ(new_v + over_v, res_v + fwd_v)
)
SELECT s.submission_id, s.office, s.year,
       'balance' AS rule,
       'error' AS severity,
       ['applications.new_received.' || b.column_code, 'applications.carried_over.' || b.column_code,
        'applications.results_total.' || b.column_code,
        'applications.carried_forward.' || b.column_code] AS cells,
       b.lhs AS expected,
       b.rhs AS found,
       concat_ws('; ',
           nb_raw('applications.new_received.' || b.column_code, b.new_r, b.new_k),
           nb_raw('applications.carried_over.' || b.column_code, b.over_r, b.over_k),
           nb_raw('applications.results_total.' || b.column_code, b.res_r, b.res_k),
           nb_raw('applications.carried_forward.' || b.column_code, b.fwd_r, b.fwd_k)) AS raw,
       format('table 3, column {}: new_received {} + carried_over {} = {}, but results_total {} + carried_forward {} = {}',
              b.column_code, nb_en(b.new_v, b.new_k), nb_en(b.over_v, b.over_k), nb_num(b.lhs),
              nb_en(b.res_v, b.res_k), nb_en(b.fwd_v, b.fwd_k), nb_num(b.rhs)) AS detail,
       format('表三“{}”列不符合表中的勾稽关系：本年新收{}＋上年结转{}＝{}，应等于办理结果总计{}＋结转下年度继续办理{}＝{}，请核对这四个数字。',
              coalesce(l.label_zh, b.column_code), nb_shown(b.new_v, b.new_k, b.new_r),
              nb_shown(b.over_v, b.over_k, b.over_r), nb_num(b.lhs),
              nb_shown(b.res_v, b.res_k, b.res_r), nb_shown(b.fwd_v, b.fwd_k, b.fwd_r),
              nb_num(b.rhs)) AS message_zh
FROM broken AS b
JOIN checked_submissions AS s USING (submission_id)
LEFT JOIN code_labels AS l
       ON l.table_code = 'applications' AND l.axis = 'column' AND l.code = b.column_code
