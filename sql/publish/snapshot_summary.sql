-- One row: what the snapshot holds, for the top of the dashboard.
SELECT (SELECT max(finished_at) FROM runs)                                       AS built_at,  -- UTC
       (SELECT any_value(policy) FROM rollup_policy)                             AS rollup_policy,
       (SELECT count(*) FROM submissions WHERE is_current)                       AS current_reports,
       (SELECT count(*) FROM submissions WHERE is_current AND status = 'consistent')   AS consistent,
       (SELECT count(*) FROM submissions WHERE is_current AND status = 'inconsistent') AS inconsistent,
       (SELECT count(*) FROM submissions WHERE status = 'quarantined')           AS quarantined,
       (SELECT count(*) FROM submissions WHERE NOT is_current AND status <> 'quarantined')
                                                                                 AS superseded,
       (SELECT count(*) FROM missing_reports)                                    AS missing;
