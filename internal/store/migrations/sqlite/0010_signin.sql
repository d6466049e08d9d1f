-- Each TOTP time step is accepted once per user: the primary key makes the
-- second of two racing submissions of one code fail in the database.
CREATE TABLE totp_used_steps (
    tenant_id INTEGER NOT NULL REFERENCES tenants(id),
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    step      BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, user_id, step)
);
-- Workforce accounts now sign in only through their portal, whose finished
-- sessions are at stage 'portal'; sessions they hold from before (possibly
-- opened at the main sign-in, past MFA) end here.
DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE role = 'worker');
