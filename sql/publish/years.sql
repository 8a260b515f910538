-- One row per year of year_rollup, oldest first: the dashboard's charts.
SELECT * FROM year_rollup ORDER BY year;
