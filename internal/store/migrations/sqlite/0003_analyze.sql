-- Nothing to do on SQLite: its planner needs no statistics for these queries.
SELECT 1;
