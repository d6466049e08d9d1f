-- Single sign-on (issue 17). A tenant's identity provider: its settings as
-- JSON (no secrets), its secrets sealed with a key kept outside the
-- database (AES-256-GCM bound to the tenant), and whether its people may
-- still sign in with a password.
CREATE TABLE sso_configs (
    tenant_id       INTEGER PRIMARY KEY REFERENCES tenants(id),
    config          TEXT NOT NULL,
    secrets         TEXT NOT NULL DEFAULT '',
    password_signin INTEGER NOT NULL DEFAULT 1,
    updated_at      TEXT NOT NULL
);
-- A sign-in sent to the identity provider and not yet back: the state (or
-- SAML request id) is stored hashed, with the OIDC nonce and PKCE verifier
-- and the hash of the browser's binding cookie, and is consumed once.
CREATE TABLE sso_pending (
    tenant_id    INTEGER NOT NULL REFERENCES tenants(id),
    id_hash      TEXT NOT NULL,
    protocol     TEXT NOT NULL,
    request_id   TEXT NOT NULL DEFAULT '',
    nonce        TEXT NOT NULL DEFAULT '',
    verifier     TEXT NOT NULL DEFAULT '',
    browser_hash TEXT NOT NULL DEFAULT '',
    expires_at   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id_hash)
);
-- Assertion ids (SAML) and ID-token nonces (OIDC) already accepted: a
-- replay finds its id here and is refused.
CREATE TABLE sso_used (
    tenant_id  INTEGER NOT NULL REFERENCES tenants(id),
    id         TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
-- A session opened through the identity provider ends when its token or
-- assertion does (expires_at), whatever the session policy allows.
ALTER TABLE sessions ADD COLUMN expires_at TEXT;
ALTER TABLE sessions ADD COLUMN via TEXT NOT NULL DEFAULT 'password';
