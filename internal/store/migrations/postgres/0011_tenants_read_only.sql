-- The application role creates and reads tenants but never rewrites one:
-- tenants is the one table without row-level security (slugs are looked up
-- before a tenant is known), so an UPDATE grant let any request rename or
-- re-slug every tenant. The one per-tenant value the application changes,
-- hr_version (bumped by each HR import), goes through a function that can
-- only touch the transaction's own tenant.
REVOKE UPDATE ON tenants FROM {{app_role}};
CREATE FUNCTION scry_bump_hr_version() RETURNS void LANGUAGE sql SECURITY DEFINER
SET search_path FROM CURRENT AS $$
    UPDATE tenants SET hr_version = hr_version + 1
    WHERE id = nullif(current_setting('scry.tenant_id', true), '')::bigint
$$;
REVOKE ALL ON FUNCTION scry_bump_hr_version() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION scry_bump_hr_version() TO {{app_role}};
