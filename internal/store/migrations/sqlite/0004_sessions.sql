-- Sign-in sessions and API tokens: only a SHA-256 of the secret is stored.
CREATE TABLE sessions (
    tenant_id    INTEGER NOT NULL REFERENCES tenants(id),
    id_hash      TEXT NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id_hash)
);
CREATE INDEX sessions_user ON sessions(tenant_id, user_id);

CREATE TABLE api_tokens (
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id),
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    hash        TEXT NOT NULL UNIQUE,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    expires_at  TEXT,
    revoked_at  TEXT
);

-- What each user asked, for their history.
CREATE TABLE ask_history (
    tenant_id  INTEGER NOT NULL REFERENCES tenants(id),
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    question   TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX ask_history_user ON ask_history(tenant_id, user_id, id);
