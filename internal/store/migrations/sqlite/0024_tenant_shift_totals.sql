-- The tenant-wide rollup gets a table of its own (it was shift_totals' rows
-- with employee_id ''), plus a day grain: a question of everyone that names
-- no employee attribute reads only these few rows — per day, ISO week
-- (date = its Monday) or month (its first day), shift position, location
-- and status — instead of seeking them among every employee's rows, and the
-- days at the edges of its period no longer read single shifts. A day row
-- per employee would be as large as shifts, so shift_totals keeps weeks
-- and months. Written by the HR import like shift_totals.
CREATE TABLE tenant_shift_totals (
    tenant_id INTEGER NOT NULL,
    grain     TEXT NOT NULL CHECK (grain IN ('day', 'week', 'month')),
    date      TEXT NOT NULL,
    position  TEXT NOT NULL,
    location  TEXT NOT NULL,
    status    TEXT NOT NULL,
    hours     REAL NOT NULL,
    shifts    INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, grain, date, position, location, status)
) WITHOUT ROWID;

INSERT INTO tenant_shift_totals
SELECT tenant_id, grain, date, position, location, status, hours, shifts FROM shift_totals WHERE employee_id = '';
INSERT INTO tenant_shift_totals
SELECT tenant_id, 'day', date, position, location, status, sum(hours), count(*)
FROM shifts GROUP BY tenant_id, date, position, location, status;
DELETE FROM shift_totals WHERE employee_id = '';
