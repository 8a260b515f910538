-- The rollup policy of this snapshot (`nianbao run --rollup-policy`), one row:
--   consistent: the rollups add up consistent submissions only; inconsistent ones are left out
--               and counted in submissions_left_out
--   all:        the rollups add up every current submission; inconsistent ones are counted in
--               submissions_included_with_errors
-- The rollup views read it; the *_with(policy) macros let an analyst ask for the other policy.
CREATE OR REPLACE TABLE rollup_policy AS
SELECT CAST($policy AS VARCHAR) AS policy;  -- consistent | all
