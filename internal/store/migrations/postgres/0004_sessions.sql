-- Sign-in sessions and API tokens: only a SHA-256 of the secret is stored.
CREATE TABLE sessions (
    tenant_id    BIGINT NOT NULL REFERENCES tenants(id),
    id_hash      TEXT NOT NULL,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id_hash)
);
CREATE INDEX sessions_user ON sessions(tenant_id, user_id);

CREATE TABLE api_tokens (
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id),
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    hash        TEXT NOT NULL UNIQUE,
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    expires_at  TEXT,
    revoked_at  TEXT
);

-- What each user asked, for their history.
CREATE TABLE ask_history (
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id),
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    question   TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX ask_history_user ON ask_history(tenant_id, user_id, id);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['sessions','api_tokens','ask_history'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = nullif(current_setting(''scry.tenant_id'', true), '''')::bigint) WITH CHECK (tenant_id = nullif(current_setting(''scry.tenant_id'', true), '''')::bigint)', t);
    END LOOP;
END $$;
GRANT SELECT, INSERT, UPDATE, DELETE ON sessions, api_tokens, ask_history TO {{app_role}};
GRANT USAGE ON ALL SEQUENCES IN SCHEMA {{schema}} TO {{app_role}};
