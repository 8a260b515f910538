-- The analyst interface (spec: "The analyst interface"): stable names over the stored tables.
-- One row per cell of one table; join `submissions` for office, year and is_current.

CREATE OR REPLACE VIEW active_disclosure_cells AS
SELECT submission_id,
       row_code    AS item_code,
       column_code AS metric_code,
       value,       -- counts; fees.amount_10k_yuan in 万元
       kind, raw, label, location, inferred
FROM cells
WHERE table_code = 'active_disclosure';

CREATE OR REPLACE VIEW application_cells AS
SELECT submission_id, row_code, column_code, value, kind, raw, label, location, inferred
FROM cells
WHERE table_code = 'applications';

CREATE OR REPLACE VIEW review_litigation_cells AS
SELECT submission_id,
       row_code    AS group_code,
       column_code AS outcome_code,
       value, kind, raw, label, location, inferred
FROM cells
WHERE table_code = 'review_litigation';

-- The submissions that count now: the latest received one of each office and year.
CREATE OR REPLACE VIEW current_submissions AS
SELECT * FROM submissions WHERE is_current;
