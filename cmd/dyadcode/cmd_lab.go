package main

import (
	"context"
	"fmt"

	"dyadcode/app"
)

func init() {
	register(&command{
		name: "lab",
		args: "init URL --from PROJECT.dyad | add-coder URL NAME --role ROLE [--supervisor] | join PROJECT.dyad URL --coder NAME | sync PROJECT.dyad | status URL",
		summary: `Share a project through a lab's PostgreSQL server (see docs/lab.md).
init sets up the lab at URL from a project (scheme, videos' metadata; never
the videos). add-coder makes a database role a member (the administrator's
job). join links a coder's project to the lab; sync pushes the coder's
changes and pulls what they may see; status summarises the lab. URL is a
postgres:// URL; sslmode passes through (use sslmode=verify-full across a
network). A password never goes into a URL stored in a project: use
~/.pgpass (PGPASSFILE), a service file or PGPASSWORD.`,
		run: runLab,
	})
}

func runLab(env *cmdEnv, args []string) error {
	c := commands["lab"]
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" || args[0] == "help" {
		newFlags(env, c).Usage()
		if len(args) == 0 {
			return usagef("give a lab action: init, add-coder, join, sync or status")
		}
		return errHelp
	}
	action, args := args[0], args[1:]
	fs := newFlags(env, c)
	from := fs.String("from", "", "init: the project whose scheme and videos the lab starts with")
	coder := fs.String("coder", "", "join: the coder's name in the lab")
	role := fs.String("role", "", "add-coder: the database role that logs in as the coder (default: the name)")
	supervisor := fs.Bool("supervisor", false, "add-coder: the member supervises (edits the scheme, assigns, reads everything)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), app.LabTimeout)
	defer cancel()
	need := func(n int, what string) error {
		if len(pos) != n {
			return usagef("lab %s needs %s (got %d arguments)", action, what, len(pos))
		}
		return nil
	}
	switch action {
	case "init":
		if err := need(1, "the lab's URL"); err != nil {
			return err
		}
		if *from == "" {
			return usagef("lab init needs --from PROJECT.dyad")
		}
		st, err := app.LabInit(ctx, pos[0], *from)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "lab %q ready at %s: scheme from %s, %d videos; add members with 'dyadcode lab add-coder'\n",
			st.Name, app.RedactLabURL(pos[0]), *from, st.Videos)
	case "add-coder":
		if err := need(2, "the lab's URL and the coder's name"); err != nil {
			return err
		}
		r := *role
		if r == "" {
			r = pos[1]
		}
		if err := app.LabAddCoder(ctx, pos[0], pos[1], r, *supervisor); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "%s is a member (role %q%s)\n", pos[1], r, map[bool]string{true: ", supervisor"}[*supervisor])
	case "join":
		if err := need(2, "a project and the lab's URL"); err != nil {
			return err
		}
		if *coder == "" {
			return usagef("lab join needs --coder NAME")
		}
		if err := app.LabJoin(ctx, pos[0], pos[1], *coder); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "%s is linked to %s as %s; run 'dyadcode lab sync %s'\n", pos[0], app.RedactLabURL(pos[1]), *coder, pos[0])
	case "sync":
		if err := need(1, "a project"); err != nil {
			return err
		}
		r, st, err := app.LabSync(ctx, pos[0])
		if err != nil {
			return fmt.Errorf("%w (%s)", err, st)
		}
		fmt.Fprintf(env.stdout, "pushed %d changes (%d new to the server), pulled %d: %s\n", r.Pushed, r.New, r.Pulled, st)
	case "status":
		if err := need(1, "the lab's URL"); err != nil {
			return err
		}
		st, me, err := app.LabStatus(ctx, pos[0])
		if err != nil {
			return err
		}
		who := me.Name
		if me.Name == "" {
			who = "administrator " + me.Role
		} else if me.Supervisor {
			who += " (supervisor)"
		}
		last := "none"
		if !st.LastChange.IsZero() {
			last = st.LastChange.UTC().Format("2006-01-02 15:04:05Z")
		}
		fmt.Fprintf(env.stdout, "lab:          %s\nyou:          %s\nschema:       %d\nscheme:       revision %d\ncoders:       %d\nvideos:       %d\nobservations: %d (visible to you)\nevents:       %d\nchanges:      %d, last %s\n",
			st.Name, who, st.SchemaVersion, st.SchemeRev, st.Coders, st.Videos, st.Observations, st.Events, st.Changes, last)
	default:
		return usagef("unknown lab action %q (init, add-coder, join, sync or status)", action)
	}
	return nil
}
