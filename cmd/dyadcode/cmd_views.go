package main

import (
	"encoding/json"
	"errors"
	"fmt"

	"dyadcode/annotate"
	"dyadcode/app"
	"dyadcode/store"
)

func init() {
	register(&command{
		name: "add-view",
		args: "PROJECT.dyad --observation ID VIDEO [--offset S | --sync]",
		summary: `Add another camera's video to an observation's session.
The observation's own video stays the time base (event times are its
times); the new view shows, at session time t, its frame at t - offset. By
default (--sync) the offset is found from the two recordings' sound, as
'dyadcode sync' does, and printed with its confidence; a weak match (under
2.5) is refused: give the offset with --offset S (seconds; where the new
video's time 0 lies on the session timeline, may be negative). At most four
views per session. The edit can be undone in the coding window.`,
		run: runAddView,
	})
	register(&command{
		name: "nudge-view",
		args: "PROJECT.dyad --observation ID --view VIDEO_ID [--frames N] [--ms N] [--set S]",
		summary: `Move a view's offset, as an undoable edit: by N of that view's frames
(--frames, may be negative), by N milliseconds in steps of 10 (--ms), or to
S seconds (--set). A positive nudge shows what the view recorded earlier at
every session time. Prints the new offset.`,
		run: runNudgeView,
	})
}

func runAddView(env *cmdEnv, args []string) error {
	c := commands["add-view"]
	fs := newFlags(env, c)
	obs := fs.String("observation", "", "the observation whose session gets the view (see 'dyadcode observations')")
	offset := fs.String("offset", "", "the view's offset in seconds instead of finding it by sound")
	_ = fs.Bool("sync", true, "find the offset from the sound (the default)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("need a project and a video (got %d arguments)", len(pos))
	}
	if *obs == "" {
		return usagef("say which observation with --observation ID")
	}
	var off *annotate.Time
	if *offset != "" {
		t, err := annotate.ParseSeconds(*offset)
		if err != nil {
			return usagef("--offset %q: %v", *offset, err)
		}
		off = &t
	}
	p, err := app.OpenProject(pos[0], false)
	if err != nil {
		return err
	}
	defer p.Close()
	prop, err := app.AddView(p, env.engine, *obs, pos[1], off)
	if prop.Synced {
		fmt.Fprintf(env.stdout, "offset found from the sound: %+.3f s (confidence %.1f)\n", prop.Offset.Float(), prop.Confidence)
	}
	if err != nil {
		if errors.Is(err, app.ErrLowConfidence) {
			return fmt.Errorf("%w (the video stays in the project as %s)", err, prop.Video.ID)
		}
		return err
	}
	fmt.Fprintf(env.stdout, "observation %s: added view %s %s at offset %s s\n", *obs, prop.Video.ID, prop.Video.Path, prop.Offset.Seconds())
	return nil
}

func runNudgeView(env *cmdEnv, args []string) error {
	c := commands["nudge-view"]
	fs := newFlags(env, c)
	obs := fs.String("observation", "", "the observation")
	view := fs.String("view", "", "the view's video ID (v2, ...)")
	frames := fs.Int("frames", 0, "frames of that view to move by")
	ms := fs.Int("ms", 0, "milliseconds to move by, a multiple of 10")
	set := fs.String("set", "", "set the offset to this many seconds")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("need one project (got %d arguments)", len(pos))
	}
	if *obs == "" || *view == "" {
		return usagef("say which observation and view with --observation ID --view VIDEO_ID")
	}
	if *ms%10 != 0 {
		return usagef("--ms %d: nudges are in steps of 10 ms", *ms)
	}
	if *set == "" && *frames == 0 && *ms == 0 {
		return usagef("say how far: --frames N, --ms N or --set S")
	}
	p, err := app.OpenProject(pos[0], false)
	if err != nil {
		return err
	}
	defer p.Close()
	ed, err := p.Editor(*obs)
	if err != nil {
		return err
	}
	if *set != "" {
		t, err := annotate.ParseSeconds(*set)
		if err != nil {
			return usagef("--set %q: %v", *set, err)
		}
		if _, err := ed.SetViewOffset(*view, t); err != nil {
			return err
		}
	} else if _, err := app.NudgeView(p, ed, *view, *frames, *ms/10); err != nil {
		return err
	}
	v, _ := ed.Obs.ViewOf(*view)
	fmt.Fprintf(env.stdout, "observation %s: view %s at offset %s s\n", *obs, *view, v.Offset.Seconds())
	return nil
}

// viewsColumn is the observations list's VIEWS column by observation ID,
// nil when every session is one view.
func viewsColumn(p *store.Project, infos []store.ObservationInfo) (map[string]string, error) {
	sessions, err := p.Sessions()
	if err != nil {
		return nil, err
	}
	var out map[string]string
	for _, in := range infos {
		if len(sessions[in.ID]) == 0 {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		s := ""
		for i, v := range sessions[in.ID] {
			if i > 0 {
				s += ", "
			}
			s += fmt.Sprintf("%s %+.3fs", v.Video, v.Offset.Float())
		}
		out[in.ID] = s
	}
	return out, nil
}

// sessionJSON is `probe PROJECT --json`'s shape per observation.
type sessionJSON struct {
	Observation string     `json:"observation"`
	Coder       string     `json:"coder"`
	Views       []viewJSON `json:"views"`
}

type viewJSON struct {
	Video    string `json:"video"`
	Path     string `json:"path"`
	Primary  bool   `json:"primary,omitempty"`
	Offset   string `json:"offset_s"`
	Rate     string `json:"frame_rate,omitempty"`
	Frames   int64  `json:"frames,omitempty"`
	Duration string `json:"duration_s,omitempty"`
}

// probeSessions is `probe PROJECT.dyad`: every observation's session.
func probeSessions(env *cmdEnv, path string, asJSON bool) error {
	p, err := app.OpenProject(path, true)
	if err != nil {
		return err
	}
	defer p.Close()
	infos, err := p.Observations()
	if err != nil {
		return err
	}
	var all []sessionJSON
	for _, in := range infos {
		o, err := p.Observation(in.ID)
		if err != nil {
			return err
		}
		views, err := app.Session(p, o)
		if err != nil {
			return err
		}
		sj := sessionJSON{Observation: in.ID, Coder: in.Coder}
		for _, v := range views {
			sj.Views = append(sj.Views, viewJSON{Video: v.Video.ID, Path: v.Video.Path, Primary: v.Primary, Offset: v.Offset.Seconds(),
				Rate: v.Video.Rate.String(), Frames: v.Video.Frames, Duration: v.Video.Duration.Seconds()})
		}
		all = append(all, sj)
	}
	if asJSON {
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(all)
	}
	w := env.stdout
	for _, sj := range all {
		fmt.Fprintf(w, "observation %s (%s): %d view(s)\n", sj.Observation, sj.Coder, len(sj.Views))
		for _, v := range sj.Views {
			role := "offset " + v.Offset + " s"
			if v.Primary {
				role = "primary, the time base"
			}
			fmt.Fprintf(w, "  %-4s %s (%s; %s fps, %d frames, %s s)\n", v.Video, v.Path, role, v.Rate, v.Frames, v.Duration)
		}
	}
	return nil
}
