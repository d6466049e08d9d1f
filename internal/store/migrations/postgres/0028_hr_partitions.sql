-- Shifts and their three rollups get a partition per tenant (by list on
-- tenant_id), so that an HR import, which replaces all of a tenant's rows,
-- can load them the way a bulk load does: COPY into a table of its own
-- transaction with no index and no row-level security, indexes built after
-- the load, then the tenant's old partition dropped and the new one
-- attached. A shared table with a row per tenant cannot do that: COPY is
-- refused under row-level security (the rows went through a staging table
-- and an INSERT … SELECT), and every row paid for the shared indexes as it
-- went in. Measured at a million shifts: the staging COPY and the move
-- 2.2 s against 1.2 s for a COPY into the bare table and its index after,
-- shift_totals' 374,000 rows 1.1–1.4 s with its key against 0.5 s.
--
-- What still holds: questions read the parents, whose policies are those
-- of 0001 (the application role has no privilege on a partition itself).
-- The table an import writes into carries CHECK (tenant_id = the bound
-- tenant), written by scry_hr_stage from the transaction's scry.tenant_id:
-- the database refuses another tenant's row there as the policy would.
-- scry_hr_protect gives a partition the policy every tenant table has:
-- nothing reads a partition but through its parent (the application role
-- has no privilege on it), and if anything ever did, the same rule holds.
CREATE FUNCTION scry_hr_protect(rel text) RETURNS void LANGUAGE plpgsql
SET search_path = {{schema}}, pg_temp AS $$
BEGIN
    EXECUTE format('ALTER TABLE {{schema}}.%I ENABLE ROW LEVEL SECURITY', rel);
    EXECUTE format('ALTER TABLE {{schema}}.%I FORCE ROW LEVEL SECURITY', rel);
    EXECUTE format('CREATE POLICY tenant_isolation ON {{schema}}.%I USING (tenant_id = nullif(current_setting(''scry.tenant_id'', true), '''')::bigint) WITH CHECK (tenant_id = nullif(current_setting(''scry.tenant_id'', true), '''')::bigint)', rel);
END $$;
REVOKE ALL ON FUNCTION scry_hr_protect(text) FROM PUBLIC;

DO $$
DECLARE
    t text;
    tenant bigint;
BEGIN
    FOREACH t IN ARRAY ARRAY['shifts', 'shift_totals', 'tenant_shift_totals', 'tenant_shift_starts'] LOOP
        EXECUTE format('ALTER TABLE %I RENAME TO %I', t, t || '_shared');
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES) PARTITION BY LIST (tenant_id)', t, t || '_shared');
        PERFORM scry_hr_protect(t);
        EXECUTE format('GRANT SELECT ON %I TO {{app_role}}', t);
        -- row-level security binds even the owner: each tenant in turn
        FOR tenant IN SELECT id FROM tenants ORDER BY id LOOP
            PERFORM set_config('scry.tenant_id', tenant::text, true);
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (%s)', t || '_' || tenant, t, tenant);
            PERFORM scry_hr_protect(t || '_' || tenant);
            EXECUTE format('INSERT INTO %I SELECT * FROM %I', t, t || '_shared');
        END LOOP;
        PERFORM set_config('scry.tenant_id', '', true);
        EXECUTE format('DROP TABLE %I', t || '_shared');
    END LOOP;
END $$;

-- scry_hr_tenant is the tenant bound to the transaction (scry.tenant_id),
-- and an error naming fn when there is none: the owner functions below act
-- for that tenant only.
CREATE FUNCTION scry_hr_tenant(fn text) RETURNS bigint LANGUAGE plpgsql
SET search_path = {{schema}}, pg_temp AS $$
DECLARE
    tenant bigint := nullif(current_setting('scry.tenant_id', true), '')::bigint;
BEGIN
    IF tenant IS NULL THEN
        RAISE EXCEPTION '%: no tenant bound', fn;
    END IF;
    RETURN tenant;
END $$;
REVOKE ALL ON FUNCTION scry_hr_tenant(text) FROM PUBLIC;

-- scry_hr_parent is the table t of scry's schema if it is partitioned by
-- list on tenant_id, and an error otherwise. The owner functions below
-- take table names from the application role: a name of anything else (a
-- temporary table of the role's own, whose index could call a function of
-- its own while the owner builds it) must never reach them.
CREATE FUNCTION scry_hr_parent(t text) RETURNS oid LANGUAGE plpgsql
SET search_path = {{schema}}, pg_temp AS $$
DECLARE
    parent oid;
BEGIN
    SELECT c.oid INTO parent FROM pg_class c JOIN pg_partitioned_table p ON p.partrelid = c.oid
    WHERE c.oid = to_regclass('{{schema}}.' || quote_ident(t)) AND c.relnamespace = '{{schema}}'::regnamespace
      AND c.relkind = 'p' AND p.partstrat = 'l' AND p.partnatts = 1
      AND p.partattrs[0] = (SELECT attnum FROM pg_attribute WHERE attrelid = c.oid AND attname = 'tenant_id');
    IF parent IS NULL THEN
        RAISE EXCEPTION 'scry_hr: % is not partitioned by tenant', t;
    END IF;
    RETURN parent;
END $$;
REVOKE ALL ON FUNCTION scry_hr_parent(text) FROM PUBLIC;

-- scry_hr_stage creates, for the bound tenant, the empty table each of
-- tables (partitioned parents) will have as its partition after the
-- import: the parent's columns, NOT NULLs and CHECKs, no index, and
-- CHECK (tenant_id = the tenant). Read from the catalog rather than with
-- LIKE, which would hold a lock on the parent until the import commits and
-- keep every other tenant's import from attaching its own partition.
CREATE FUNCTION scry_hr_stage(tables text[]) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = {{schema}}, pg_temp AS $$
DECLARE
    tenant bigint := scry_hr_tenant('scry_hr_stage');
    t text;
    parent oid;
    cols text;
    checks text;
BEGIN
    FOREACH t IN ARRAY tables LOOP
        parent := scry_hr_parent(t);
        SELECT string_agg(format('%I %s%s', attname, format_type(atttypid, atttypmod), CASE WHEN attnotnull THEN ' NOT NULL' ELSE '' END), ', ' ORDER BY attnum)
        INTO cols FROM pg_attribute WHERE attrelid = parent AND attnum > 0 AND NOT attisdropped;
        SELECT coalesce(string_agg(format(', CONSTRAINT %I %s', conname, pg_get_constraintdef(oid)), ''), '')
        INTO checks FROM pg_constraint WHERE conrelid = parent AND contype = 'c';
        -- only a transaction that staged and never swapped could have left
        -- one; what it holds is no one's data
        EXECUTE format('DROP TABLE IF EXISTS {{schema}}.%I', t || '_' || tenant || '_new');
        EXECUTE format('CREATE TABLE {{schema}}.%I (%s%s, CHECK (tenant_id = %s))', t || '_' || tenant || '_new', cols, checks, tenant);
        EXECUTE format('GRANT SELECT, INSERT, TRUNCATE ON {{schema}}.%I TO {{app_role}}', t || '_' || tenant || '_new');
    END LOOP;
END $$;
REVOKE ALL ON FUNCTION scry_hr_stage(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION scry_hr_stage(text[]) TO {{app_role}};

-- scry_hr_swap gives each staged table its parent's indexes and its
-- statistics, then, holding the ACCESS EXCLUSIVE locks of every parent
-- and of the tenant's old partitions only from there to the import's
-- commit (milliseconds), drops the old partitions and attaches the new
-- ones (no scan: their CHECK already implies the partition's bound), their
-- indexes and constraints renamed to the partition's name. The locks are
-- asked for without waiting, every 5 ms: a wait would queue every
-- tenant's questions behind the import for as long as the longest reader
-- (or a VACUUM) holds a parent or an old partition. Under a steady stream
-- of short questions that leaves no free moment, so every 2 s one attempt
-- waits, for 100 ms at most (questions queue that long), and shorter than
-- deadlock_timeout, so that a question holding one table while it waits
-- for another makes this attempt time out rather than a deadlock error.
-- After lock_wait the swap gives up with lock_not_available: nothing is
-- attached, the import rolls back. Once the locks are held, the rest waits
-- for nothing more than 100 ms (lock_timeout); the import writes nothing
-- but its audit record after it.
CREATE FUNCTION scry_hr_swap(tables text[], lock_wait interval) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = {{schema}}, pg_temp AS $$
DECLARE
    tenant bigint := scry_hr_tenant('scry_hr_swap');
    t text;
    parent oid;
    staged text;
    final text;
    def text;
    locks text;
    was text := current_setting('lock_timeout');
    deadline timestamptz := clock_timestamp() + lock_wait;
    next_wait timestamptz := clock_timestamp() + interval '2 seconds';
BEGIN
    FOREACH t IN ARRAY tables LOOP
        parent := scry_hr_parent(t);
        staged := t || '_' || tenant || '_new';
        -- the table scry_hr_stage made: in scry's schema, the owner's
        IF NOT EXISTS (SELECT FROM pg_class WHERE oid = to_regclass('{{schema}}.' || quote_ident(staged))
                AND relnamespace = '{{schema}}'::regnamespace AND relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)) THEN
            RAISE EXCEPTION 'scry_hr_swap: % was not staged', t;
        END IF;
        -- keys as constraints (ATTACH takes an index for a key only if it
        -- is one), other indexes as they are defined on the parent
        FOR def IN SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = parent AND contype IN ('p', 'u') LOOP
            EXECUTE format('ALTER TABLE {{schema}}.%I ADD %s', staged, def);
        END LOOP;
        FOR def IN SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i
            WHERE i.indrelid = parent AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid) LOOP
            EXECUTE regexp_replace(def, '^CREATE (UNIQUE )?INDEX \S+ ON ONLY \S+ ', format('CREATE \1INDEX ON {{schema}}.%I ', staged));
        END LOOP;
        EXECUTE format('ANALYZE {{schema}}.%I', staged);
        EXECUTE format('REVOKE ALL ON {{schema}}.%I FROM {{app_role}}', staged);
        PERFORM scry_hr_protect(staged);
    END LOOP;
    SELECT string_agg(x, ', ') INTO locks FROM (
        SELECT 'ONLY {{schema}}.' || quote_ident(p) FROM unnest(tables) p
        UNION ALL
        SELECT '{{schema}}.' || quote_ident(p || '_' || tenant) FROM unnest(tables) p
        WHERE to_regclass('{{schema}}.' || quote_ident(p || '_' || tenant)) IS NOT NULL) l(x);
    LOOP
        BEGIN
            IF clock_timestamp() >= next_wait THEN
                next_wait := clock_timestamp() + interval '2 seconds';
                PERFORM set_config('lock_timeout', '100ms', true);
                EXECUTE 'LOCK TABLE ' || locks || ' IN ACCESS EXCLUSIVE MODE';
            ELSE
                EXECUTE 'LOCK TABLE ' || locks || ' IN ACCESS EXCLUSIVE MODE NOWAIT';
            END IF;
            EXIT;
        EXCEPTION WHEN lock_not_available THEN
            -- the block's rollback has undone its lock_timeout and any lock
            IF clock_timestamp() >= deadline THEN
                RAISE EXCEPTION 'scry_hr_swap: the shared HR tables stayed busy for %', lock_wait USING ERRCODE = 'lock_not_available';
            END IF;
            PERFORM pg_sleep(0.005);
        END;
    END LOOP;
    PERFORM set_config('lock_timeout', '100ms', true);
    FOREACH t IN ARRAY tables LOOP
        staged := t || '_' || tenant || '_new';
        final := t || '_' || tenant;
        EXECUTE format('DROP TABLE IF EXISTS {{schema}}.%I', final);
        EXECUTE format('ALTER TABLE {{schema}}.%I RENAME TO %I', staged, final);
        -- an index that backs a key renames its constraint with it
        FOR def IN SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid = to_regclass('{{schema}}.' || quote_ident(final)) LOOP
            EXECUTE format('ALTER INDEX {{schema}}.%I RENAME TO %I', def, replace(def, staged, final));
        END LOOP;
        FOR def IN SELECT conname FROM pg_constraint WHERE conrelid = to_regclass('{{schema}}.' || quote_ident(final))
            AND contype = 'c' AND conname LIKE staged || '%' LOOP
            EXECUTE format('ALTER TABLE {{schema}}.%I RENAME CONSTRAINT %I TO %I', final, def, replace(def, staged, final));
        END LOOP;
        EXECUTE format('ALTER TABLE {{schema}}.%I ATTACH PARTITION {{schema}}.%I FOR VALUES IN (%s)', t, final, tenant);
    END LOOP;
    PERFORM set_config('lock_timeout', was, true);
END $$;
REVOKE ALL ON FUNCTION scry_hr_swap(text[], interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION scry_hr_swap(text[], interval) TO {{app_role}};

-- The shifts and rollups are analysed as their new partitions, by
-- scry_hr_swap: analysing a parent would sample every tenant's rows.
CREATE OR REPLACE FUNCTION scry_analyze_hr() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = {{schema}}, pg_temp AS $$
BEGIN
    ANALYZE employees;
    ANALYZE absences;
END $$;

-- Every SECURITY DEFINER function resolves names in scry's schema and only
-- then in pg_temp (those above, and this older one): with the default path pg_temp came first, and the
-- application role, which may create temporary tables, could have put a
-- table of its own in the way of a name the function uses.
ALTER FUNCTION scry_bump_hr_version() SET search_path = {{schema}}, pg_temp;
