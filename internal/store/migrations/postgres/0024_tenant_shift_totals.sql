-- The tenant-wide rollup gets a table of its own (it was shift_totals' rows
-- with employee_id ''), plus a day grain: a question of everyone that names
-- no employee attribute reads only these few rows — per day, ISO week
-- (date = its Monday) or month (its first day), shift position, location
-- and status — instead of seeking them among every employee's rows, and the
-- days at the edges of its period no longer read single shifts. A day row
-- per employee would be as large as shifts, so shift_totals keeps weeks
-- and months. Written by the HR import like shift_totals; same tenant_id,
-- same row-level security.
CREATE TABLE tenant_shift_totals (
    tenant_id BIGINT NOT NULL,
    grain     TEXT NOT NULL CHECK (grain IN ('day', 'week', 'month')),
    date      DATE NOT NULL,
    position  TEXT NOT NULL,
    location  TEXT NOT NULL,
    status    TEXT NOT NULL,
    hours     DOUBLE PRECISION NOT NULL,
    shifts    INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, grain, date, position, location, status)
);
ALTER TABLE tenant_shift_totals ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_shift_totals FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_shift_totals USING (tenant_id = nullif(current_setting('scry.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('scry.tenant_id', true), '')::bigint);
GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_shift_totals TO {{app_role}};

CREATE OR REPLACE FUNCTION scry_analyze_hr() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT AS $$
BEGIN
    ANALYZE employees;
    ANALYZE shifts;
    ANALYZE absences;
    ANALYZE shift_totals;
    ANALYZE tenant_shift_totals;
END $$;

-- Row-level security binds even the owner: bind to each tenant in turn.
DO $$
DECLARE t bigint;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('scry.tenant_id', t::text, true);
        INSERT INTO tenant_shift_totals
        SELECT tenant_id, grain, date, position, location, status, hours, shifts FROM shift_totals WHERE employee_id = '';
        INSERT INTO tenant_shift_totals
        SELECT tenant_id, 'day', date, position, location, status, sum(hours), count(*)
        FROM shifts GROUP BY tenant_id, date, position, location, status;
        DELETE FROM shift_totals WHERE employee_id = '';
    END LOOP;
    PERFORM set_config('scry.tenant_id', '', true);
END $$;
