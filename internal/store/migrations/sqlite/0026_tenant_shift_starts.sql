-- The tenant's shifts by start hour: tenant_shift_totals' rows split by
-- the hour a shift starts ('HH', the first two characters of its
-- start_time), per day, ISO week (date = its Monday) and month (its first
-- day). A question of everyone grouped by start hour ("Number of shifts by
-- weekday and start hour") read every shift of its period; it reads these
-- rows now. A table of its own rather than a column of
-- tenant_shift_totals, whose rows it would multiply for every question that
-- does not ask for the hour. Written by the HR import in the transaction
-- that writes the shifts, like the other rollups.
CREATE TABLE tenant_shift_starts (
    tenant_id  INTEGER NOT NULL,
    grain      TEXT NOT NULL CHECK (grain IN ('day', 'week', 'month')),
    date       TEXT NOT NULL,
    start_hour TEXT NOT NULL,
    position   TEXT NOT NULL,
    location   TEXT NOT NULL,
    status     TEXT NOT NULL,
    hours      REAL NOT NULL,
    shifts     INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, grain, date, start_hour, position, location, status)
) WITHOUT ROWID;

-- Tenants imported before: their rows now, or their answers would change.
-- Weeks and months are summed from the days, as the import sums them.
INSERT INTO tenant_shift_starts
SELECT tenant_id, 'day', date, substr(start_time, 1, 2) AS h, position, location, status, sum(hours), count(*)
FROM shifts GROUP BY tenant_id, date, h, position, location, status;
INSERT INTO tenant_shift_starts
SELECT tenant_id, 'week', date(date, '-' || ((cast(strftime('%w', date) as integer) + 6) % 7) || ' days') AS d,
       start_hour, position, location, status, sum(hours), sum(shifts)
FROM tenant_shift_starts WHERE grain = 'day' GROUP BY tenant_id, d, start_hour, position, location, status;
INSERT INTO tenant_shift_starts
SELECT tenant_id, 'month', substr(date, 1, 7) || '-01' AS d, start_hour, position, location, status, sum(hours), sum(shifts)
FROM tenant_shift_starts WHERE grain = 'day' GROUP BY tenant_id, d, start_hour, position, location, status;
