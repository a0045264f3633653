DO $weir_swap$
DECLARE
  old regclass;
  old_kind "char";
  locked text[] := '{}';
  lock_names text[];
  view_name text;
  deps jsonb;
  dropped text[] := '{}'; -- the views left dropped, names always quoted
  own jsonb;
  col_comments jsonb;
  v jsonb;
  stmt text;
BEGIN
  -- Swaps whose relations share a dependent view take turns: each holds,
  -- until it ends, an advisory lock on the name of its relation and of
  -- every view it drops and recreates, taken in name order so that two
  -- swaps never wait on each other. One that waited reads the views again,
  -- as the swap before it left them.
  LOOP
    old := to_regclass('"Sales Data"."order"');
    EXIT WHEN old IS NULL;
    SELECT array_agg(x.name ORDER BY x.name) INTO lock_names FROM (
        SELECT format('%I.%I', n.nspname, c.relname) AS name
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = old
      UNION
        SELECT dv.name FROM (WITH RECURSIVE dep(oid, depth) AS (
    SELECT old::oid, 0
  UNION
    SELECT r.ev_class, dep.depth + 1
    FROM dep
    JOIN pg_depend d ON d.refobjid = dep.oid AND d.refclassid = 'pg_class'::regclass
      AND d.classid = 'pg_rewrite'::regclass
    JOIN pg_rewrite r ON r.oid = d.objid
    WHERE r.ev_class <> dep.oid AND r.rulename = '_RETURN'
  )
  SELECT dep.oid, max(dep.depth) AS depth, format('%I.%I', n.nspname, c.relname) AS name, c.relkind,
    '"' || replace(n.nspname, '"', '""') || '"."' || replace(c.relname, '"', '""') || '"' AS quoted
  FROM dep JOIN pg_class c ON c.oid = dep.oid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE dep.depth > 0 AND c.relkind IN ('v', 'm')
  GROUP BY dep.oid, n.nspname, c.relname, c.relkind) AS dv
    ) AS x WHERE x.name <> ALL (locked);
    EXIT WHEN lock_names IS NULL;
    FOREACH view_name IN ARRAY lock_names LOOP
      PERFORM pg_advisory_xact_lock(2003134838, hashtext(view_name));
    END LOOP;
    locked := locked || lock_names;
  END LOOP;

  IF old IS NOT NULL THEN
    SELECT c.relkind INTO old_kind FROM pg_class c WHERE c.oid = old;
    -- Lock the views, then old, readers before what they read, in the
    -- order a query of a view locks them; DROP's own order (old, then its
    -- views) would deadlock with a reader of a view. (A materialized view
    -- cannot be locked, nor does a reader of one lock what it reads.)
    FOR view_name IN SELECT dv.name FROM (WITH RECURSIVE dep(oid, depth) AS (
    SELECT old::oid, 0
  UNION
    SELECT r.ev_class, dep.depth + 1
    FROM dep
    JOIN pg_depend d ON d.refobjid = dep.oid AND d.refclassid = 'pg_class'::regclass
      AND d.classid = 'pg_rewrite'::regclass
    JOIN pg_rewrite r ON r.oid = d.objid
    WHERE r.ev_class <> dep.oid AND r.rulename = '_RETURN'
  )
  SELECT dep.oid, max(dep.depth) AS depth, format('%I.%I', n.nspname, c.relname) AS name, c.relkind,
    '"' || replace(n.nspname, '"', '""') || '"."' || replace(c.relname, '"', '""') || '"' AS quoted
  FROM dep JOIN pg_class c ON c.oid = dep.oid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE dep.depth > 0 AND c.relkind IN ('v', 'm')
  GROUP BY dep.oid, n.nspname, c.relname, c.relkind) AS dv WHERE dv.relkind = 'v' ORDER BY dv.depth DESC, dv.name LOOP
      EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', view_name);
    END LOOP;
    IF old_kind IN ('r', 'p', 'v') THEN
      LOCK TABLE "Sales Data"."order" IN ACCESS EXCLUSIVE MODE;
    END IF;

    -- With old locked, no view can start reading it: read how to recreate
    -- the views that do, parents first.
    WITH described AS (
      SELECT dv.depth, dv.oid, dv.name, dv.quoted,
        CASE dv.relkind WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'VIEW' END AS kind,
        dv.relkind, c.relowner, c.relacl, c.reloptions, c.relispopulated
      FROM (WITH RECURSIVE dep(oid, depth) AS (
    SELECT old::oid, 0
  UNION
    SELECT r.ev_class, dep.depth + 1
    FROM dep
    JOIN pg_depend d ON d.refobjid = dep.oid AND d.refclassid = 'pg_class'::regclass
      AND d.classid = 'pg_rewrite'::regclass
    JOIN pg_rewrite r ON r.oid = d.objid
    WHERE r.ev_class <> dep.oid AND r.rulename = '_RETURN'
  )
  SELECT dep.oid, max(dep.depth) AS depth, format('%I.%I', n.nspname, c.relname) AS name, c.relkind,
    '"' || replace(n.nspname, '"', '""') || '"."' || replace(c.relname, '"', '""') || '"' AS quoted
  FROM dep JOIN pg_class c ON c.oid = dep.oid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE dep.depth > 0 AND c.relkind IN ('v', 'm')
  GROUP BY dep.oid, n.nspname, c.relname, c.relkind) AS dv JOIN pg_class c ON c.oid = dv.oid
    )
    SELECT coalesce(jsonb_agg(jsonb_build_object(
        'name', x.name,
        'quoted', x.quoted,
        -- What it reads, each name always quoted, as weir writes them.
        'reads', coalesce((SELECT jsonb_agg(DISTINCT '"' || replace(rn.nspname, '"', '""') || '"."' || replace(rc.relname, '"', '""') || '"')
               FROM pg_rewrite r
               JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass
               JOIN pg_class rc ON rc.oid = d.refobjid JOIN pg_namespace rn ON rn.oid = rc.relnamespace
               WHERE r.ev_class = x.oid AND r.rulename = '_RETURN' AND rc.oid <> x.oid), '[]'),
        'create', format('CREATE %s %s%s AS %s%s', x.kind, x.name,
            CASE WHEN x.reloptions IS NULL THEN '' ELSE ' WITH (' || array_to_string(x.reloptions, ', ') || ')' END,
            rtrim(pg_get_viewdef(x.oid), E'; \n'),
            CASE WHEN x.relkind = 'm' AND NOT x.relispopulated THEN ' WITH NO DATA' ELSE '' END),
        'extras', jsonb_build_array(format('ALTER %s %s OWNER TO %I', x.kind, x.name, pg_get_userbyid(x.relowner)))
          || coalesce((SELECT jsonb_agg(format('COMMENT ON %s %s IS %L', x.kind, x.name, d.description))
               FROM pg_description d WHERE d.objoid = x.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0), '[]')
          || coalesce((SELECT jsonb_agg(format('COMMENT ON COLUMN %s.%I IS %L', x.name, a.attname, d.description))
               FROM pg_description d JOIN pg_attribute a ON a.attrelid = d.objoid AND a.attnum = d.objsubid
               WHERE d.objoid = x.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid > 0), '[]')
          || coalesce((SELECT jsonb_agg(format('GRANT %s ON %s TO %s%s', g.privilege_type, x.name,
                 CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(g.grantee)) END,
                 CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END))
               FROM aclexplode(x.relacl) g WHERE g.grantee <> x.relowner), '[]')
          || coalesce((SELECT jsonb_agg(pg_get_indexdef(i.indexrelid)) FROM pg_index i WHERE i.indrelid = x.oid), '[]')
      ) ORDER BY x.depth, x.name), '[]')
    INTO deps FROM described x;
    -- Grants and comments of old itself, for its replacement.
    SELECT coalesce(jsonb_agg(format('GRANT %s ON "Sales Data"."order" TO %s%s', g.privilege_type,
             CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(g.grantee)) END,
             CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)), '[]')
        || coalesce((SELECT jsonb_agg(format('COMMENT ON VIEW "Sales Data"."order" IS %L', d.description))
             FROM pg_description d WHERE d.objoid = old AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0), '[]')
      INTO own
      FROM pg_class c, aclexplode(c.relacl) g WHERE c.oid = old AND g.grantee <> c.relowner;
    SELECT coalesce(jsonb_object_agg(a.attname, d.description), '{}') INTO col_comments
      FROM pg_description d JOIN pg_attribute a ON a.attrelid = d.objoid AND a.attnum = d.objsubid
      WHERE d.objoid = old AND d.classoid = 'pg_class'::regclass AND d.objsubid > 0;

    -- DROP … CASCADE takes the views with it: a plain DROP would fail, and
    -- a rename would leave them reading the old relation.
    EXECUTE format('DROP %s "Sales Data"."order" CASCADE', CASE old_kind
      WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END);
  END IF;

  ALTER VIEW "Sales Data"."__weir_tmp_order" RENAME TO "order";

  IF old IS NOT NULL THEN
    FOR stmt IN SELECT jsonb_array_elements_text(own) UNION ALL
        SELECT format('COMMENT ON COLUMN "Sales Data"."order".%I IS %L', e.key, e.value)
        FROM jsonb_each_text(col_comments) e
        JOIN pg_attribute a ON a.attrelid = to_regclass('"Sales Data"."order"') AND a.attname = e.key AND NOT a.attisdropped
    LOOP
      BEGIN
        EXECUTE stmt;
      EXCEPTION WHEN OTHERS THEN
        RAISE WARNING 'weir: % kept its data but not this setting: %: %', '"Sales Data"."order"', stmt, SQLERRM;
      END;
    END LOOP;
    FOR v IN SELECT jsonb_array_elements(deps) LOOP
      -- A view reading one that was left dropped cannot come back now; the
      -- adapter keeps it (DETAIL) to recreate once that view is rebuilt.
      SELECT string_agg(r.name, ', ') INTO view_name
        FROM jsonb_array_elements_text(v->'reads') AS r(name) WHERE r.name = ANY (dropped);
      IF view_name IS NOT NULL THEN
        dropped := dropped || (v->>'quoted');
        RAISE WARNING 'weir: view % reads %, dropped as it no longer fits %, so it was dropped too; it comes back when that is rebuilt in this run', v->>'name', view_name, '"Sales Data"."order"'
          USING DETAIL = 'weir-parked:' || v::text, HINT = 'Its definition was: ' || (v->>'create');
        CONTINUE;
      END IF;
      BEGIN
        EXECUTE v->>'create';
      EXCEPTION WHEN OTHERS THEN
        dropped := dropped || (v->>'quoted');
        RAISE WARNING 'weir: view % reads % and no longer fits it, so it was dropped: %', v->>'name', '"Sales Data"."order"', SQLERRM
          USING HINT = 'Its definition was: ' || (v->>'create');
        CONTINUE;
      END;
      FOR stmt IN SELECT jsonb_array_elements_text(v->'extras') LOOP
        BEGIN
          EXECUTE stmt;
        EXCEPTION WHEN OTHERS THEN
          RAISE WARNING 'weir: view % was recreated without this setting: %: %', v->>'name', stmt, SQLERRM;
        END;
      END LOOP;
    END LOOP;
  END IF;
END
$weir_swap$;

