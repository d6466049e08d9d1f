-- Pre-aggregated shifts (the idea of Cube's pre-aggregations): hours and
-- shift counts per employee per ISO week (grain 'week', date = its Monday)
-- and per month (grain 'month', date = its first day), keyed by everything a
-- question may group or filter shifts by without looking at one shift; rows
-- with employee_id '' (no employee's id is empty) hold the whole tenant's,
-- for questions of everyone that name no employee attribute. The
-- HR import rewrites a tenant's rows in the transaction that writes its
-- shifts; Ask reads whole weeks and months of a period from here and only
-- the days at its edges from shifts. Numbered 0020, not 0012: other branches
-- add migrations in between, and two files of one number would skip one.
-- Same tenant_id, same row-level security as shifts.
CREATE TABLE shift_totals (
    tenant_id   BIGINT NOT NULL,
    grain       TEXT NOT NULL CHECK (grain IN ('week', 'month')),
    date        DATE NOT NULL,
    employee_id TEXT NOT NULL,
    position    TEXT NOT NULL,
    location    TEXT NOT NULL,
    status      TEXT NOT NULL,
    hours       DOUBLE PRECISION NOT NULL,
    shifts      INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, grain, date, employee_id, position, location, status)
);
ALTER TABLE shift_totals ENABLE ROW LEVEL SECURITY;
ALTER TABLE shift_totals FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON shift_totals USING (tenant_id = nullif(current_setting('scry.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('scry.tenant_id', true), '')::bigint);
GRANT SELECT, INSERT, UPDATE, DELETE ON shift_totals TO {{app_role}};

CREATE OR REPLACE FUNCTION scry_analyze_hr() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT AS $$
BEGIN
    ANALYZE employees;
    ANALYZE shifts;
    ANALYZE absences;
    ANALYZE shift_totals;
END $$;

-- Tenants imported before this migration get their totals now, or their
-- answers would change. (Row-level security binds even the owner: bind to
-- each tenant in turn.)
DO $$
DECLARE t bigint;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('scry.tenant_id', t::text, true);
        INSERT INTO shift_totals
        SELECT tenant_id, 'week', date_trunc('week', date)::date AS d, employee_id, position, location, status, sum(hours), count(*)
        FROM shifts GROUP BY tenant_id, d, employee_id, position, location, status;
        INSERT INTO shift_totals
        SELECT tenant_id, 'month', date_trunc('month', date)::date AS d, employee_id, position, location, status, sum(hours), count(*)
        FROM shifts GROUP BY tenant_id, d, employee_id, position, location, status;
        INSERT INTO shift_totals
        SELECT tenant_id, grain, date, '', position, location, status, sum(hours), sum(shifts)
        FROM shift_totals GROUP BY tenant_id, grain, date, position, location, status;
    END LOOP;
    PERFORM set_config('scry.tenant_id', '', true);
END $$;
