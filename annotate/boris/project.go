package boris

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"slices"
	"sort"
	"strings"

	"dyadcode/annotate"
)

// A BORIS project file (.boris, JSON) holds the ethogram and every
// observation with its raw events: [time, subject, code, modifiers,
// comment, …]. Reading it directly spares the lab one export per
// observation. Only the parts dyadcode needs are decoded.
type projectFile struct {
	Behaviors    map[string]projectBehavior `json:"behaviors_conf"`
	Observations map[string]projectObs      `json:"observations"`
}

type projectBehavior struct {
	Type string `json:"type"` // "Point event", "State event", …
	Code string `json:"code"`
}

type projectObs struct {
	Type      string              `json:"type"` // MEDIA, LIVE, IMAGES
	File      json.RawMessage     `json:"file"` // {"1": [...], "2": [...]}, or [] for live
	Offset    json.Number         `json:"time offset"`
	Events    [][]json.RawMessage `json:"events"`
	MediaInfo struct {
		Length map[string]json.Number `json:"length"`
		FPS    map[string]json.Number `json:"fps"`
	} `json:"media_info"`
}

// isProject tells a .boris project (JSON) from a table export.
func isProject(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n")
	return len(t) > 0 && t[0] == '{'
}

// exactSeconds converts a JSON number of seconds to µs exactly, rounding
// half up at the microsecond: BORIS writes Python floats, so "32.825" may
// come as "32.825000000000003", which must still mean 32.825 s.
func exactSeconds(num string) (annotate.Time, error) {
	r, ok := new(big.Rat).SetString(strings.TrimSpace(num))
	if !ok {
		return 0, fmt.Errorf("%q is not a number of seconds", num)
	}
	r.Mul(r, big.NewRat(int64(annotate.Second), 1))
	neg := r.Sign() < 0
	r.Abs(r)
	r.Add(r, big.NewRat(1, 2))
	q := new(big.Int).Quo(r.Num(), r.Denom())
	if !q.IsInt64() || q.Int64() > math.MaxInt64/2 {
		return 0, fmt.Errorf("%q seconds is out of range", num)
	}
	t := annotate.Time(q.Int64())
	if neg {
		t = -t
	}
	return t, nil
}

// readProject converts every observation of a BORIS project. Problems are
// located by JSON path (observations["id"].events[i]), the file having no
// useful lines.
func readProject(data []byte, name string, s *annotate.Scheme) ([]annotate.Transfer, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var pj projectFile
	if err := dec.Decode(&pj); err != nil {
		return nil, fmt.Errorf("%s: %w: not a BORIS project: %v", name, ErrMalformed, err)
	}
	if len(pj.Observations) == 0 {
		return nil, fmt.Errorf("%s: %w: the project has no observations", name, ErrMalformed)
	}
	kinds := map[string]annotate.Kind{}
	for _, b := range pj.Behaviors {
		switch {
		case strings.Contains(strings.ToLower(b.Type), "state"):
			kinds[b.Code] = annotate.State
		case strings.Contains(strings.ToLower(b.Type), "point"):
			kinds[b.Code] = annotate.Point
		}
	}
	m := mapper{s}
	var errs []string
	var unknown pathSet
	bad := func(where, format string, a ...any) {
		if len(errs) < maxProblems {
			errs = append(errs, fmt.Sprintf("%s: %s: %s", name, where, fmt.Sprintf(format, a...)))
		}
	}
	ids := make([]string, 0, len(pj.Observations))
	for id := range pj.Observations {
		ids = append(ids, id)
	}
	sort.Strings(ids) // JSON objects have no order; sorted is at least stable
	var out []annotate.Transfer
	for _, id := range ids {
		po := pj.Observations[id]
		path := fmt.Sprintf("observations[%q]", id)
		if strings.EqualFold(po.Type, "IMAGES") {
			bad(path, "observations of image directories have no media time and cannot be imported")
			continue
		}
		var offset annotate.Time
		if po.Offset != "" {
			t, err := exactSeconds(po.Offset.String())
			if err != nil {
				bad(path+`["time offset"]`, "%v", err)
			}
			offset = t
		}
		tr := annotate.Transfer{Obs: &annotate.Observation{ID: id}}
		var players map[string][]string
		if len(po.File) > 0 && po.File[0] == '{' {
			if err := json.Unmarshal(po.File, &players); err != nil {
				bad(path+`["file"]`, "%v", err)
			}
		}
		if files := players["1"]; len(files) > 0 {
			tr.Video = files[0]
			// BORIS's observation time runs on across player 1's files.
			for _, f := range files {
				if l, ok := po.MediaInfo.Length[f]; ok {
					if t, err := exactSeconds(l.String()); err == nil && t > 0 {
						tr.End += t
					}
				}
			}
			if fps, ok := po.MediaInfo.FPS[files[0]]; ok {
				tr.Rate = parseFPS(fps.String())
			}
		}
		open := map[string]int{} // pairing key -> index in events
		var evs []annotate.Event
		for i, raw := range po.Events {
			where := fmt.Sprintf("%s.events[%d]", path, i)
			var f [5]string
			var tnum json.Number
			if len(raw) < 3 {
				bad(where, "an event needs at least time, subject and code")
				continue
			}
			if err := json.Unmarshal(raw[0], &tnum); err != nil {
				bad(where, "time %s is not a number", raw[0])
				continue
			}
			for k := 1; k < 5 && k < len(raw); k++ {
				if err := json.Unmarshal(raw[k], &f[k]); err != nil {
					bad(where, "field %d (%s) is not text", k, raw[k])
				}
			}
			t, err := exactSeconds(tnum.String())
			if err == nil {
				t -= offset
				if t < 0 {
					err = fmt.Errorf("%s s minus the time offset is before the start of the video", tnum)
				}
			}
			if err != nil {
				bad(where, "%v", err)
				continue
			}
			code := f[2]
			b, okB := m.behavior(code)
			if !okB {
				unknown.add(fmt.Sprintf("unknown behaviour %q", code), where)
			}
			subj, okS := m.subject(f[1])
			if !okS {
				unknown.add(fmt.Sprintf("unknown subject %q", f[1]), where)
			}
			var mods []string
			for _, raw := range strings.Split(f[3], "|") {
				raw = strings.TrimSpace(raw)
				if !okB || raw == "" || strings.EqualFold(raw, "None") {
					continue
				}
				found, ok := b.FindModifier(raw)
				if !ok {
					unknown.add(fmt.Sprintf("unknown modifier %q of %q", raw, b.Code), where)
				} else if !slices.Contains(mods, found) {
					mods = append(mods, found)
				}
			}
			if !okB || !okS {
				continue
			}
			if subj != "" && b.Subject != "" && subj != b.Subject {
				bad(where, "behaviour %q belongs to subject %q, not %q", b.Code, b.Subject, subj)
				continue
			}
			if k, ok := kinds[code]; ok && k != b.Kind {
				bad(where, "%q is a %s in the scheme but a %s event in the BORIS ethogram", b.Code, b.Kind, k)
				continue
			}
			ev := annotate.Event{Behavior: b.Code, Subject: subj, Start: t, End: t, Modifiers: mods, Comment: f[4]}
			if b.Kind == annotate.Point {
				evs = append(evs, ev)
				continue
			}
			// BORIS records a state as two identical events, start then
			// stop, paired per subject, code and modifiers.
			key := subj + "\x00" + b.Code + "\x00" + f[3]
			if j, running := open[key]; running {
				delete(open, key)
				if t < evs[j].Start {
					bad(where, "%q stops before it started", b.Code)
					continue
				}
				evs[j].End = t
				evs[j].Open = false
				evs[j].Comment = joinNotes(evs[j].Comment, ev.Comment)
				continue
			}
			ev.Open = true // until its stop is found
			open[key] = len(evs)
			evs = append(evs, ev)
		}
		slices.SortStableFunc(evs, func(a, b annotate.Event) int {
			switch {
			case a.Start < b.Start:
				return -1
			case a.Start > b.Start:
				return 1
			}
			return 0
		})
		for i := range evs {
			evs[i].ID = annotate.EventID(i + 1)
		}
		tr.Obs.Events = evs
		tr.Obs.NextID = annotate.EventID(len(evs) + 1)
		if len(errs) == 0 {
			if err := tr.Obs.Validate(s); err != nil {
				errs = append(errs, fmt.Sprintf("%s: %s: %v", name, path, err))
			}
		}
		out = append(out, tr)
	}
	for _, what := range unknown.order {
		ws := unknown.where[what]
		msg := fmt.Sprintf("%s: %s: %s", name, ws[0], what)
		if len(ws) > 1 {
			msg += fmt.Sprintf(" (and %d more events)", len(ws)-1)
		}
		errs = append(errs, msg)
	}
	if len(errs) > 0 {
		kind := ErrMalformed
		if len(unknown.order) > 0 {
			kind = ErrUnknown
		}
		return nil, fmt.Errorf("%w:\n  %s", kind, strings.Join(errs, "\n  "))
	}
	return out, nil
}

// pathSet gathers unknown names with where they occur, for one report line
// per name.
type pathSet struct {
	order []string
	where map[string][]string
}

func (p *pathSet) add(what, where string) {
	if p.where == nil {
		p.where = map[string][]string{}
	}
	if _, ok := p.where[what]; !ok {
		p.order = append(p.order, what)
	}
	p.where[what] = append(p.where[what], where)
}
