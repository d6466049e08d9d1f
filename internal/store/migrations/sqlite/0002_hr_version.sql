-- Bumped by every HR import, so that caches of a tenant's vocabulary (the
-- question parser) know when to rebuild.
ALTER TABLE tenants ADD COLUMN hr_version INTEGER NOT NULL DEFAULT 0;
