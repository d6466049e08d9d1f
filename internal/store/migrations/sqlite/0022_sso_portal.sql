-- A sign-in sent to the identity provider from the workforce's review
-- portal (when the tenant's SSO settings opt the workforce in): its answer
-- opens a portal session for a workforce member, never an app session.
ALTER TABLE sso_pending ADD COLUMN portal INTEGER NOT NULL DEFAULT 0;
