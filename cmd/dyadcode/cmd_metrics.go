package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"dyadcode/annotate"
	"dyadcode/annotate/metrics"
	"dyadcode/internal/atomicfile"
	"dyadcode/store"
)

func init() {
	register(&command{
		name: "metrics",
		args: "PROJECT.dyad|FILE.csv... [-o FILE.csv] [--long] [--observation ID[,ID...]]",
		summary: `Compute per-episode metrics: counts, rates, durations, latencies, derived measures and ratings.
One row per observation × episode plus a "session" row (wide CSV), or one row
per measure with --long. Empty cells are missing values; see docs/metrics.md.
Instead of a project, dyadcode CSV exports can be given (scheme: --scheme or
the default Strange Situation scheme).`,
		run: runMetrics,
	})
}

func runMetrics(env *cmdEnv, args []string) error {
	c := commands["metrics"]
	fs := newFlags(env, c)
	out := fs.String("o", "", "write the CSV to this file instead of standard output")
	long := fs.Bool("long", false, "long format: video,observation,coder,episode,measure,value,censored")
	sel := fs.String("observation", "", "only these observations (comma-separated IDs)")
	schemePath := fs.String("scheme", "", "coding scheme JSON for CSV input (default: the bundled Strange Situation scheme)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("need a project or CSV files")
	}
	in, err := loadCoded(pos, *sel, *schemePath)
	if err != nil {
		return err
	}
	var rows []metrics.Row
	for _, o := range in.obs {
		r, err := metrics.Compute(o.Obs, in.scheme, o.End)
		if err != nil {
			return fmt.Errorf("%s: %w", in.source, err)
		}
		for i := range r {
			r[i].Video = o.Video
		}
		rows = append(rows, r...)
	}
	write := metrics.WriteWide
	if *long {
		write = metrics.WriteLong
	}
	return writeOutput(env, *out, func(w io.Writer) error { return write(w, rows) })
}

// codedObs is an observation with the name of its video and the video's
// duration (the end of its last episode).
type codedObs struct {
	Obs   *annotate.Observation
	Video string
	End   annotate.Time
}

// coded is what metrics, plot and report read: a scheme and observations.
type coded struct {
	source string // the project path, or the CSV file names, for messages
	title  string
	scheme *annotate.Scheme
	obs    []codedObs
}

// loadCoded reads observations from a project (one .dyad path) or from
// dyadcode CSV files, keeping only the IDs in sel (comma-separated) if set.
func loadCoded(paths []string, sel, schemePath string) (*coded, error) {
	var ids []string
	for _, id := range strings.Split(sel, ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	// A single .dyad (or extension-less) path is a project; anything else
	// is an interchange file read by the format its extension names.
	var in *coded
	var err error
	if len(paths) == 1 && isProjectPath(paths[0]) {
		if schemePath != "" {
			return nil, usagef("--scheme is for CSV input; a project has its own scheme")
		}
		if loadProject == nil {
			return nil, fmt.Errorf("%s: reading projects is not built in yet", paths[0])
		}
		in, err = loadProject(paths[0])
	} else {
		for _, p := range paths {
			if isProjectPath(p) {
				return nil, usagef("give one project, or only files to import (.csv, ...)")
			}
		}
		in, err = loadFiles(paths, schemePath)
	}
	if err != nil {
		return nil, err
	}
	if len(ids) > 0 {
		var keep []codedObs
		for _, id := range ids {
			i := slices.IndexFunc(in.obs, func(o codedObs) bool { return o.Obs.ID == id })
			if i < 0 {
				return nil, fmt.Errorf("%s: no observation %q (have %s)", in.source, id, obsIDs(in.obs))
			}
			keep = append(keep, in.obs[i])
		}
		in.obs = keep
	}
	if len(in.obs) == 0 {
		return nil, fmt.Errorf("%s: no observations", in.source)
	}
	return in, nil
}

func obsIDs(obs []codedObs) string {
	var ids []string
	for _, o := range obs {
		ids = append(ids, o.Obs.ID)
	}
	if len(ids) == 0 {
		return "none"
	}
	return strings.Join(ids, ", ")
}

// loadProject reads every observation of a project; set by
// cmd_metrics_store.go, which links the project store in.
var loadProject func(path string) (*coded, error)

// isProjectPath: project files end in .dyad; a path with no extension is
// taken as a project too, so the error says what is wrong with it.
func isProjectPath(p string) bool {
	ext := strings.ToLower(filepath.Ext(p))
	return ext == ".dyad" || ext == ""
}

// loadFiles reads interchange files (dyadcode CSV, or any format
// registered for import) against a scheme from a file or the bundled
// default.
func loadFiles(paths []string, schemePath string) (*coded, error) {
	s := annotate.DefaultScheme()
	if schemePath != "" {
		data, err := os.ReadFile(schemePath)
		if err != nil {
			return nil, err
		}
		if s, err = annotate.ParseScheme(data); err != nil {
			return nil, fmt.Errorf("%s: %w", schemePath, err)
		}
	}
	in := &coded{source: strings.Join(paths, ", "), title: strings.Join(paths, ", "), scheme: s}
	for _, path := range paths {
		f, err := formatFor("", path)
		if err != nil {
			return nil, err
		}
		if f.read == nil {
			return nil, fmt.Errorf("%s: the %s format is export-only", path, f.name)
		}
		r, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		recs, err := f.read(r, path, s)
		r.Close()
		if err != nil {
			return nil, err
		}
		for _, t := range recs {
			name := t.Video
			if name == "" {
				name = filepath.Base(path)
			}
			in.obs = append(in.obs, codedObs{Obs: t.Obs, Video: name, End: t.EndOrLast()})
		}
	}
	return in, nil
}

// refuseProjectOutput stops an output (CSV, report, PNG, proxy video)
// from replacing a project: `export P.dyad --format csv -o P.dyad` would
// otherwise swap all its coding for a CSV, whatever the extension says.
func refuseProjectOutput(path string) error {
	if store.IsProjectFile(path) {
		return fmt.Errorf("write %s: it is a dyadcode project; refusing to replace it with this output (choose another -o file)", path)
	}
	return nil
}

// refuseOverwrite is refuseProjectOutput for outputs that are not video
// (CSV, reports, PNG): they must not replace a video either, since
// `frame v.mp4 --index 0 -o v.mp4` or an export with --format onto a
// recording would destroy the original footage. (proxy may replace an
// older proxy, so it checks only for a project.)
func refuseOverwrite(path string) error {
	if err := refuseProjectOutput(path); err != nil {
		return err
	}
	if isVideoFile(path) {
		return fmt.Errorf("write %s: it is a video; refusing to replace it with this output (choose another -o file)", path)
	}
	return nil
}

// isVideoFile reports whether path exists and starts like a video
// container: MP4/MOV (ftyp, moov, mdat, free or wide box), Matroska/WebM
// (EBML), AVI (RIFF…AVI) or MPEG-TS (sync bytes 188 apart).
func isVideoFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var b [377]byte
	n, _ := io.ReadFull(f, b[:])
	h := b[:n]
	switch {
	case n >= 8 && slices.Contains([]string{"ftyp", "moov", "mdat", "free", "wide", "skip"}, string(h[4:8])):
		return true
	case n >= 4 && string(h[:4]) == "\x1a\x45\xdf\xa3":
		return true
	case n >= 12 && string(h[:4]) == "RIFF" && string(h[8:11]) == "AVI":
		return true
	case n >= 377 && h[0] == 0x47 && h[188] == 0x47 && h[376] == 0x47:
		return true
	}
	return false
}

// writeOutput writes to path, or to standard output when path is empty;
// a file is written whole or not at all.
func writeOutput(env *cmdEnv, path string, write func(io.Writer) error) error {
	if path == "" {
		return write(env.stdout)
	}
	if err := refuseOverwrite(path); err != nil {
		return err
	}
	if err := atomicfile.Write(path, write); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
