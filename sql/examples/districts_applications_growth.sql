-- Which districts' applications grew most: new applications received (new_received) in a year
-- against the year before, per district, largest relative growth first. The offices reporting
-- in both years are shown too: growth that comes from more offices reporting is not more
-- applications.
--   nianbao sql --file sql/examples/districts_applications_growth.sql
WITH by_year AS (
    SELECT district,
           year,
           new_received,
           offices_reporting,
           lag(year)              OVER w AS prev_year,
           lag(new_received)      OVER w AS prev_new_received,
           lag(offices_reporting) OVER w AS prev_offices_reporting
    FROM district_rollup
    WINDOW w AS (PARTITION BY district ORDER BY year)
)
SELECT district,
       prev_year,
       year,
       prev_new_received,
       new_received,
       new_received - prev_new_received                                          AS growth,
       round((new_received - prev_new_received) / nullif(prev_new_received, 0), 3) AS growth_rate,
       prev_offices_reporting,
       offices_reporting
FROM by_year
WHERE prev_year = year - 1
ORDER BY growth_rate DESC NULLS LAST, growth DESC
LIMIT 20;
