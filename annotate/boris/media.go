package boris

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"dyadcode/annotate"
)

// mediaFile is one of player 1's media files: BORIS plays them one after
// the other, and an observation's time runs on across them.
type mediaFile struct {
	name   string
	length annotate.Time // 0 when unknown
	rate   annotate.Rate
}

// splitByMedia turns one BORIS observation, timed on BORIS's observation
// time line, into one Transfer per media file of player 1, each timed on
// its own file: a dyadcode observation codes one video. A state running
// across the end of a file is cut there and continues from the start of
// the next one, as BORIS shows it. With one file (or none: a live
// observation) nothing moves.
func splitByMedia(id string, evs []annotate.Event, files []mediaFile) []annotate.Transfer {
	if len(files) <= 1 {
		tr := annotate.Transfer{Obs: &annotate.Observation{ID: id}}
		if len(files) == 1 {
			tr.Video, tr.End, tr.Rate = files[0].name, files[0].length, files[0].rate
		}
		tr.Obs.Events = numbered(evs)
		tr.Obs.NextID = annotate.EventID(len(evs) + 1)
		return []annotate.Transfer{tr}
	}
	starts := make([]annotate.Time, len(files))
	for i := 1; i < len(files); i++ {
		starts[i] = starts[i-1] + files[i-1].length
	}
	// fileAt is the file an observation time lies in; the last file takes
	// whatever lies beyond the known lengths.
	fileAt := func(t annotate.Time) int {
		for i := len(files) - 1; i > 0; i-- {
			if t >= starts[i] {
				return i
			}
		}
		return 0
	}
	parts := make([][]annotate.Event, len(files))
	for _, e := range evs {
		i := fileAt(e.Start)
		for {
			part := e
			part.Start -= starts[i]
			part.End -= starts[i]
			last := i == len(files)-1
			if part.Open || last || e.End <= starts[i]+files[i].length {
				parts[i] = append(parts[i], part)
				break
			}
			part.End = files[i].length // cut at the end of this file
			parts[i] = append(parts[i], part)
			e.Start = starts[i+1]
			i++
		}
	}
	out := make([]annotate.Transfer, len(files))
	for i, f := range files {
		oid := id
		if i > 0 {
			oid = fmt.Sprintf("%s [%d/%d]", id, i+1, len(files))
		}
		out[i] = annotate.Transfer{Video: f.name, End: f.length, Rate: f.rate,
			Obs: &annotate.Observation{ID: oid, Events: numbered(parts[i]), NextID: annotate.EventID(len(parts[i]) + 1)}}
	}
	return out
}

// numbered sorts events by start and gives them IDs 1, 2, ….
func numbered(evs []annotate.Event) []annotate.Event {
	slices.SortStableFunc(evs, func(a, b annotate.Event) int { return cmp.Compare(a.Start, b.Start) })
	for i := range evs {
		evs[i].ID = annotate.EventID(i + 1)
	}
	return evs
}

// sourceFiles reads player 1's files from a BORIS 8/9 export's "Source"
// column ("player #1:a.mp4;b.mp4|player #2:c.mp4") with their durations
// and rates from "Media duration (s)" and "FPS" ("179.960;359.960|…").
// ok is false when the columns do not give every file's duration.
func sourceFiles(source, durations, fps string) (files []mediaFile, ok bool) {
	src, _, _ := strings.Cut(source, "|")
	if _, rest, found := strings.Cut(src, ":"); found && strings.HasPrefix(fold(src), "player #") {
		src = rest
	}
	durs, _, _ := strings.Cut(durations, "|")
	rates, _, _ := strings.Cut(fps, "|")
	names := splitList(src)
	ls := splitList(durs)
	rs := splitList(rates)
	if len(names) == 0 || len(ls) != len(names) {
		return nil, false
	}
	for i, n := range names {
		t, err := annotate.ParseSeconds(ls[i])
		if err != nil || t <= 0 {
			return nil, false
		}
		f := mediaFile{name: n, length: t}
		if i < len(rs) {
			f.rate = parseFPS(rs[i])
		}
		files = append(files, f)
	}
	return files, true
}

func splitList(v string) []string {
	var out []string
	for _, x := range strings.Split(v, ";") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
