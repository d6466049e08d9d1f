-- Portal sign-in: a session passes through stages (a forced password
-- change, TOTP enrollment or code) before it is full; TOTP codes are used
-- once; failures are counted per account and per source address.
ALTER TABLE sessions ADD COLUMN stage TEXT NOT NULL DEFAULT 'full';
ALTER TABLE users ADD COLUMN mfa_last_step BIGINT NOT NULL DEFAULT 0;
CREATE TABLE login_failures (
    tenant_id    INTEGER NOT NULL REFERENCES tenants(id),
    key          TEXT NOT NULL,
    failures     INTEGER NOT NULL,
    locked_until TEXT NOT NULL,
    PRIMARY KEY (tenant_id, key)
);
