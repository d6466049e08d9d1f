-- Shifts reach employees without a foreign key, as on SQLite: the HR import
-- checks every shift's employee_id before writing (and the table is written
-- only by the import, all-or-nothing), while the deferred key queued a check
-- per shift until commit, a large part of a million-shift import.
-- Row-level security, which is what keeps tenants apart, is unchanged.
ALTER TABLE shifts DROP CONSTRAINT IF EXISTS shifts_tenant_id_employee_id_fkey;
