-- Which rules fail most, and on how many current reports: where offices most often get the
-- form wrong (errors make a report inconsistent; warnings do not).
--   nianbao sql --file sql/examples/failed_rules.sql
SELECT f.rule,
       f.severity,
       count(*)                        AS failures,
       count(DISTINCT f.submission_id) AS reports,
       any_value(f.message_zh)         AS example_message
FROM quality_failures AS f
LEFT JOIN submissions AS s USING (submission_id)
WHERE s.is_current OR f.submission_id IS NULL
GROUP BY f.rule, f.severity
ORDER BY f.severity, failures DESC;
