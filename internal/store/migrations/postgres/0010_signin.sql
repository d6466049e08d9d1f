-- Each TOTP time step is accepted once per user: the primary key makes the
-- second of two racing submissions of one code fail in the database.
CREATE TABLE totp_used_steps (
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    user_id   BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    step      BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, user_id, step)
);
ALTER TABLE totp_used_steps ENABLE ROW LEVEL SECURITY;
ALTER TABLE totp_used_steps FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON totp_used_steps USING (tenant_id = nullif(current_setting('scry.tenant_id', true), '')::bigint) WITH CHECK (tenant_id = nullif(current_setting('scry.tenant_id', true), '')::bigint);
GRANT SELECT, INSERT, DELETE ON totp_used_steps TO {{app_role}};
-- Workforce accounts now sign in only through their portal, whose finished
-- sessions are at stage 'portal'; sessions they hold from before (possibly
-- opened at the main sign-in, past MFA) end here.
-- (Row-level security binds even the owner: bind to each tenant in turn.)
DO $$
DECLARE t bigint;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('scry.tenant_id', t::text, true);
        DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE role = 'worker');
    END LOOP;
    PERFORM set_config('scry.tenant_id', '', true);
END $$;
