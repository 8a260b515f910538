-- Every office name as printed on a stored report: what the registry is asked about.
SELECT DISTINCT office_as_printed
FROM submissions
WHERE office_as_printed IS NOT NULL
ORDER BY office_as_printed;
