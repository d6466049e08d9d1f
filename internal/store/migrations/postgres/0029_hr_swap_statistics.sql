-- The swap analyses a tenant's four new tables with a sample of 7,500 rows
-- (a statistics target of 25) instead of 30,000 (the default 100). At a
-- million shifts the four ANALYZEs took 0.5 s of a 4.3 s import, all of it
-- while every other part of the import waited; at 25 they take about
-- 0.1 s. The planner reads these statistics for ranges of dates and
-- lists of employees, positions and locations, which 25 histogram bounds
-- and most-common values describe well enough for the plans scry's
-- questions make (the same plans at 1M and 10M shifts: see README, Ask at
-- scale). A question never reads a value from them: they change no answer.
ALTER FUNCTION scry_hr_swap(text[], interval) SET default_statistics_target = 25;
