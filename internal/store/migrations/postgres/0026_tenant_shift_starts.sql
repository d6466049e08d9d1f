-- The tenant's shifts by start hour: tenant_shift_totals' rows split by
-- the hour a shift starts ('HH', the first two characters of its
-- start_time), per day, ISO week (date = its Monday) and month (its first
-- day). A question of everyone grouped by start hour ("Number of shifts by
-- weekday and start hour") read every shift of its period; it reads these
-- rows now. A table of its own rather than a column of
-- tenant_shift_totals, whose rows it would multiply for every question that
-- does not ask for the hour. Written by the HR import in the transaction
-- that writes the shifts, like the other rollups; same tenant_id, same
-- row-level security.
CREATE TABLE tenant_shift_starts (
    tenant_id  BIGINT NOT NULL,
    grain      TEXT NOT NULL CHECK (grain IN ('day', 'week', 'month')),
    date       DATE NOT NULL,
    start_hour TEXT NOT NULL,
    position   TEXT NOT NULL,
    location   TEXT NOT NULL,
    status     TEXT NOT NULL,
    hours      DOUBLE PRECISION NOT NULL,
    shifts     INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, grain, date, start_hour, position, location, status)
);
ALTER TABLE tenant_shift_starts ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_shift_starts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_shift_starts USING (tenant_id = nullif(current_setting('scry.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('scry.tenant_id', true), '')::bigint);
GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_shift_starts TO {{app_role}};

CREATE OR REPLACE FUNCTION scry_analyze_hr() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT AS $$
BEGIN
    ANALYZE employees;
    ANALYZE shifts;
    ANALYZE absences;
    ANALYZE shift_totals;
    ANALYZE tenant_shift_totals;
    ANALYZE tenant_shift_starts;
END $$;

-- Tenants imported before: their rows now, or their answers would change.
-- Weeks and months are summed from the days, as the import sums them.
-- Row-level security binds even the owner: bind to each tenant in turn.
DO $$
DECLARE t bigint;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('scry.tenant_id', t::text, true);
        INSERT INTO tenant_shift_starts
        SELECT tenant_id, 'day', date, substr(start_time, 1, 2) AS h, position, location, status, sum(hours), count(*)
        FROM shifts GROUP BY tenant_id, date, h, position, location, status;
        INSERT INTO tenant_shift_starts
        SELECT tenant_id, 'week', date_trunc('week', date)::date AS d, start_hour, position, location, status, sum(hours), sum(shifts)
        FROM tenant_shift_starts WHERE grain = 'day' GROUP BY tenant_id, d, start_hour, position, location, status;
        INSERT INTO tenant_shift_starts
        SELECT tenant_id, 'month', date_trunc('month', date)::date AS d, start_hour, position, location, status, sum(hours), sum(shifts)
        FROM tenant_shift_starts WHERE grain = 'day' GROUP BY tenant_id, d, start_hour, position, location, status;
    END LOOP;
    PERFORM set_config('scry.tenant_id', '', true);
END $$;
