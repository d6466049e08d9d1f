-- Fresh statistics right after an HR import: without them the planner picks
-- nested loops over tens of thousands of shifts. ANALYZE needs the owner, so
-- the application role gets this one narrow function instead.
CREATE FUNCTION scry_analyze_hr() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT AS $$
BEGIN
    ANALYZE employees;
    ANALYZE shifts;
    ANALYZE absences;
END $$;
REVOKE ALL ON FUNCTION scry_analyze_hr() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION scry_analyze_hr() TO {{app_role}};
