-- Videos a tenant has added (content-addressed: id is the SHA-256 of the
-- bytes; the file lives at <data>/videos/<tenant id>/<id><ext>) and the
-- analyses run on them as background jobs.
CREATE TABLE videos (
    tenant_id  INTEGER NOT NULL REFERENCES tenants(id),
    id         TEXT NOT NULL,
    filename   TEXT NOT NULL,
    ext        TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    info       TEXT NOT NULL,
    added_by   TEXT NOT NULL,
    added_at   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE TABLE analyses (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id),
    video_id    TEXT NOT NULL,
    prompt      TEXT NOT NULL,
    blueprint   TEXT NOT NULL DEFAULT '',
    options     TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    progress    REAL NOT NULL DEFAULT 0,
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
