-- Labeling: jobs over a video's frames or an analysis's results, their
-- items (a frame or a run of frames), and tasks (one worker's lease on one
-- item). Times are fixed-width UTC text (2006-01-02T15:04:05.000Z), so
-- they compare as strings.
CREATE TABLE label_jobs (
    id               BIGSERIAL PRIMARY KEY,
    tenant_id        BIGINT NOT NULL REFERENCES tenants(id),
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('boxes', 'adjust', 'verify')),
    video_id         TEXT NOT NULL,
    analysis_id      BIGINT NOT NULL DEFAULT 0,
    team             TEXT NOT NULL,
    workers_per_item INTEGER NOT NULL CHECK (workers_per_item BETWEEN 1 AND 9),
    time_limit_s     INTEGER NOT NULL CHECK (time_limit_s > 0),
    expires_at       TEXT NOT NULL,
    instructions     TEXT NOT NULL,
    labels           TEXT NOT NULL,
    settings         TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
    -- items not yet consolidated; the answer that brings it to 0 ends the job
    open_items       INTEGER NOT NULL DEFAULT 0,
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    finished_at      TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (tenant_id, video_id) REFERENCES videos(tenant_id, id)
);
CREATE TABLE label_items (
    id           BIGSERIAL PRIMARY KEY,
    tenant_id    BIGINT NOT NULL REFERENCES tenants(id),
    job_id       BIGINT NOT NULL REFERENCES label_jobs(id),
    frames       TEXT NOT NULL,
    reason       TEXT NOT NULL,
    machine      TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('open', 'done')),
    -- live tasks (leased or submitted): a lease is granted by a conditional
    -- update of this count, which PostgreSQL re-checks on the newest row
    live         INTEGER NOT NULL DEFAULT 0,
    consolidated TEXT NOT NULL DEFAULT ''
);
CREATE INDEX label_items_job ON label_items (tenant_id, job_id, status, id);
CREATE TABLE label_tasks (
    id            BIGSERIAL PRIMARY KEY,
    tenant_id     BIGINT NOT NULL REFERENCES tenants(id),
    job_id        BIGINT NOT NULL REFERENCES label_jobs(id),
    item_id       BIGINT NOT NULL REFERENCES label_items(id),
    worker_id     BIGINT NOT NULL REFERENCES users(id),
    status        TEXT NOT NULL CHECK (status IN ('leased', 'submitted', 'released', 'skipped', 'expired')),
    leased_at     TEXT NOT NULL,
    lease_expires TEXT NOT NULL,
    finished_at   TEXT NOT NULL DEFAULT '',
    draft         TEXT NOT NULL DEFAULT '',
    answer        TEXT NOT NULL DEFAULT '',
    reason        TEXT NOT NULL DEFAULT '',
    active_ms     BIGINT NOT NULL DEFAULT 0,
    agreement     DOUBLE PRECISION,
    UNIQUE (item_id, worker_id)
);
-- At most one open task per worker, enforced by the database itself.
CREATE UNIQUE INDEX label_tasks_one_open ON label_tasks (tenant_id, worker_id) WHERE status = 'leased';
CREATE INDEX label_tasks_item ON label_tasks (item_id, status);
CREATE INDEX label_tasks_lease ON label_tasks (tenant_id, status, lease_expires);
CREATE INDEX label_tasks_job ON label_tasks (tenant_id, job_id, worker_id);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['label_jobs','label_items','label_tasks'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = nullif(current_setting(''scry.tenant_id'', true), '''')::bigint) WITH CHECK (tenant_id = nullif(current_setting(''scry.tenant_id'', true), '''')::bigint)', t);
    END LOOP;
END $$;
GRANT SELECT, INSERT, UPDATE ON label_jobs, label_items, label_tasks TO {{app_role}};
GRANT USAGE ON SEQUENCE label_jobs_id_seq, label_items_id_seq, label_tasks_id_seq TO {{app_role}};
