-- The import's ANALYZE of the shared employees and absences tables
-- (scry_analyze_hr) samples at a statistics target of 25, as the swap does
-- for the tenant's new partitions (0029). At acme-retail's size (5,000
-- employees and 28,000 absences across the tenants of the benchmark
-- database) the two took 66 ms at the default 100, a seventh of the whole
-- import, and 31 ms at 25. The planner reads these statistics for
-- departments, positions, dates and lists of employees, which 25 bounds
-- and most-common values describe well enough; a question never reads a
-- value from them, so no answer changes.
ALTER FUNCTION scry_analyze_hr() SET default_statistics_target = 25;
