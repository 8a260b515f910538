-- One row per district and year (spec: "The analyst interface"): how many offices reported,
-- and the sums of table 3 and table 4 over the current submissions the rollup policy includes.
-- The rollup always says what it did with inconsistent submissions: submissions_left_out
-- (policy consistent) or submissions_included_with_errors (policy all); never silently.
-- Figures are defined once, in submission_figures (no total is ever added to its own parts).
-- Rates are shares (0–1), NULL when the denominator is 0.

CREATE OR REPLACE MACRO district_rollup_with(policy) AS TABLE
WITH sums AS (
    SELECT district,
           year,
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
    GROUP BY district, year
),
expected AS (
    SELECT district, count(*) AS offices_expected
    FROM offices
    WHERE expected
    GROUP BY district
),
missing AS (
    SELECT district, year, count(*) AS offices_missing
    FROM missing_reports
    GROUP BY district, year
)
SELECT s.district, s.year, s.offices_reporting, s.offices_inconsistent,
       s.new_received, s.carried_over, s.results_total, s.carried_forward,
       s.granted, s.partially_granted,
       s.review_total, s.review_corrected, s.litigation_total, s.litigation_corrected,
       policy                                  AS rollup_policy,
       coalesce(e.offices_expected, 0)         AS offices_expected,   -- registry, expected = true
       coalesce(m.offices_missing, 0)          AS offices_missing,    -- see missing_reports
       s.submissions_included, s.submissions_left_out, s.submissions_included_with_errors,
       (s.granted + s.partially_granted) / nullif(s.results_total, 0)  AS grant_rate,
       s.review_corrected / nullif(s.review_total, 0)                  AS review_corrected_rate,
       s.litigation_corrected / nullif(s.litigation_total, 0)          AS litigation_corrected_rate
FROM sums AS s
LEFT JOIN expected AS e ON e.district IS NOT DISTINCT FROM s.district
LEFT JOIN missing AS m ON m.district IS NOT DISTINCT FROM s.district AND m.year = s.year;

CREATE OR REPLACE VIEW district_rollup AS
SELECT * FROM district_rollup_with((SELECT any_value(policy) FROM rollup_policy));
