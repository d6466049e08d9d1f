CREATE TABLE tenants (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    tenant_id     BIGINT NOT NULL REFERENCES tenants(id),
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         TEXT NOT NULL,
    email_lower   TEXT NOT NULL,
    name          TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('admin','hr','manager','employee','worker')),
    employee_id   TEXT,
    status        TEXT NOT NULL DEFAULT 'active',
    password_hash TEXT,
    password_set_at TEXT,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    mfa_secret    TEXT,
    mfa_enrolled_at TEXT,
    invited_at    TEXT,
    invite_expires_at TEXT,
    created_at    TEXT NOT NULL,
    UNIQUE (tenant_id, email_lower)
);

CREATE TABLE employees (
    tenant_id     BIGINT NOT NULL REFERENCES tenants(id),
    employee_id   TEXT NOT NULL,
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    email         TEXT NOT NULL,
    gender        TEXT NOT NULL,
    birth_date    DATE NOT NULL,
    hire_date     DATE NOT NULL,
    end_date      DATE,
    department    TEXT NOT NULL,
    position      TEXT NOT NULL,
    contract_type TEXT NOT NULL,
    weekly_hours  INTEGER NOT NULL,
    manager_id    TEXT,
    location      TEXT NOT NULL,
    hourly_wage   DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (tenant_id, employee_id),
    FOREIGN KEY (tenant_id, manager_id) REFERENCES employees(tenant_id, employee_id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX employees_manager ON employees(tenant_id, manager_id);

-- shifts and absences reach tenants through their employee (one foreign-key
-- check per row instead of two: these are the big tables).
CREATE TABLE shifts (
    tenant_id     BIGINT NOT NULL,
    shift_id      TEXT NOT NULL,
    employee_id   TEXT NOT NULL,
    date          DATE NOT NULL,
    start_time    TEXT NOT NULL,
    end_time      TEXT NOT NULL,
    break_minutes INTEGER NOT NULL,
    hours         DOUBLE PRECISION NOT NULL,
    position      TEXT NOT NULL,
    location      TEXT NOT NULL,
    status        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, shift_id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees(tenant_id, employee_id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX shifts_date ON shifts(tenant_id, date);
CREATE INDEX shifts_employee ON shifts(tenant_id, employee_id, date);

CREATE TABLE absences (
    tenant_id     BIGINT NOT NULL,
    absence_id    TEXT NOT NULL,
    employee_id   TEXT NOT NULL,
    type          TEXT NOT NULL,
    start_date    DATE NOT NULL,
    end_date      DATE NOT NULL,
    days          INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, absence_id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees(tenant_id, employee_id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX absences_employee ON absences(tenant_id, employee_id);

CREATE TABLE hr_vocabulary (
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    field     TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, field, value)
);

CREATE TABLE audit_records (
    seq      BIGINT PRIMARY KEY,
    time     TEXT NOT NULL,
    tenant   TEXT NOT NULL,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    target   TEXT NOT NULL,
    outcome  TEXT NOT NULL,
    details  TEXT NOT NULL
);
CREATE INDEX audit_records_tenant ON audit_records(tenant, seq);
CREATE TABLE audit_hashes (
    idx  BIGINT PRIMARY KEY,
    hash BYTEA NOT NULL
);

-- Row-level security: a tenant-owned row is visible and writable only while
-- the transaction has set scry.tenant_id to its tenant. No setting, no rows.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['users','employees','shifts','absences','hr_vocabulary'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = nullif(current_setting(''scry.tenant_id'', true), '''')::bigint) WITH CHECK (tenant_id = nullif(current_setting(''scry.tenant_id'', true), '''')::bigint)', t);
    END LOOP;
END $$;

-- The application role reads and writes rows; it never owns tables, and the
-- audit log is insert-only for it.
GRANT USAGE ON SCHEMA {{schema}} TO {{app_role}};
GRANT SELECT, INSERT, UPDATE, DELETE ON users, employees, shifts, absences, hr_vocabulary TO {{app_role}};
GRANT SELECT, INSERT, UPDATE ON tenants TO {{app_role}};
GRANT SELECT, INSERT ON audit_records, audit_hashes TO {{app_role}};
GRANT USAGE ON ALL SEQUENCES IN SCHEMA {{schema}} TO {{app_role}};
