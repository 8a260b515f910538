-- Rule `narrative_agrees` (warning): counts stated in the prose agree with tables 3 and 4.
-- The claims are read by nianbao.narrative into narrative_claims (only clear phrasings):
--   received         收到/受理/新收/接收…申请N件, 未收到…申请 (= 0)
--                    agrees with new_received.total, or with new_received.total +
--                    carried_over.total (many reports count what was carried over as received)
--   carried_forward  结转下年度…N件                  = carried_forward.total
--   review_total     行政复议…N件                    = review.total
--   litigation_total 行政诉讼…N件                    = litigation_direct.total + litigation_after_review.total
-- One row per submission and claim. Fails if the stated number agrees with none of the table's
-- readings; a claim whose table cells could not be read is not compared.
-- expected = the table's value, found = the number in the prose.
WITH t AS (
    SELECT submission_id,
           any_value(value) FILTER (WHERE row_code = 'new_received')    AS new_v,
           any_value(kind)  FILTER (WHERE row_code = 'new_received')    AS new_k,
           any_value(raw)   FILTER (WHERE row_code = 'new_received')    AS new_r,
           any_value(value) FILTER (WHERE row_code = 'carried_over')    AS over_v,
           any_value(kind)  FILTER (WHERE row_code = 'carried_over')    AS over_k,
           any_value(raw)   FILTER (WHERE row_code = 'carried_over')    AS over_r,
           any_value(value) FILTER (WHERE row_code = 'carried_forward') AS fwd_v,
           any_value(kind)  FILTER (WHERE row_code = 'carried_forward') AS fwd_k,
           any_value(raw)   FILTER (WHERE row_code = 'carried_forward') AS fwd_r
    FROM application_cells
    WHERE column_code = 'total' AND row_code IN ('new_received', 'carried_over', 'carried_forward')
    GROUP BY submission_id
),
r AS (
    SELECT submission_id,
           any_value(value) FILTER (WHERE group_code = 'review')                  AS rev_v,
           any_value(kind)  FILTER (WHERE group_code = 'review')                  AS rev_k,
           any_value(raw)   FILTER (WHERE group_code = 'review')                  AS rev_r,
           any_value(value) FILTER (WHERE group_code = 'litigation_direct')       AS dir_v,
           any_value(kind)  FILTER (WHERE group_code = 'litigation_direct')       AS dir_k,
           any_value(raw)   FILTER (WHERE group_code = 'litigation_direct')       AS dir_r,
           any_value(value) FILTER (WHERE group_code = 'litigation_after_review') AS aft_v,
           any_value(kind)  FILTER (WHERE group_code = 'litigation_after_review') AS aft_k,
           any_value(raw)   FILTER (WHERE group_code = 'litigation_after_review') AS aft_r
    FROM review_litigation_cells
    WHERE outcome_code = 'total'
    GROUP BY submission_id
),
compared AS (
    SELECT n.submission_id, n.claim, n.stated, n.phrase,
           CASE n.claim WHEN 'received' THEN t.new_v
                        WHEN 'carried_forward' THEN t.fwd_v
                        WHEN 'review_total' THEN r.rev_v
                        WHEN 'litigation_total' THEN r.dir_v + r.aft_v END AS table_v,
           CASE n.claim WHEN 'received' THEN t.new_v + t.over_v END AS with_carried_v,
           CASE n.claim
               WHEN 'received' THEN ['applications.new_received.total', 'applications.carried_over.total']
               WHEN 'carried_forward' THEN ['applications.carried_forward.total']
               WHEN 'review_total' THEN ['review_litigation.review.total']
               WHEN 'litigation_total' THEN ['review_litigation.litigation_direct.total',
                                             'review_litigation.litigation_after_review.total']
           END AS cells,
           CASE n.claim
               WHEN 'received' THEN concat_ws('; ', nb_raw('applications.new_received.total', t.new_r, t.new_k),
                                              nb_raw('applications.carried_over.total', t.over_r, t.over_k))
               WHEN 'carried_forward' THEN nb_raw('applications.carried_forward.total', t.fwd_r, t.fwd_k)
               WHEN 'review_total' THEN nb_raw('review_litigation.review.total', r.rev_r, r.rev_k)
               WHEN 'litigation_total' THEN concat_ws('; ',
                   nb_raw('review_litigation.litigation_direct.total', r.dir_r, r.dir_k),
                   nb_raw('review_litigation.litigation_after_review.total', r.aft_r, r.aft_k))
           END AS cell_raw,
           CASE n.claim
               WHEN 'received' THEN '表三“本年新收政府信息公开申请数量”总计为' || nb_shown(t.new_v, t.new_k, t.new_r)
                                    || '（连同上年结转' || nb_shown(t.over_v, t.over_k, t.over_r) || '，共'
                                    || nb_num(t.new_v + t.over_v) || '）'
               WHEN 'carried_forward' THEN '表三“结转下年度继续办理”总计为' || nb_shown(t.fwd_v, t.fwd_k, t.fwd_r)
               WHEN 'review_total' THEN '表四“行政复议”总计为' || nb_shown(r.rev_v, r.rev_k, r.rev_r)
               WHEN 'litigation_total' THEN '表四行政诉讼总计为' || nb_num(r.dir_v + r.aft_v)
                                            || '（未经复议直接起诉' || nb_shown(r.dir_v, r.dir_k, r.dir_r)
                                            || '，复议后起诉' || nb_shown(r.aft_v, r.aft_k, r.aft_r) || '）'
           END AS table_zh
    FROM narrative_claims AS n
    LEFT JOIN t USING (submission_id)
    LEFT JOIN r USING (submission_id)
)
SELECT s.submission_id, s.office, s.year,
       'narrative_agrees' AS rule,
       'warning' AS severity,
       c.cells,
       c.table_v AS expected,
       CAST(c.stated AS DOUBLE) AS found,
       concat_ws('; ', 'prose="' || c.phrase || '"', c.cell_raw) AS raw,
       format('the prose states {} = {} ("{}"), but the table says {}{}', c.claim, c.stated,
              c.phrase, nb_num(c.table_v),
              CASE WHEN c.with_carried_v IS NOT NULL
                   THEN ' (' || nb_num(c.with_carried_v) || ' with carried_over)' ELSE '' END)
           AS detail,
       format('报告正文称“{}”，但{}，两者不一致，请核对正文或表格。', c.phrase, c.table_zh)
           AS message_zh
FROM compared AS c
JOIN checked_submissions AS s USING (submission_id)
WHERE c.table_v IS NOT NULL
  AND nb_differ(c.stated, c.table_v)
  AND (c.with_carried_v IS NULL OR nb_differ(c.stated, c.with_carried_v))
