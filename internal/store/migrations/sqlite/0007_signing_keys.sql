-- Ed25519 keys that sign the JWTs given to app clients, one set per tenant;
-- their public halves are published at /t/<tenant>/.well-known/jwks.json.
CREATE TABLE signing_keys (
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id),
    kid         TEXT NOT NULL,
    private_key TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, kid)
);
