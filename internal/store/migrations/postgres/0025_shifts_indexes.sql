-- Shifts keep one index on PostgreSQL, (tenant_id, date), as on SQLite,
-- whose shifts are clustered by day and have no employee index: answers
-- read whole weeks and months of a person from shift_totals and only the
-- days at a period's edges from shifts, which the date index finds. The
-- employee index (random inserts: 19 of the 33 s an INSERT of a million
-- shifts took here) and the primary key on (tenant_id, shift_id) (5 s)
-- were most of a large import. Shift ids stay unique: the HR import is the
-- only writer of shifts and refuses a file that reuses one (checked for
-- every id, see internal/hr/idset.go), all-or-nothing.
DROP INDEX IF EXISTS shifts_employee;
ALTER TABLE shifts DROP CONSTRAINT IF EXISTS shifts_pkey;
