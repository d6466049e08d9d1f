-- Shifts keep one index on SQLite, their clustered key (tenant_id, date,
-- start_time, shift_id), as PostgreSQL keeps one since migration 0025. The
-- UNIQUE (tenant_id, shift_id) of 0001 was a second B-tree of every shift
-- that nothing reads (no question looks a shift up by its id): 34 MB of a
-- 155 MB database at a million shifts, written once by the import and once
-- more by the WAL checkpoint. Shift ids stay unique: the HR import is the
-- only writer of shifts and refuses a file that reuses one (checked for
-- every id, see internal/hr/idset.go), all-or-nothing.
-- SQLite cannot drop a table constraint: the table is rebuilt.
CREATE TABLE shifts_0027 (
    tenant_id     INTEGER NOT NULL,
    shift_id      TEXT NOT NULL,
    employee_id   TEXT NOT NULL,
    date          TEXT NOT NULL,
    start_time    TEXT NOT NULL,
    end_time      TEXT NOT NULL,
    break_minutes INTEGER NOT NULL,
    hours         REAL NOT NULL,
    position      TEXT NOT NULL,
    location      TEXT NOT NULL,
    status        TEXT NOT NULL,
    -- clustered by day: questions aggregate date ranges, which then read
    -- consecutive pages instead of one lookup per shift
    PRIMARY KEY (tenant_id, date, start_time, shift_id)
    -- No foreign key to employees: the import checks every employee_id
    -- before writing, and an enforced key would need an index in employee
    -- order, whose random inserts cost half of a large import.
) WITHOUT ROWID;
INSERT INTO shifts_0027 SELECT tenant_id, shift_id, employee_id, date, start_time, end_time,
    break_minutes, hours, position, location, status FROM shifts;
DROP TABLE shifts;
ALTER TABLE shifts_0027 RENAME TO shifts;
