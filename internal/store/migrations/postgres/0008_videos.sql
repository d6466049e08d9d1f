-- Videos a tenant has added (content-addressed: id is the SHA-256 of the
-- bytes; the file lives at <data>/videos/<tenant id>/<id><ext>) and the
-- analyses run on them as background jobs. River's queue tables (created by
-- river's own migrations just before these) are installation-wide: a job
-- carries its tenant, and the worker opens a tenant-bound transaction.
CREATE TABLE videos (
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id),
    id         TEXT NOT NULL,
    filename   TEXT NOT NULL,
    ext        TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    info       TEXT NOT NULL,
    added_by   TEXT NOT NULL,
    added_at   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE TABLE analyses (
    id          BIGSERIAL PRIMARY KEY,
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id),
    video_id    TEXT NOT NULL,
    prompt      TEXT NOT NULL,
    blueprint   TEXT NOT NULL DEFAULT '',
    options     TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    progress    DOUBLE PRECISION NOT NULL DEFAULT 0,
    error_code  TEXT NOT NULL DEFAULT '',
    error       TEXT NOT NULL DEFAULT '',
    result      TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    started_at  TEXT NOT NULL DEFAULT '',
    finished_at TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (tenant_id, video_id) REFERENCES videos(tenant_id, id)
);
CREATE INDEX analyses_video ON analyses (tenant_id, video_id, id);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['videos','analyses'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = nullif(current_setting(''scry.tenant_id'', true), '''')::bigint) WITH CHECK (tenant_id = nullif(current_setting(''scry.tenant_id'', true), '''')::bigint)', t);
    END LOOP;
END $$;
GRANT SELECT, INSERT, UPDATE ON videos, analyses TO {{app_role}};
GRANT USAGE ON SEQUENCE analyses_id_seq TO {{app_role}};
GRANT SELECT, INSERT, UPDATE, DELETE ON river_job, river_leader, river_queue, river_notification TO {{app_role}};
GRANT SELECT ON river_migration TO {{app_role}};
GRANT USAGE ON SEQUENCE river_job_id_seq, river_notification_id_seq TO {{app_role}};
