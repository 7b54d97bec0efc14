package sdis

import (
	"bytes"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"dyadcode/annotate"
)

var sec = annotate.MustSeconds

func scheme() *annotate.Scheme {
	return &annotate.Scheme{
		Name:     "mini",
		Subjects: []annotate.Subject{{Code: "child", Name: "Child"}},
		Behaviors: []annotate.Behavior{
			{Code: "smile", Name: "Smile", Subject: "child", Kind: annotate.Point},
			{Code: "explore", Name: "Explores", Subject: "child", Kind: annotate.State},
			{Code: "distress", Name: "Distress", Subject: "child", Kind: annotate.State, Modifiers: []string{"cry", "Big Scream!"}},
		},
		Episodes: []annotate.EpisodeDef{{Name: "1 Introduction"}, {Name: "5 First reunion"}},
	}
}

func write(t *testing.T, recs []annotate.Transfer) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, recs, scheme()); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// The expected file is written out by hand from the package comment's
// rules, so any change to the format shows up here.
func TestWriteHandComputed(t *testing.T) {
	o := &annotate.Observation{ID: "7", Coder: "alice", Events: []annotate.Event{
		{ID: 1, Behavior: "explore", Start: sec("1.0"), End: sec("5.25")},
		{ID: 2, Behavior: "smile", Start: sec("2.0404"), End: sec("2.0404")}, // rounds down to 2040
		{ID: 3, Behavior: "explore", Start: sec("4.0"), End: sec("6.0")},     // overlaps #1: merged
		{ID: 4, Behavior: "distress", Start: sec("30.0005"), End: sec("31.9995"), // 30001-32000
			Modifiers: []string{"Big Scream!"}},
		{ID: 5, Behavior: "distress", Start: sec("40"), End: sec("40"), Open: true}, // closed at the end
		{ID: 6, Behavior: "explore", Start: sec("50"), End: sec("50.0002")},         // zero after rounding
	}, Episodes: []annotate.EpisodeMark{{Name: "1 Introduction", Start: 0}, {Name: "5 First reunion", Start: sec("30")}}}
	got := write(t, []annotate.Transfer{{Project: "lab", Video: "a<b>.mp4", Obs: o, End: sec("60")}})
	want := `% SDIS timed-event data written by dyadcode for GSEQ
% project: lab
% coding scheme: mini
% time unit: integer milliseconds from the start of the video; offsets exclusive;
% an event without offset (a point) lasts one unit. Episodes are the ep_ codes;
% <behaviour>_<modifier> codes mark modifiers and co-occur with their behaviour.
% smile = Smile (point, child)
% explore = Explores (state, child)
% distress = Distress (state, child)
% distress_cry = modifier cry of distress
% distress_big_scream = modifier Big Scream! of distress
% ep_1_introduction = episode 1 Introduction
% ep_5_first_reunion = episode 5 First reunion
Timed smile explore distress distress_cry distress_big_scream
 ep_1_introduction ep_5_first_reunion ;

% observation 7, coder alice, video a<b>.mp4
% 1 overlapping occurrence(s) of the same code merged
<alice obs 7 a(b).mp4> ,0
ep_1_introduction,0-30000
explore,1000-6000
smile,2040
ep_5_first_reunion,30000-60000
distress,30001-32000
distress_big_scream,30001-32000
distress,40000-60000
explore,50000
,60000/
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// wellFormed checks the structure GSEQ's compiler needs: one declaration
// ending in ';', every event's code declared, onset < offset <= session end,
// onsets in order, every session closed by '/'.
func wellFormed(t *testing.T, doc string) (sessions int) {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(doc, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "%") {
			lines = append(lines, l)
		}
	}
	decl := ""
	i := 0
	for ; i < len(lines); i++ {
		decl += " " + lines[i]
		if strings.HasSuffix(lines[i], ";") {
			i++
			break
		}
	}
	fields := strings.Fields(strings.TrimSuffix(decl, ";"))
	if len(fields) == 0 || fields[0] != "Timed" {
		t.Fatalf("declaration %q does not start with Timed", decl)
	}
	declared := map[string]bool{}
	codeRe := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	for _, c := range fields[1:] {
		if !codeRe.MatchString(c) || declared[c] {
			t.Errorf("bad or repeated code %q", c)
		}
		declared[c] = true
	}
	ev := regexp.MustCompile(`^([a-z][a-z0-9_]*),(\d+)(?:-(\d+))?$`)
	start := regexp.MustCompile(`^(?:<[^<>]*> )?,0$`)
	end := regexp.MustCompile(`^,(\d+)/$`)
	var last, maxOff int64
	open := false
	for ; i < len(lines); i++ {
		l := lines[i]
		switch {
		case start.MatchString(l):
			if open {
				t.Errorf("session not closed before %q", l)
			}
			open, last, maxOff = true, 0, 0
		case end.MatchString(l):
			e, _ := strconv.ParseInt(end.FindStringSubmatch(l)[1], 10, 64)
			if !open || e < maxOff {
				t.Errorf("session end %q: open=%v, an offset reaches %d", l, open, maxOff)
			}
			open = false
			sessions++
		case ev.MatchString(l):
			m := ev.FindStringSubmatch(l)
			on, _ := strconv.ParseInt(m[2], 10, 64)
			off := on + 1
			if m[3] != "" {
				off, _ = strconv.ParseInt(m[3], 10, 64)
			}
			if !declared[m[1]] || off <= on || on < last || !open {
				t.Errorf("bad event line %q", l)
			}
			last, maxOff = on, max(maxOff, off)
		default:
			t.Errorf("unexpected line %q", l)
		}
	}
	if open {
		t.Error("last session not closed")
	}
	return sessions
}

func TestSessionsPerObservation(t *testing.T) {
	s := annotate.DefaultScheme()
	a := &annotate.Observation{ID: "1", Coder: "alice", Events: []annotate.Event{
		{ID: 1, Behavior: "smile", Start: sec("3"), End: sec("3")},
		{ID: 2, Behavior: "smile", Start: sec("3.0001"), End: sec("3.0001")}, // same ms: merged
		{ID: 3, Behavior: "distress", Start: sec("10"), End: sec("20"), Modifiers: []string{"cry", "fuss"}},
	}, Episodes: []annotate.EpisodeMark{{Name: "5 First reunion", Start: sec("8")}}}
	b := &annotate.Observation{ID: "2", Coder: "ben", Events: []annotate.Event{
		{ID: 1, Behavior: "explore", Start: sec("1"), End: sec("1"), Open: true},
	}}
	var buf bytes.Buffer
	if err := Write(&buf, []annotate.Transfer{{Obs: a}, {Obs: b, End: sec("90")}}, s); err != nil {
		t.Fatal(err)
	}
	doc := buf.String()
	if n := wellFormed(t, doc); n != 2 {
		t.Errorf("%d sessions, want 2", n)
	}
	for _, want := range []string{
		"<alice obs 1> ,0\n",
		// No End: the session and the last episode end at the last time.
		"smile,3000\nep_5_first_reunion,8000-20000\ndistress,10000-20000\ndistress_fuss,10000-20000\ndistress_cry,10000-20000\n,20000/\n",
		"explore,1000-90000\n,90000/\n",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("output lacks %q:\n%s", want, doc)
		}
	}
	if strings.Count(doc, "smile,3000") != 1 {
		t.Error("two points in the same millisecond were not merged")
	}
}

func TestWriteRefuses(t *testing.T) {
	bad := &annotate.Observation{Events: []annotate.Event{{ID: 1, Behavior: "nope"}}}
	var b bytes.Buffer
	err := Write(&b, []annotate.Transfer{{Obs: bad}}, scheme())
	if !errors.Is(err, annotate.ErrUnknownCode) || b.Len() != 0 {
		t.Errorf("got %v with %d bytes", err, b.Len())
	}
	if err := Write(&b, nil, scheme()); err == nil {
		t.Error("no error for no observations")
	}
	if err := Write(&b, []annotate.Transfer{{Obs: &annotate.Observation{}}}, nil); err == nil {
		t.Error("no error without a scheme")
	}
}

func TestSanitize(t *testing.T) {
	for in, want := range map[string]string{
		"5 First reunion":  "5_first_reunion",
		"  Big  Scream!! ": "big_scream",
		"Ärger":            "rger",
		"!!!":              "x",
	} {
		if got := sanitize(in); got != want {
			t.Errorf("sanitize(%q) = %q, want %q", in, got, want)
		}
	}
}
