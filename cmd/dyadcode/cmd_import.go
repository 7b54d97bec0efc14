package main

import (
	"errors"
	"fmt"
	"strings"

	"dyadcode/app"
)

func init() {
	register(&command{
		name: "import",
		args: "PROJECT.dyad --coder NAME --video VIDEO FILE [--format csv|...] [--observation ID] [--mapping MAP]",
		summary: `Import one coder's observation of a video from a CSV (or ELAN, BORIS, Datavyu, Observer XT) file.
The file is dyadcode CSV (the export format, or the minimal
behavior,start_s,end_s form) or any format registered for import, chosen
by --format or the file's extension. VIDEO is a video of the project (path,
file name or ID) or a video file, which is added if the project does not
have it. The whole file is checked against the project's coding scheme
first; any problem is reported as FILE:LINE and nothing is written.
Without --coder or --video, the names in the file are used. A file that
holds several observations (a BORIS project or export, an ELAN file with
several annotators, a CSV export of a whole project) is imported one
observation at a time: pick it with --observation, the ID the file gives it.
An ELAN tier whose name says nothing to the scheme is named in the error:
say what it holds in a mapping file (--mapping; docs/migrating.md). What the
file holds that dyadcode has no place for (a BORIS independent variable, a
second camera) is listed as "not carried over".`,
		run: runImport,
	})
}

func runImport(env *cmdEnv, args []string) error {
	c := commands["import"]
	fs := newFlags(env, c)
	coder := fs.String("coder", "", "the coder's name (default: the file's coder column)")
	video := fs.String("video", "", "the video coded: a project video (path, file name, ID) or a video file to add")
	formatName := fs.String("format", "", "file format: "+app.FormatNames()+" (default: by extension)")
	pick := fs.String("observation", "", "in a file with several observations, the one to import (its ID in the file)")
	mapping := fs.String("mapping", "", "for an ELAN file: a tier mapping file (JSON or CSV) saying what tiers hold")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("need a project and one file to import (got %d arguments)", len(pos))
	}
	projectPath, file := pos[0], pos[1]
	// The format is checked before the project is opened, so a mistake in
	// the command line is reported as one.
	f, err := formatFor(*formatName, file)
	if err != nil {
		return err
	}
	if f.Read == nil {
		return usagef("the %s %v", f.Name, app.ErrExportOnly)
	}
	if *mapping != "" && f.Name != "eaf" {
		return usagef("--mapping is for ELAN files, not %s", f.Name)
	}
	p, err := app.OpenProject(projectPath, false)
	if err != nil {
		return err
	}
	defer p.Close()
	res, err := app.Import(p, env.engine, app.ImportRequest{File: file, Format: *formatName, Coder: *coder, Video: *video, Pick: *pick, Mapping: *mapping})
	switch {
	case errors.Is(err, app.ErrNeedCoder):
		return usagef("--coder is required: %s does not name a coder", file)
	case errors.Is(err, app.ErrNeedVideo):
		return usagef("--video is required: %s does not name a video", file)
	case errors.Is(err, app.ErrPickObservation):
		return usageError{strings.TrimPrefix(err.Error(), app.ErrPickObservation.Error()+": ")}
	case err != nil:
		return err
	}
	v, n := res.Video, res.Obs
	if res.AddedVideo {
		fmt.Fprintf(env.stdout, "added %s %s (%s)\n", v.ID, v.Path, app.DescribeVideo(v))
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(env.stderr, "dyadcode import: warning: %v\n", w)
	}
	fmt.Fprintf(env.stdout, "imported observation %s: %s coding %s, %d events, %d episode marks, %d ratings\n",
		n.ID, n.Coder, v.ID, len(n.Events), len(n.Episodes), len(n.Ratings))
	return nil
}
