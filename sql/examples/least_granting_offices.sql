-- Which offices grant the least: the share of decided applications granted in full or in part,
-- (granted + partially_granted) / results_total, over all years of each office's current
-- reports that the rollup policy includes, lowest first. Offices that decided fewer than 10
-- applications in all are left out: one refusal would put them at the bottom.
--   nianbao sql --file sql/examples/least_granting_offices.sql
SELECT office,
       district,
       office_kind,
       count(*)                                  AS reports,
       sum(results_total)                        AS decided,
       sum(granted + partially_granted)          AS granted_or_partly,
       round(sum(granted + partially_granted) / sum(results_total), 3) AS grant_rate
FROM submission_figures
WHERE included
GROUP BY office, district, office_kind
HAVING sum(results_total) >= 10
ORDER BY grant_rate, decided DESC
LIMIT 20;
