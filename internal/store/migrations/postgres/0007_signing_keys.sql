-- Ed25519 keys that sign the JWTs given to app clients, one set per tenant;
-- their public halves are published at /t/<tenant>/.well-known/jwks.json.
CREATE TABLE signing_keys (
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id),
    kid         TEXT NOT NULL,
    private_key TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, kid)
);
ALTER TABLE signing_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE signing_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON signing_keys USING (tenant_id = nullif(current_setting('scry.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('scry.tenant_id', true), '')::bigint);
GRANT SELECT, INSERT, DELETE ON signing_keys TO {{app_role}};
