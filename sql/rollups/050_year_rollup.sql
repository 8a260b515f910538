-- One row per year over all districts, with the change on the year before (year − 1; NULL when
-- nothing was reported for it). The set of offices reporting can change between years: compare
-- offices_reporting before reading a change as a trend. Outcome groups (denied, unavailable,
-- rejected, other_handling) are here too, for the outcome mix; with granted, partially_granted
-- they add up to results_total in a consistent report.

CREATE OR REPLACE MACRO year_rollup_with(policy) AS TABLE
WITH sums AS (
    SELECT year,
           count(*)                                                  AS offices_reporting,
           count(*) FILTER (WHERE status = 'inconsistent')           AS offices_inconsistent,
           sum(COLUMNS(['new_received', 'carried_over', 'results_total', 'carried_forward',
                        'granted', 'partially_granted', 'denied', 'unavailable', 'rejected',
                        'other_handling', 'review_total', 'review_corrected',
                        'litigation_total', 'litigation_corrected'])) FILTER (WHERE included),
           count(*) FILTER (WHERE included)                          AS submissions_included,
           count(*) FILTER (WHERE NOT included)                      AS submissions_left_out,
           count(*) FILTER (WHERE included AND status = 'inconsistent')
                                                                     AS submissions_included_with_errors
    FROM submission_figures_with(policy)
    GROUP BY year
),
with_rates AS (
    SELECT *,
           (granted + partially_granted) / nullif(results_total, 0) AS grant_rate,
           review_corrected / nullif(review_total, 0)               AS review_corrected_rate,
           litigation_corrected / nullif(litigation_total, 0)       AS litigation_corrected_rate
    FROM sums
)
SELECT y.*,
       policy                                                      AS rollup_policy,
       y.offices_reporting - p.offices_reporting                   AS offices_reporting_change,
       y.new_received - p.new_received                             AS new_received_change,
       (y.new_received - p.new_received) / nullif(p.new_received, 0)
                                                                   AS new_received_change_rate,  -- share of the year before
       y.results_total - p.results_total                           AS results_total_change,
       y.grant_rate - p.grant_rate                                 AS grant_rate_change  -- in shares (0.05 = 5 points)
FROM with_rates AS y
LEFT JOIN with_rates AS p ON p.year = y.year - 1;

CREATE OR REPLACE VIEW year_rollup AS
SELECT * FROM year_rollup_with((SELECT any_value(policy) FROM rollup_policy));
