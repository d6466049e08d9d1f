-- Tenants are global; everything a tenant owns carries tenant_id.
CREATE TABLE tenants (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Users of the product. Password, MFA and invitation columns are filled by
-- the sign-in and workforce features.
CREATE TABLE users (
    tenant_id     INTEGER NOT NULL REFERENCES tenants(id),
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
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
    tenant_id     INTEGER NOT NULL REFERENCES tenants(id),
    employee_id   TEXT NOT NULL,
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    email         TEXT NOT NULL,
    gender        TEXT NOT NULL,
    birth_date    TEXT NOT NULL,
    hire_date     TEXT NOT NULL,
    end_date      TEXT,
    department    TEXT NOT NULL,
    position      TEXT NOT NULL,
    contract_type TEXT NOT NULL,
    weekly_hours  INTEGER NOT NULL,
    manager_id    TEXT,
    location      TEXT NOT NULL,
    hourly_wage   REAL NOT NULL,
    PRIMARY KEY (tenant_id, employee_id),
    FOREIGN KEY (tenant_id, manager_id) REFERENCES employees(tenant_id, employee_id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX employees_manager ON employees(tenant_id, manager_id);

-- shifts and absences reach tenants through their employee (one foreign-key
-- check per row instead of two: these are the big tables).
CREATE TABLE shifts (
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
    PRIMARY KEY (tenant_id, date, start_time, shift_id),
    UNIQUE (tenant_id, shift_id)
    -- No foreign key to employees here: the import checks every employee_id
    -- before writing, and an enforced key would need an index in employee
    -- order, whose random inserts cost half of a large import.
) WITHOUT ROWID;

CREATE TABLE absences (
    tenant_id     INTEGER NOT NULL,
    absence_id    TEXT NOT NULL,
    employee_id   TEXT NOT NULL,
    type          TEXT NOT NULL,
    start_date    TEXT NOT NULL,
    end_date      TEXT NOT NULL,
    days          INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, absence_id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees(tenant_id, employee_id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX absences_employee ON absences(tenant_id, employee_id);

-- Values learned from a tenant's data at import (departments, positions,
-- locations, names) so that questions can be linked to them.
CREATE TABLE hr_vocabulary (
    tenant_id INTEGER NOT NULL REFERENCES tenants(id),
    field     TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, field, value)
);

-- The audit log is one append-only Merkle log for the whole installation;
-- tenant is a label on each record, not a row-security key.
CREATE TABLE audit_records (
    seq      INTEGER PRIMARY KEY,
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
    idx  INTEGER PRIMARY KEY,
    hash BLOB NOT NULL
);
