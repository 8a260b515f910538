-- One row per failed rule of a stored submission, errors first, with the cells it names
-- (quality_failures.cells, as table.row.column) and what each cell holds: value, kind, raw text
-- as printed, row label and where in the file it was read. A named cell that was never read
-- still appears, with NULLs.
WITH failures AS (
    SELECT row_number() OVER (
               ORDER BY submission_id, severity, rule, detail, message_zh, expected, found
           ) AS failure_no,
           *
    FROM quality_failures
),
named_cells AS (
    SELECT failure_no, submission_id, ref, pos
    FROM failures,
         unnest(coalesce(cells, []::VARCHAR[])) WITH ORDINALITY AS t(ref, pos)
),
cell_values AS (
    SELECT n.failure_no,
           list(struct_pack(ref := n.ref, value := c.value, kind := c.kind, raw := c.raw,
                            label := c.label, location := c.location) ORDER BY n.pos) AS cell_list
    FROM named_cells AS n
    LEFT JOIN cells AS c
           ON c.submission_id = n.submission_id
          AND c.table_code = split_part(n.ref, '.', 1)
          AND c.row_code = split_part(n.ref, '.', 2)
          AND c.column_code = split_part(n.ref, '.', 3)
    GROUP BY n.failure_no
)
SELECT f.submission_id, f.office, f.year, f.rule, f.severity, f.detail, f.expected, f.found,
       f.raw, f.message_zh, coalesce(v.cell_list, []) AS cell_list
FROM failures AS f
LEFT JOIN cell_values AS v USING (failure_no)
ORDER BY f.submission_id, CASE f.severity WHEN 'error' THEN 0 ELSE 1 END, f.failure_no;
