-- How many current submissions are consistent, inconsistent, …: the closing summary.
SELECT status, count(*) AS submissions
FROM submissions
WHERE is_current
GROUP BY status;
