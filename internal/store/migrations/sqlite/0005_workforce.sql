-- A tenant's private workforce: settings as applied from its file, work
-- teams, their members (users with role worker) and app clients.
CREATE TABLE workforce (
    tenant_id  INTEGER PRIMARY KEY REFERENCES tenants(id),
    name       TEXT NOT NULL,
    settings   TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE work_teams (
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id),
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, name)
);
CREATE TABLE team_members (
    tenant_id INTEGER NOT NULL REFERENCES tenants(id),
    team      TEXT NOT NULL,
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (tenant_id, team, user_id),
    FOREIGN KEY (tenant_id, team) REFERENCES work_teams(tenant_id, name) ON DELETE CASCADE
);
CREATE TABLE app_clients (
    tenant_id     INTEGER NOT NULL REFERENCES tenants(id),
    name          TEXT NOT NULL,
    callback_urls TEXT NOT NULL,
    PRIMARY KEY (tenant_id, name)
);
