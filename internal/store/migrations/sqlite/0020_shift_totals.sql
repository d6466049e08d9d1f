-- Pre-aggregated shifts (the idea of Cube's pre-aggregations): hours and
-- shift counts per employee per ISO week (grain 'week', date = its Monday)
-- and per month (grain 'month', date = its first day), keyed by everything a
-- question may group or filter shifts by without looking at one shift; rows
-- with employee_id '' (no employee's id is empty) hold the whole tenant's,
-- for questions of everyone that name no employee attribute. The
-- HR import rewrites a tenant's rows in the transaction that writes its
-- shifts; Ask reads whole weeks and months of a period from here and only
-- the days at its edges from shifts. Numbered 0020, not 0011: other branches
-- add migrations in between, and two files of one number would skip one.
-- No per-employee day grain: a person works about one shift a day, so it
-- would be as large as shifts, which are already clustered by day.
-- No foreign key: like shifts, the rows are checked by the import.
CREATE TABLE shift_totals (
    tenant_id   INTEGER NOT NULL,
    grain       TEXT NOT NULL CHECK (grain IN ('week', 'month')),
    date        TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    position    TEXT NOT NULL,
    location    TEXT NOT NULL,
    status      TEXT NOT NULL,
    hours       REAL NOT NULL,
    shifts      INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, grain, date, employee_id, position, location, status)
) WITHOUT ROWID;

-- Tenants imported before this migration get their totals now, or their
-- answers would change.
INSERT INTO shift_totals
SELECT tenant_id, 'week', date(date, '-' || ((cast(strftime('%w', date) as integer) + 6) % 7) || ' days') AS d,
       employee_id, position, location, status, sum(hours), count(*)
FROM shifts GROUP BY tenant_id, d, employee_id, position, location, status;
INSERT INTO shift_totals
SELECT tenant_id, 'month', substr(date, 1, 7) || '-01' AS d, employee_id, position, location, status, sum(hours), count(*)
FROM shifts GROUP BY tenant_id, d, employee_id, position, location, status;
INSERT INTO shift_totals
SELECT tenant_id, grain, date, '', position, location, status, sum(hours), sum(shifts)
FROM shift_totals GROUP BY tenant_id, grain, date, position, location, status;
