-- Portal sign-in: a session passes through stages (a forced password
-- change, TOTP enrollment or code) before it is full; TOTP codes are used
-- once; failures are counted per account and per source address.
ALTER TABLE sessions ADD COLUMN stage TEXT NOT NULL DEFAULT 'full';
ALTER TABLE users ADD COLUMN mfa_last_step BIGINT NOT NULL DEFAULT 0;
CREATE TABLE login_failures (
    tenant_id    BIGINT NOT NULL REFERENCES tenants(id),
    key          TEXT NOT NULL,
    failures     INTEGER NOT NULL,
    locked_until TEXT NOT NULL,
    PRIMARY KEY (tenant_id, key)
);
ALTER TABLE login_failures ENABLE ROW LEVEL SECURITY;
ALTER TABLE login_failures FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON login_failures USING (tenant_id = nullif(current_setting('scry.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('scry.tenant_id', true), '')::bigint);
GRANT SELECT, INSERT, UPDATE, DELETE ON login_failures TO {{app_role}};
