-- One row per current submission (the latest received of its office and year; quarantined files
-- are never current): the figures every rollup adds up, and whether the policy includes it.
--
-- No total is ever added to its own parts. A table 3 figure is the `total` column of its row
-- (all six applicant columns together, as the report prints it); the applicant columns are not
-- added to it. `results_total` is the printed row （七）总计, never added to the result rows. The
-- result groups denied / unavailable / rejected are sums of their sub-rows; `other_handling` is
-- the 2019 row, or in 2021 reports derived from its three sub-rows, which are not added again.
-- Table 4: a group's figure is its printed `total` outcome; litigation = the two litigation groups.
-- All counts are numbers of applications or cases (DOUBLE; whole numbers in consistent reports).

CREATE OR REPLACE MACRO submission_figures_with(policy) AS TABLE
WITH current AS (
    SELECT submission_id, office, district, office_kind, year, format, status
    FROM submissions
    WHERE is_current AND status IN ('consistent', 'inconsistent')
),
application_figures AS (
    SELECT submission_id,
           sum(value) FILTER (WHERE row_code = 'new_received')              AS new_received,
           sum(value) FILTER (WHERE row_code = 'carried_over')              AS carried_over,
           sum(value) FILTER (WHERE row_code = 'results_total')             AS results_total,
           sum(value) FILTER (WHERE row_code = 'carried_forward')           AS carried_forward,
           sum(value) FILTER (WHERE row_code = 'granted')                   AS granted,
           sum(value) FILTER (WHERE row_code = 'partially_granted')         AS partially_granted,
           sum(value) FILTER (WHERE starts_with(row_code, 'denied_'))       AS denied,
           sum(value) FILTER (WHERE starts_with(row_code, 'unavailable_'))  AS unavailable,
           sum(value) FILTER (WHERE starts_with(row_code, 'rejected_'))     AS rejected,
           sum(value) FILTER (WHERE row_code = 'other_handling')            AS other_handling
    FROM application_cells
    WHERE column_code = 'total'
    GROUP BY submission_id
),
review_figures AS (
    SELECT submission_id,
           sum(value) FILTER (WHERE group_code = 'review')     AS review_total,
           sum(value) FILTER (WHERE group_code <> 'review')    AS litigation_total
    FROM review_litigation_cells
    WHERE outcome_code = 'total'
    GROUP BY submission_id
),
review_corrections AS (
    SELECT submission_id,
           sum(value) FILTER (WHERE group_code = 'review')     AS review_corrected,
           sum(value) FILTER (WHERE group_code <> 'review')    AS litigation_corrected
    FROM review_litigation_cells
    WHERE outcome_code = 'corrected'
    GROUP BY submission_id
)
SELECT c.submission_id, c.office, c.district, c.office_kind, c.year, c.format, c.status,
       CASE policy
           WHEN 'all' THEN TRUE
           WHEN 'consistent' THEN c.status = 'consistent'
           ELSE error('rollup policy must be consistent or all, not ' || policy)
       END AS included,  -- the rollups add this submission's figures
       a.new_received, a.carried_over, a.results_total, a.carried_forward,
       a.granted, a.partially_granted, a.denied, a.unavailable, a.rejected, a.other_handling,
       r.review_total, k.review_corrected, r.litigation_total, k.litigation_corrected
FROM current AS c
LEFT JOIN application_figures AS a USING (submission_id)
LEFT JOIN review_figures AS r USING (submission_id)
LEFT JOIN review_corrections AS k USING (submission_id);

CREATE OR REPLACE VIEW submission_figures AS
SELECT * FROM submission_figures_with((SELECT any_value(policy) FROM rollup_policy));
