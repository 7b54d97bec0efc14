package lab

// The lab database's schema, as ordered migrations like the project file's
// (store/schema.go): migration i upgrades version i to i+1, each in one
// transaction that also records the new version in schema_version, so a
// crash leaves the database at a version it can be upgraded from again.
//
// Version 1 holds:
//
//	schema_version   one row per migration applied
//	lab              one row: the lab's name, its coding scheme (JSON) and
//	                 scheme_rev, raised on every scheme change
//	scheme_behaviors, scheme_episodes, scheme_ratings
//	                 the scheme's codes as rows, kept in step with lab.scheme
//	                 by a trigger; events, marks and ratings reference them
//	                 with foreign keys, so coded data can never name a code
//	                 the scheme no longer has
//	coders           lab members: a coder's name, the database role that
//	                 logs in as them, and whether they supervise
//	videos           metadata only (fingerprint, size, duration, rate,
//	                 frames); keyed by fingerprint, the identity every
//	                 laptop computes alike. Never the video bytes.
//	assignments      which coder codes which video; reliability marks the
//	                 double-coded subset
//	observations     one coder's coding of one video, by stable UID
//	shares           observations the supervisor shares with every coder
//	events, episode_marks, ratings
//	                 the coded data of each observation
//	changes          the edit history: every change a laptop pushed, by its
//	                 UID (the idempotency key), with the transaction that
//	                 brought it (txid) so Pull can page through them without
//	                 skipping a transaction that committed late
//
// Roles are enforced by PostgreSQL itself with row-level security: every
// member logs in as their own role, a member of the group role
// dyadcode_lab that holds the table grants; the policies compare the
// coder an observation belongs to with the coders row of current_user.
// The database owner (who ran `lab init`) bypasses row-level security as
// owners do and is the lab's administrator.

// migration upgrades the database from version From to From+1.
type migration struct {
	From int
	Name string
	SQL  string
}

// SchemaVersion is the newest lab schema this build knows.
const SchemaVersion = 1

// GroupRole holds the table privileges every lab member needs; row-level
// security decides which rows. It is cluster-wide (roles are), so one
// PostgreSQL server can hold several labs' databases; membership in a lab
// is its coders table, and CONNECT on its database.
const GroupRole = "dyadcode_lab"

var migrations = []migration{
	{From: 0, Name: "lab, scheme, coders, videos, observations, history, row-level security", SQL: schemaV1},
}

const schemaV1 = `
CREATE TABLE lab (
	id         int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
	name       text NOT NULL,
	scheme     jsonb NOT NULL,
	scheme_rev bigint NOT NULL DEFAULT 1,
	created    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE scheme_behaviors (
	code      text PRIMARY KEY,
	kind      text NOT NULL CHECK (kind IN ('point', 'state')),
	subject   text NOT NULL DEFAULT '',
	modifiers text[] NOT NULL DEFAULT '{}'
);
CREATE TABLE scheme_episodes (name text PRIMARY KEY);
CREATE TABLE scheme_ratings (
	code text PRIMARY KEY,
	min  int NOT NULL,
	max  int NOT NULL
);

CREATE TABLE coders (
	name       text PRIMARY KEY CHECK (name <> ''),
	role       name NOT NULL UNIQUE,
	supervisor bool NOT NULL DEFAULT false,
	added      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE videos (
	fingerprint text PRIMARY KEY CHECK (fingerprint <> ''),
	name        text NOT NULL,
	size        bigint NOT NULL DEFAULT 0,
	duration_us bigint NOT NULL DEFAULT 0 CHECK (duration_us >= 0),
	rate_num    int NOT NULL DEFAULT 0,
	rate_den    int NOT NULL DEFAULT 0,
	frames      bigint NOT NULL DEFAULT 0,
	added_by    name NOT NULL DEFAULT current_user,
	added       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE assignments (
	video       text NOT NULL REFERENCES videos ON DELETE CASCADE,
	coder       text NOT NULL REFERENCES coders ON UPDATE CASCADE,
	reliability bool NOT NULL DEFAULT false,
	PRIMARY KEY (video, coder)
);

CREATE TABLE observations (
	uid      text PRIMARY KEY CHECK (uid <> ''),
	video    text NOT NULL REFERENCES videos,
	coder    text NOT NULL REFERENCES coders ON UPDATE CASCADE,
	created  timestamptz NOT NULL,
	modified timestamptz NOT NULL,
	-- the UID of the last change applied: a push must continue from it
	last_change text NOT NULL DEFAULT ''
);
CREATE INDEX observations_video ON observations (video);
CREATE INDEX observations_coder ON observations (coder);

CREATE TABLE shares (obs text PRIMARY KEY REFERENCES observations ON DELETE CASCADE);

CREATE TABLE events (
	obs       text NOT NULL REFERENCES observations ON DELETE CASCADE,
	id        bigint NOT NULL,
	behavior  text NOT NULL REFERENCES scheme_behaviors,
	subject   text NOT NULL DEFAULT '',
	start_us  bigint NOT NULL CHECK (start_us >= 0),
	end_us    bigint NOT NULL CHECK (end_us >= start_us OR open),
	open      bool NOT NULL DEFAULT false,
	modifiers text[] NOT NULL DEFAULT '{}',
	comment   text NOT NULL DEFAULT '',
	PRIMARY KEY (obs, id)
);
CREATE INDEX events_behavior ON events (behavior);

CREATE TABLE episode_marks (
	obs      text NOT NULL REFERENCES observations ON DELETE CASCADE,
	start_us bigint NOT NULL,
	name     text NOT NULL REFERENCES scheme_episodes,
	PRIMARY KEY (obs, start_us)
);
CREATE INDEX episode_marks_name ON episode_marks (name);

CREATE TABLE ratings (
	obs     text NOT NULL REFERENCES observations ON DELETE CASCADE,
	episode text NOT NULL REFERENCES scheme_episodes,
	scale   text NOT NULL REFERENCES scheme_ratings,
	value   int NOT NULL,
	PRIMARY KEY (obs, episode, scale)
);
CREATE INDEX ratings_scale ON ratings (scale);

CREATE TABLE changes (
	uid       text PRIMARY KEY CHECK (uid <> ''),
	seq       bigint NOT NULL UNIQUE,
	obs       text NOT NULL REFERENCES observations ON DELETE CASCADE,
	coder     text NOT NULL REFERENCES coders ON UPDATE CASCADE,
	op        text NOT NULL CHECK (op IN ('create', 'upgrade', 'do', 'undo', 'redo')),
	label     text NOT NULL DEFAULT '',
	body      jsonb NOT NULL,
	committed timestamptz NOT NULL,
	received  timestamptz NOT NULL DEFAULT now()
);
CREATE SEQUENCE changes_seq OWNED BY changes.seq;
CREATE INDEX changes_obs ON changes (obs, seq);

-- Who is calling: the coder name of a role in this lab (NULL for a role
-- that is not a member), and whether it supervises. The *_of functions are SECURITY DEFINER so the
-- policies below can ask without recursing into the policies of the tables
-- they read; inside them current_user is the owner, so the caller's role
-- is passed in by the plain wrappers the policies use. They name every
-- table with its schema instead of pinning search_path (a SET clause makes
-- each call several times dearer, and policies call them per row); members
-- can create no objects to slip in (no CREATE on public, no TEMPORARY).
-- PL/pgSQL, not SQL: a SQL function that cannot be inlined is planned on
-- every call, PL/pgSQL caches its plans for the session.
CREATE FUNCTION dyad_coder_of(who name) RETURNS text LANGUAGE plpgsql STABLE SECURITY DEFINER
	AS $$ BEGIN RETURN (SELECT name FROM public.coders WHERE role = who); END $$;
CREATE FUNCTION dyad_supervisor_of(who name) RETURNS bool LANGUAGE plpgsql STABLE SECURITY DEFINER
	AS $$ BEGIN RETURN coalesce((SELECT supervisor FROM public.coders WHERE role = who), false); END $$;
CREATE FUNCTION dyad_me() RETURNS text LANGUAGE sql STABLE AS $$ SELECT dyad_coder_of(current_user) $$;
CREATE FUNCTION dyad_supervisor() RETURNS bool LANGUAGE sql STABLE AS $$ SELECT dyad_supervisor_of(current_user) $$;

-- The behaviours of a scheme (JSON) as rows.
CREATE FUNCTION dyad_scheme_behaviors(s jsonb) RETURNS TABLE (code text, kind text, subject text, modifiers text[])
	LANGUAGE sql IMMUTABLE AS $$
	SELECT b->>'code', b->>'kind', coalesce(b->>'subject', ''),
		coalesce(ARRAY(SELECT jsonb_array_elements_text(coalesce(b->'modifiers', '[]'))), '{}')
	FROM jsonb_array_elements(s->'behaviors') b $$;

-- A scheme change must not invalidate coded data. The checks mirror
-- store.Project.SetScheme's, here at the server, so no client (ours, an
-- old one, psql) can get round them; the message names every problem.
CREATE FUNCTION dyad_check_scheme() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, public
	AS $$
DECLARE
	problems text[] := '{}';
	r record;
BEGIN
	IF jsonb_typeof(NEW.scheme->'behaviors') IS DISTINCT FROM 'array' THEN
		RAISE EXCEPTION 'the scheme has no behaviors array' USING ERRCODE = 'DY001';
	END IF;
	FOR r IN SELECT e.behavior, count(*) AS n FROM events e
		WHERE NOT EXISTS (SELECT 1 FROM dyad_scheme_behaviors(NEW.scheme) b WHERE b.code = e.behavior)
		GROUP BY 1 ORDER BY 1 LOOP
		problems := problems || format('behavior %L is used by %s events', r.behavior, r.n);
	END LOOP;
	FOR r IN SELECT e.behavior, count(*) AS n FROM events e JOIN dyad_scheme_behaviors(NEW.scheme) b ON b.code = e.behavior
		WHERE b.kind = 'point' AND (e.open OR e.end_us <> e.start_us) GROUP BY 1 ORDER BY 1 LOOP
		problems := problems || format('behavior %L cannot become a point: %s of its events have a duration or are still running', r.behavior, r.n);
	END LOOP;
	FOR r IN SELECT e.behavior, e.subject, b.subject AS new_subject, count(*) AS n FROM events e
		JOIN dyad_scheme_behaviors(NEW.scheme) b ON b.code = e.behavior
		WHERE e.subject <> '' AND b.subject <> '' AND e.subject <> b.subject GROUP BY 1, 2, 3 ORDER BY 1, 2 LOOP
		problems := problems || format('behavior %L cannot move to subject %L: %s events code it for %L', r.behavior, r.new_subject, r.n, r.subject);
	END LOOP;
	FOR r IN SELECT e.behavior, m, count(*) AS n FROM events e CROSS JOIN LATERAL unnest(e.modifiers) m
		JOIN dyad_scheme_behaviors(NEW.scheme) b ON b.code = e.behavior
		WHERE NOT m = ANY (b.modifiers) GROUP BY 1, 2 ORDER BY 1, 2 LOOP
		problems := problems || format('modifier %L of behavior %L is used by %s events', r.m, r.behavior, r.n);
	END LOOP;
	FOR r IN SELECT k.name, count(*) AS n FROM episode_marks k
		WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(NEW.scheme->'episodes', '[]')) x WHERE x->>'name' = k.name)
		GROUP BY 1 ORDER BY 1 LOOP
		problems := problems || format('episode %L is marked %s times', r.name, r.n);
	END LOOP;
	FOR r IN SELECT g.scale, count(*) AS n FROM ratings g
		WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(NEW.scheme->'ratings', '[]')) x WHERE x->>'code' = g.scale)
		GROUP BY 1 ORDER BY 1 LOOP
		problems := problems || format('rating scale %L has %s ratings', r.scale, r.n);
	END LOOP;
	IF cardinality(problems) > 0 THEN
		RAISE EXCEPTION 'scheme change refused: %', array_to_string(problems, '; ')
			USING ERRCODE = 'DY001', HINT = 'recode, delete or clear what uses a code before removing or narrowing it';
	END IF;
	IF TG_OP = 'UPDATE' THEN
		NEW.scheme_rev := OLD.scheme_rev + 1;
	END IF;
	-- Keep the code tables in step: insert and update first, then remove
	-- what the scheme dropped (the foreign keys are the last guard).
	INSERT INTO scheme_behaviors (code, kind, subject, modifiers)
		SELECT code, kind, subject, modifiers FROM dyad_scheme_behaviors(NEW.scheme)
		ON CONFLICT (code) DO UPDATE SET kind = EXCLUDED.kind, subject = EXCLUDED.subject, modifiers = EXCLUDED.modifiers;
	DELETE FROM scheme_behaviors s WHERE NOT EXISTS (SELECT 1 FROM dyad_scheme_behaviors(NEW.scheme) b WHERE b.code = s.code);
	INSERT INTO scheme_episodes (name)
		SELECT x->>'name' FROM jsonb_array_elements(coalesce(NEW.scheme->'episodes', '[]')) x ON CONFLICT DO NOTHING;
	DELETE FROM scheme_episodes s WHERE NOT EXISTS
		(SELECT 1 FROM jsonb_array_elements(coalesce(NEW.scheme->'episodes', '[]')) x WHERE x->>'name' = s.name);
	INSERT INTO scheme_ratings (code, min, max)
		SELECT x->>'code', (x->>'min')::int, (x->>'max')::int FROM jsonb_array_elements(coalesce(NEW.scheme->'ratings', '[]')) x
		ON CONFLICT (code) DO UPDATE SET min = EXCLUDED.min, max = EXCLUDED.max;
	DELETE FROM scheme_ratings s WHERE NOT EXISTS
		(SELECT 1 FROM jsonb_array_elements(coalesce(NEW.scheme->'ratings', '[]')) x WHERE x->>'code' = s.code);
	RETURN NEW;
END $$;
CREATE TRIGGER lab_scheme BEFORE INSERT OR UPDATE OF scheme ON lab
	FOR EACH ROW EXECUTE FUNCTION dyad_check_scheme();

-- A rating must lie on its scale, whoever writes it.
CREATE FUNCTION dyad_check_rating() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, public
	AS $$
DECLARE
	s scheme_ratings;
BEGIN
	SELECT * INTO s FROM scheme_ratings WHERE code = NEW.scale;
	IF FOUND AND (NEW.value < s.min OR NEW.value > s.max) THEN
		RAISE EXCEPTION 'rating % = % is outside its scale %..%', NEW.scale, NEW.value, s.min, s.max USING ERRCODE = 'DY002';
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER ratings_range BEFORE INSERT OR UPDATE ON ratings
	FOR EACH ROW EXECUTE FUNCTION dyad_check_rating();

-- Pull pages through changes by seq, so a change must never become visible
-- after one with a higher seq: a puller would have moved past it for good.
-- A sequence alone allows that (a transaction takes 7, another takes 8 and
-- commits first), so every insert first takes a per-database lock held to
-- commit and only then draws its number: writers of changes commit in seq
-- order. The trigger does it for any writer, not only dyad_push.
CREATE FUNCTION dyad_number_change() RETURNS trigger LANGUAGE plpgsql
	SET search_path = pg_catalog, public
	AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(7243002);
	NEW.seq := nextval('changes_seq');
	RETURN NEW;
END $$;
CREATE TRIGGER changes_seq BEFORE INSERT ON changes
	FOR EACH ROW EXECUTE FUNCTION dyad_number_change();

-- dyad_push applies a batch of changes a laptop sends, in order, in the
-- caller's transaction. A change whose UID the server already has is
-- skipped whole: that is what makes a retried push harmless. Returns how
-- many changes were new.
--
-- It runs with the owner's rights and checks the whole batch once, up
-- front, by the rule the policies state (every change is the caller's, in
-- an observation the caller codes): row-level security checked row by row
-- made a push four times slower. The caller is the session's role, or the
-- role it SET ROLE to (current_user inside a SECURITY DEFINER function is
-- the owner); a member can SET ROLE only to roles it belongs to.
--
-- body is a change as the client encodes it (sync.go): before/after
-- event lists, episode marks and ratings, times in microseconds. Applying
-- is tolerant: removing what is not there is a no-op and adding replaces,
-- so changes of one observation applied in push order always end at the
-- laptop's state.
CREATE FUNCTION dyad_push(batch jsonb) RETURNS int LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, public
	AS $$
DECLARE
	caller name := CASE current_setting('role') WHEN 'none' THEN session_user ELSE current_setting('role') END;
	me text := dyad_coder_of(caller);
	fresh jsonb;
	bad record;
BEGIN
	IF me IS NULL THEN
		RAISE EXCEPTION 'role % is not a member of this lab', caller USING ERRCODE = '42501';
	END IF;
	SELECT x->>'obs' AS obs INTO bad FROM jsonb_array_elements(batch) x LEFT JOIN observations ob ON ob.uid = x->>'obs'
		WHERE x->>'coder' IS DISTINCT FROM me OR ob.coder IS DISTINCT FROM me LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'new row violates row-level security: observation % is not coded by %', bad.obs, me USING ERRCODE = '42501';
	END IF;

	-- The history first, in batch order (the trigger numbers them); what
	-- the server had already is skipped, and only the rest is applied.
	WITH input AS (SELECT x, ord FROM jsonb_array_elements(batch) WITH ORDINALITY AS t(x, ord)),
	ins AS (
		INSERT INTO changes (uid, seq, obs, coder, op, label, body, committed)
		SELECT x->>'uid', 0, x->>'obs', x->>'coder', x->>'op', coalesce(x->'body'->>'label', ''), x->'body',
			(x->>'committed')::timestamptz
		FROM input ORDER BY ord
		ON CONFLICT (uid) DO NOTHING RETURNING uid)
	SELECT coalesce(jsonb_agg(i.x ORDER BY i.ord), '[]') INTO fresh
		FROM input i WHERE i.x->>'uid' IN (SELECT uid FROM ins);
	IF jsonb_array_length(fresh) = 0 THEN
		RETURN 0;
	END IF;

	-- Each new change must follow the one before it: the server's last for
	-- its observation, then the batch's previous. Event IDs are numbered
	-- per copy, so two laptops editing one observation apart would reuse
	-- IDs and silently overwrite each other's events: such a copy is
	-- refused instead.
	SELECT n.obs, n.prev, coalesce(n.before, o.last_change) AS last INTO bad
	FROM (SELECT x->>'obs' AS obs, coalesce(x->>'prev', '') AS prev,
			lag(x->>'uid') OVER (PARTITION BY x->>'obs' ORDER BY ord) AS before
		FROM jsonb_array_elements(fresh) WITH ORDINALITY AS t(x, ord)) n
	JOIN observations o ON o.uid = n.obs
	WHERE n.prev <> coalesce(n.before, o.last_change) LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'observation % was changed on another laptop (change %) while this copy was edited apart from it (after %)',
			bad.obs, bad.last, coalesce(nullif(bad.prev, ''), 'its start') USING ERRCODE = 'DY003',
			HINT = 'this copy''s changes stay in the project file; export them, or code on from the server''s copy';
	END IF;

	-- Applying the changes in order leaves each event, mark and rating as
	-- the last change touching it says: added (or replaced) if it is in
	-- that change's after list, removed if only in its before list. So
	-- each is written once, whatever the batch's size, instead of one
	-- statement per change.
	WITH ev AS (
		SELECT c.x->>'obs' AS obs, (e->>'id')::bigint AS id, c.ord, 0 AS phase, NULL::jsonb AS val
			FROM jsonb_array_elements(fresh) WITH ORDINALITY AS c(x, ord), jsonb_array_elements(coalesce(c.x->'body'->'before', '[]')) e
		UNION ALL
		SELECT c.x->>'obs', (e->>'id')::bigint, c.ord, 1, e
			FROM jsonb_array_elements(fresh) WITH ORDINALITY AS c(x, ord), jsonb_array_elements(coalesce(c.x->'body'->'after', '[]')) e),
	last AS (SELECT DISTINCT ON (obs, id) obs, id, val FROM ev ORDER BY obs, id, ord DESC, phase DESC),
	gone AS (DELETE FROM events v USING last l WHERE l.val IS NULL AND v.obs = l.obs AND v.id = l.id)
	INSERT INTO events (obs, id, behavior, subject, start_us, end_us, open, modifiers, comment)
		SELECT obs, id, val->>'behavior', coalesce(val->>'subject', ''),
			(val->>'start')::bigint, (val->>'end')::bigint, coalesce((val->>'open')::bool, false),
			coalesce(ARRAY(SELECT jsonb_array_elements_text(coalesce(val->'modifiers', '[]'))), '{}'),
			coalesce(val->>'comment', '')
		FROM last WHERE val IS NOT NULL
		ON CONFLICT (obs, id) DO UPDATE SET behavior = EXCLUDED.behavior, subject = EXCLUDED.subject,
			start_us = EXCLUDED.start_us, end_us = EXCLUDED.end_us, open = EXCLUDED.open,
			modifiers = EXCLUDED.modifiers, comment = EXCLUDED.comment;

	WITH mk AS (
		SELECT c.x->>'obs' AS obs, (m->>'start')::bigint AS start_us, c.ord, 0 AS phase, NULL::text AS name
			FROM jsonb_array_elements(fresh) WITH ORDINALITY AS c(x, ord), jsonb_array_elements(coalesce(c.x->'body'->'episodes_before', '[]')) m
		UNION ALL
		SELECT c.x->>'obs', (m->>'start')::bigint, c.ord, 1, m->>'name'
			FROM jsonb_array_elements(fresh) WITH ORDINALITY AS c(x, ord), jsonb_array_elements(coalesce(c.x->'body'->'episodes_after', '[]')) m),
	last AS (SELECT DISTINCT ON (obs, start_us) obs, start_us, name FROM mk ORDER BY obs, start_us, ord DESC, phase DESC),
	gone AS (DELETE FROM episode_marks k USING last l WHERE l.name IS NULL AND k.obs = l.obs AND k.start_us = l.start_us)
	INSERT INTO episode_marks (obs, start_us, name)
		SELECT obs, start_us, name FROM last WHERE name IS NOT NULL
		ON CONFLICT (obs, start_us) DO UPDATE SET name = EXCLUDED.name;

	WITH rt AS (
		SELECT c.x->>'obs' AS obs, g->>'episode' AS episode, g->>'scale' AS scale, c.ord, 0 AS phase, NULL::int AS value
			FROM jsonb_array_elements(fresh) WITH ORDINALITY AS c(x, ord), jsonb_array_elements(coalesce(c.x->'body'->'ratings_before', '[]')) g
		UNION ALL
		SELECT c.x->>'obs', g->>'episode', g->>'scale', c.ord, 1, (g->>'value')::int
			FROM jsonb_array_elements(fresh) WITH ORDINALITY AS c(x, ord), jsonb_array_elements(coalesce(c.x->'body'->'ratings_after', '[]')) g),
	last AS (SELECT DISTINCT ON (obs, episode, scale) obs, episode, scale, value FROM rt ORDER BY obs, episode, scale, ord DESC, phase DESC),
	gone AS (DELETE FROM ratings r USING last l WHERE l.value IS NULL AND r.obs = l.obs AND r.episode = l.episode AND r.scale = l.scale)
	INSERT INTO ratings (obs, episode, scale, value)
		SELECT obs, episode, scale, value FROM last WHERE value IS NOT NULL
		ON CONFLICT (obs, episode, scale) DO UPDATE SET value = EXCLUDED.value;

	UPDATE observations o SET modified = greatest(o.modified, m.t), last_change = m.last
		FROM (SELECT DISTINCT ON (x->>'obs') x->>'obs' AS obs, x->>'uid' AS last,
				max((x->>'committed')::timestamptz) OVER (PARTITION BY x->>'obs') AS t
			FROM jsonb_array_elements(fresh) WITH ORDINALITY AS c(x, ord) ORDER BY x->>'obs', ord DESC) m
		WHERE o.uid = m.obs;
	RETURN jsonb_array_length(fresh);
END $$;

-- Row-level security. The owner bypasses it; everyone else is a member of
-- the group role and sees rows by these policies.
ALTER TABLE lab ENABLE ROW LEVEL SECURITY;
ALTER TABLE coders ENABLE ROW LEVEL SECURITY;
ALTER TABLE videos ENABLE ROW LEVEL SECURITY;
ALTER TABLE assignments ENABLE ROW LEVEL SECURITY;
ALTER TABLE observations ENABLE ROW LEVEL SECURITY;
ALTER TABLE shares ENABLE ROW LEVEL SECURITY;
ALTER TABLE events ENABLE ROW LEVEL SECURITY;
ALTER TABLE episode_marks ENABLE ROW LEVEL SECURITY;
ALTER TABLE ratings ENABLE ROW LEVEL SECURITY;
ALTER TABLE changes ENABLE ROW LEVEL SECURITY;

-- The policies call dyad_me() and dyad_supervisor() inside (SELECT ...)
-- so PostgreSQL evaluates them once per statement, not once per row, and
-- test an observation's rows by membership in the observations the caller
-- may see (itself row-level secured), a hashed lookup per row: a push of
-- thousands of events stays fast.
CREATE POLICY lab_read ON lab FOR SELECT USING ((SELECT dyad_me()) IS NOT NULL);
CREATE POLICY lab_scheme ON lab FOR UPDATE USING ((SELECT dyad_supervisor())) WITH CHECK ((SELECT dyad_supervisor()));

CREATE POLICY coders_read ON coders FOR SELECT USING ((SELECT dyad_me()) IS NOT NULL);
-- Membership is the administrator's (AddCoder): a supervisor who could
-- write coders could map their own role to a coder's name and write as
-- them, so members only read it.

CREATE POLICY videos_read ON videos FOR SELECT USING ((SELECT dyad_me()) IS NOT NULL);
-- A coder may register a video's metadata (they added it on their laptop);
-- changing or removing videos is the supervisor's.
CREATE POLICY videos_add ON videos FOR INSERT WITH CHECK ((SELECT dyad_me()) IS NOT NULL AND added_by = current_user);
CREATE POLICY videos_admin ON videos FOR ALL USING ((SELECT dyad_supervisor())) WITH CHECK ((SELECT dyad_supervisor()));

CREATE POLICY assignments_read ON assignments FOR SELECT USING ((SELECT dyad_supervisor()) OR coder = (SELECT dyad_me()));
CREATE POLICY assignments_admin ON assignments FOR ALL USING ((SELECT dyad_supervisor())) WITH CHECK ((SELECT dyad_supervisor()));

-- coder = me comes first: INSERT ... ON CONFLICT (uid) checks the new row
-- against the read policy too.
CREATE POLICY observations_read ON observations FOR SELECT
	USING (coder = (SELECT dyad_me()) OR (SELECT dyad_supervisor()) OR uid IN (SELECT obs FROM shares));
CREATE POLICY observations_add ON observations FOR INSERT WITH CHECK (coder = (SELECT dyad_me()));
-- No one updates an observation's header directly: its coder, video and
-- last change are fixed or kept by dyad_push.

CREATE POLICY shares_read ON shares FOR SELECT USING ((SELECT dyad_me()) IS NOT NULL);
CREATE POLICY shares_admin ON shares FOR ALL USING ((SELECT dyad_supervisor())) WITH CHECK ((SELECT dyad_supervisor()));

CREATE POLICY events_read ON events FOR SELECT USING (obs IN (SELECT uid FROM observations));
CREATE POLICY events_own ON events FOR ALL
	USING (obs IN (SELECT uid FROM observations WHERE coder = (SELECT dyad_me())))
	WITH CHECK (obs IN (SELECT uid FROM observations WHERE coder = (SELECT dyad_me())));
CREATE POLICY episode_marks_read ON episode_marks FOR SELECT USING (obs IN (SELECT uid FROM observations));
CREATE POLICY episode_marks_own ON episode_marks FOR ALL
	USING (obs IN (SELECT uid FROM observations WHERE coder = (SELECT dyad_me())))
	WITH CHECK (obs IN (SELECT uid FROM observations WHERE coder = (SELECT dyad_me())));
CREATE POLICY ratings_read ON ratings FOR SELECT USING (obs IN (SELECT uid FROM observations));
CREATE POLICY ratings_own ON ratings FOR ALL
	USING (obs IN (SELECT uid FROM observations WHERE coder = (SELECT dyad_me())))
	WITH CHECK (obs IN (SELECT uid FROM observations WHERE coder = (SELECT dyad_me())));

CREATE POLICY changes_read ON changes FOR SELECT USING (obs IN (SELECT uid FROM observations));
CREATE POLICY changes_add ON changes FOR INSERT
	WITH CHECK (coder = (SELECT dyad_me()) AND obs IN (SELECT uid FROM observations WHERE coder = (SELECT dyad_me())));

DO $$ BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dyadcode_lab') THEN
		CREATE ROLE dyadcode_lab NOLOGIN;
	END IF;
END $$;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO dyadcode_lab;
GRANT UPDATE (name, scheme) ON lab TO dyadcode_lab;
GRANT INSERT, UPDATE, DELETE ON videos, assignments, shares TO dyadcode_lab;
GRANT INSERT ON observations TO dyadcode_lab;
GRANT INSERT, UPDATE, DELETE ON events, episode_marks, ratings TO dyadcode_lab;
GRANT INSERT ON changes TO dyadcode_lab;
GRANT USAGE ON SEQUENCE changes_seq TO dyadcode_lab;
REVOKE ALL ON schema_version FROM dyadcode_lab;
GRANT SELECT ON schema_version TO dyadcode_lab;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO dyadcode_lab;
`
