-- One row per district, year and kind of office (街道 | 乡镇 | 部门 | 政府; NULL for an office the
-- registry does not know): the sums of district_rollup, split by kind. Same policy, same
-- definitions (submission_figures), same counts of what was left out or included with errors.

CREATE OR REPLACE MACRO office_kind_rollup_with(policy) AS TABLE
WITH sums AS (
    SELECT district,
           year,
           office_kind,
           count(*)                                                  AS offices_reporting,
           count(*) FILTER (WHERE status = 'inconsistent')           AS offices_inconsistent,
           sum(COLUMNS(['new_received', 'carried_over', 'results_total', 'carried_forward',
                        'granted', 'partially_granted', 'review_total', 'review_corrected',
                        'litigation_total', 'litigation_corrected'])) FILTER (WHERE included),
           count(*) FILTER (WHERE included)                          AS submissions_included,
           count(*) FILTER (WHERE NOT included)                      AS submissions_left_out,
           count(*) FILTER (WHERE included AND status = 'inconsistent')
                                                                     AS submissions_included_with_errors
    FROM submission_figures_with(policy)
    GROUP BY district, year, office_kind
)
SELECT *,
       policy                                                   AS rollup_policy,
       (granted + partially_granted) / nullif(results_total, 0) AS grant_rate,
       review_corrected / nullif(review_total, 0)               AS review_corrected_rate,
       litigation_corrected / nullif(litigation_total, 0)       AS litigation_corrected_rate
FROM sums;

CREATE OR REPLACE VIEW office_kind_rollup AS
SELECT * FROM office_kind_rollup_with((SELECT any_value(policy) FROM rollup_policy));
