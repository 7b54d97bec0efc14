package metrics

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"dyadcode/annotate"
)

func sec(s string) annotate.Time { return annotate.MustSeconds(s) }

// obsBuilder makes observations in code with readable times.
type obsBuilder struct{ o *annotate.Observation }

func newObs() *obsBuilder {
	return &obsBuilder{o: &annotate.Observation{ID: "1", Video: "v1", Coder: "alice", NextID: 1}}
}

func (b *obsBuilder) mark(name, at string) *obsBuilder {
	b.o.Episodes = append(b.o.Episodes, annotate.EpisodeMark{Name: name, Start: sec(at)})
	return b
}

func (b *obsBuilder) add(code, start, end string) *obsBuilder {
	e := annotate.Event{ID: b.o.NextID, Behavior: code, Start: sec(start)}
	if end == "open" {
		e.End, e.Open = e.Start, true
	} else {
		e.End = sec(end)
	}
	b.o.NextID++
	b.o.Events = append(b.o.Events, e)
	annotate.SortEvents(b.o.Events)
	return b
}

func (b *obsBuilder) point(code, at string) *obsBuilder { return b.add(code, at, at) }

const (
	ep1 = "1 Introduction"
	ep2 = "2 Caregiver and child"
	ep4 = "4 First separation"
	ep5 = "5 First reunion"
)

// scenario is the hand-computed case of docs/metrics.md: video 100 s,
// episodes 1 [10,30), 2 [30,50), 4 [50,70), 5 [70,100).
func scenario() *annotate.Observation {
	b := newObs().mark(ep1, "10").mark(ep2, "30").mark(ep4, "50").mark(ep5, "70")
	b.add("explore", "20", "35") // crosses 1|2
	b.point("check_back", "25").point("check_back", "32").point("check_back", "40")
	b.add("distress", "12", "14").add("distress", "42", "44")
	b.add("distress", "55", "open") // crosses 4|5, still running at the end
	b.point("approach", "5").point("approach", "45").point("approach", "60").point("approach", "80")
	b.add("cg_soothe", "20", "21").add("cg_soothe", "41", "43").add("cg_soothe", "58", "62")
	b.point("smile", "30")     // exactly on the 1|2 boundary: episode 2
	b.point("vocalize", "100") // exactly at the video end: last episode
	b.add("eye_contact", "65", "75")
	b.o.Ratings = []annotate.Rating{{Episode: ep5, Scale: "proximity_seeking", Value: 5}}
	return b.o
}

// want is one expected cell: value as written to CSV ("" = missing) and
// whether it is censored.
type want struct {
	episode, column, value string
	censored               bool
}

func TestComputeScenario(t *testing.T) {
	s := annotate.DefaultScheme()
	rows, err := Compute(scenario(), s, sec("100"))
	if err != nil {
		t.Fatal(err)
	}
	byEp := map[string]Row{}
	var order []string
	for _, r := range rows {
		byEp[r.Episode] = r
		order = append(order, fmt.Sprintf("%s[%s,%s)", r.Episode, trimZeros(r.Start.Seconds()), trimZeros(r.End.Seconds())))
	}
	if got, exp := strings.Join(order, " "), ep1+"[10,30) "+ep2+"[30,50) "+ep4+"[50,70) "+ep5+"[70,100) session[0,100)"; got != exp {
		t.Fatalf("rows = %s\nwant %s", got, exp)
	}
	cols, err := Columns(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if len(r.Values) != len(cols) {
			t.Fatalf("%s: %d values, %d columns", r.Episode, len(r.Values), len(cols))
		}
		for i, v := range r.Values {
			if v.Column != cols[i] {
				t.Fatalf("%s: value %d is %s, column %s", r.Episode, i, v.Column, cols[i])
			}
		}
	}
	const S = "session"
	cases := []want{
		// explore 20–35 starts in 1, crosses into 2: counted once in 1, time split 10 + 5.
		{ep1, "explore_count", "1", false},
		{ep1, "explore_total_s", "10", false},
		{ep1, "explore_mean_s", "15", false}, // whole duration of the state starting here
		{ep1, "explore_pct", "50", false},
		{ep1, "explore_latency_s", "10", false},
		{ep1, "explore_latency_censored", "0", false},
		{ep2, "explore_count", "0", false},
		{ep2, "explore_total_s", "5", false},
		{ep2, "explore_mean_s", "", false},
		{ep2, "explore_pct", "25", false},
		{ep2, "explore_latency_s", "", true}, // running since ep1: no onset here
		{ep2, "explore_latency_censored", "1", false},
		{S, "explore_count", "1", false},
		{S, "explore_total_s", "15", false},
		{S, "explore_pct", "15", false},
		{S, "explore_latency_s", "20", false},
		// check_back points 25, 32, 40
		{ep1, "check_back_count", "1", false},
		{ep1, "check_back_rate_per_min", "3", false}, // 1 in 20 s
		{ep1, "check_back_latency_s", "15", false},
		{ep2, "check_back_count", "2", false},
		{ep2, "check_back_rate_per_min", "6", false},
		{ep2, "check_back_latency_s", "2", false},
		{ep4, "check_back_count", "0", false},
		{ep4, "check_back_rate_per_min", "0", false},
		{ep4, "check_back_latency_s", "", true},
		{S, "check_back_count", "3", false},
		{S, "check_back_rate_per_min", "1.8", false},
		// distress 12–14, 42–44, 55–open (ends at 100)
		{ep1, "distress_total_s", "2", false},
		{ep1, "distress_pct", "10", false},
		{ep1, "distress_latency_s", "2", false},
		{ep4, "distress_count", "1", false},
		{ep4, "distress_total_s", "15", false},
		{ep4, "distress_mean_s", "45", false},
		{ep4, "distress_pct", "75", false},
		{ep5, "distress_count", "0", false},
		{ep5, "distress_total_s", "30", false},
		{ep5, "distress_pct", "100", false},
		{ep5, "distress_mean_s", "", false},
		{ep5, "distress_latency_s", "", true},
		{S, "distress_count", "3", false},
		{S, "distress_total_s", "49", false},
		{S, "distress_mean_s", "16.333333", false},
		{S, "distress_pct", "49", false},
		{S, "distress_latency_s", "12", false},
		// approach 5 (before the first mark), 45, 60, 80
		{ep1, "approach_count", "0", false},
		{ep1, "approach_latency_s", "", true},
		{ep2, "approach_latency_s", "15", false},
		{ep4, "approach_latency_s", "10", false},
		{ep5, "approach_latency_s", "10", false},
		{S, "approach_count", "4", false},
		{S, "approach_latency_s", "5", false},
		{S, "approach_rate_per_min", "2.4", false},
		// smile exactly on a boundary: episode 2, latency 0 (not censored)
		{ep1, "smile_count", "0", false},
		{ep2, "smile_count", "1", false},
		{ep2, "smile_latency_s", "0", false},
		{ep2, "smile_latency_censored", "0", false},
		// vocalize exactly at the video end: last episode
		{ep5, "vocalize_count", "1", false},
		{ep5, "vocalize_rate_per_min", "2", false},
		{ep5, "vocalize_latency_s", "30", false},
		// eye contact 65–75 crosses 4|5
		{ep4, "eye_contact_total_s", "5", false},
		{ep4, "eye_contact_mean_s", "10", false},
		{ep4, "eye_contact_pct", "25", false},
		{ep5, "eye_contact_total_s", "5", false},
		{ep5, "eye_contact_pct", "16.666667", false},
		// cg_soothe 20–21, 41–43, 58–62
		{ep2, "cg_soothe_total_s", "2", false},
		{S, "cg_soothe_total_s", "7", false},
		{S, "cg_soothe_latency_s", "20", false},
		// proximity: approaches in episodes 4–8 or while distressed
		{ep1, "proximity_approach_count", "0", false},
		{ep2, "proximity_approach_count", "0", false}, // 45: after distress 42–44 ended
		{ep4, "proximity_approach_count", "1", false},
		{ep5, "proximity_approach_count", "1", false},
		{S, "proximity_approach_count", "2", false}, // 5 s: before any episode, calm
		// secure base
		{ep1, "secure_base_explore_total_s", "10", false},
		{ep2, "secure_base_explore_total_s", "5", false},
		{ep1, "secure_base_check_back_per_min", "6", false},  // 1 in 10 s of exploring
		{ep2, "secure_base_check_back_per_min", "12", false}, // 32 during explore, 40 not; 5 s
		{ep4, "secure_base_check_back_per_min", "", false},   // no exploring
		{S, "secure_base_check_back_per_min", "8", false},    // 2 in 15 s
		// comfort seeking: distress 12 (nothing in ep1: censored), 42 (approach 45: 3), 55 (approach 60: 5)
		{ep1, "comfort_seek_latency_first_s", "", true},
		{ep1, "comfort_seek_latency_first_censored", "1", false},
		{ep1, "comfort_seek_latency_mean_s", "", true},
		{ep1, "comfort_seek_latency_n", "1", false},
		{ep1, "comfort_seek_latency_n_censored", "1", false},
		{ep2, "comfort_seek_latency_first_s", "3", false},
		{ep2, "comfort_seek_latency_first_censored", "0", false},
		{ep4, "comfort_seek_latency_first_s", "5", false},
		{ep5, "comfort_seek_latency_first_s", "", false}, // no distress onset: not applicable
		{ep5, "comfort_seek_latency_first_censored", "", false},
		{ep5, "comfort_seek_latency_n", "0", false},
		{S, "comfort_seek_latency_first_s", "", true},
		{S, "comfort_seek_latency_mean_s", "4", false},
		{S, "comfort_seek_latency_n", "3", false},
		{S, "comfort_seek_latency_n_censored", "1", false},
		// soothing: 20 (no distress: not counted), 41 (distress 42–44: 3), 58 (open distress: censored)
		{ep1, "soothing_n", "0", false},
		{ep1, "soothing_first_s", "", false},
		{ep2, "soothing_first_s", "3", false},
		{ep2, "soothing_mean_s", "3", false},
		{ep4, "soothing_first_s", "", true},
		{ep4, "soothing_n_censored", "1", false},
		{S, "soothing_first_s", "3", false},
		{S, "soothing_mean_s", "3", false},
		{S, "soothing_n", "2", false},
		{S, "soothing_n_censored", "1", false},
		// positive interaction
		{ep2, "positive_count", "1", false},
		{ep4, "positive_count", "1", false},
		{ep5, "positive_count", "1", false},
		{S, "positive_count", "3", false},
		{ep4, "positive_eye_contact_total_s", "5", false},
		{S, "positive_eye_contact_total_s", "10", false},
		// ratings
		{ep5, "rating_proximity_seeking", "5", false},
		{ep4, "rating_proximity_seeking", "", false},
		{S, "rating_proximity_seeking", "", false},
		{ep5, "rating_avoidance", "", false},
	}
	for _, c := range cases {
		r, ok := byEp[c.episode]
		if !ok {
			t.Fatalf("no row %q", c.episode)
		}
		v, ok := r.Get(c.column)
		if !ok {
			t.Errorf("%s: no column %s", c.episode, c.column)
			continue
		}
		if v.String() != c.value || v.Censored != c.censored {
			t.Errorf("%s %s = %q censored=%v, want %q censored=%v", c.episode, c.column, v.String(), v.Censored, c.value, c.censored)
		}
	}
}

func TestComputeEdgeCases(t *testing.T) {
	s := annotate.DefaultScheme()
	t.Run("no episodes: only the session row", func(t *testing.T) {
		rows, err := Compute(newObs().add("explore", "1", "open").o, s, sec("4"))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || !rows[0].Session {
			t.Fatalf("rows = %+v", rows)
		}
		for col, exp := range map[string]string{"explore_total_s": "3", "explore_mean_s": "3", "explore_pct": "75", "explore_latency_s": "1"} {
			if v, _ := rows[0].Get(col); v.String() != exp {
				t.Errorf("%s = %q, want %q", col, v.String(), exp)
			}
		}
	})
	t.Run("empty video: rates and percentages missing, not infinite", func(t *testing.T) {
		rows, err := Compute(newObs().o, s, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, col := range []string{"smile_rate_per_min", "explore_pct"} {
			if v, _ := rows[0].Get(col); !v.Missing {
				t.Errorf("%s = %q, want missing", col, v.String())
			}
		}
	})
	t.Run("event after the end is an error naming it", func(t *testing.T) {
		_, err := Compute(newObs().point("smile", "5").o, s, sec("4"))
		if !errors.Is(err, ErrAfterEnd) || !strings.Contains(err.Error(), "smile") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("state closed after the video end is clipped", func(t *testing.T) {
		rows, err := Compute(newObs().add("explore", "2", "9").o, s, sec("4"))
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := rows[0].Get("explore_total_s"); v.String() != "2" {
			t.Errorf("total = %q, want 2", v.String())
		}
	})
	t.Run("microsecond exactness", func(t *testing.T) {
		o := newObs().mark(ep1, "0").mark(ep2, "0.3").add("explore", "0.1", "0.300001").o
		rows, err := Compute(o, s, sec("0.6"))
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := rows[0].Get("explore_total_s"); v.String() != "0.2" {
			t.Errorf("ep1 total = %q", v.String())
		}
		if v, _ := rows[1].Get("explore_total_s"); v.String() != "0.000001" {
			t.Errorf("ep2 total = %q", v.String())
		}
	})
	t.Run("latency target in the next episode does not count", func(t *testing.T) {
		o := newObs().mark(ep1, "0").mark(ep2, "10").add("distress", "5", "12").point("seek_comfort", "11").o
		rows, err := Compute(o, s, sec("20"))
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := rows[0].Get("comfort_seek_latency_first_s"); !v.Censored {
			t.Errorf("ep1 latency = %q, want censored", v.String())
		}
	})
	t.Run("soothing while a distress already runs", func(t *testing.T) {
		o := newObs().add("distress", "1", "8").add("cg_soothe", "3", "5").o
		rows, err := Compute(o, s, sec("20"))
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := rows[0].Get("soothing_first_s"); v.String() != "5" {
			t.Errorf("soothing = %q, want 5 (3 → end of distress at 8)", v.String())
		}
	})
}

func TestMeasureDeclarations(t *testing.T) {
	base := annotate.DefaultScheme()
	cases := []struct {
		name, json string
		err        string // substring; "" = valid
		columns    []string
	}{
		{"empty array: no derived measures", `[]`, "", nil},
		{"custom count", `[{"name":"reunion_smiles","type":"count","behaviors":["smile"],"episodes":["5 First reunion"]}]`, "", []string{"reunion_smiles_count"}},
		{"latency columns", `[{"name":"d2s","type":"latency","from":["distress"],"to":["seek_comfort"]}]`, "",
			[]string{"d2s_first_s", "d2s_first_censored", "d2s_mean_s", "d2s_n", "d2s_n_censored"}},
		{"unknown type", `[{"name":"x","type":"median","behaviors":["smile"]}]`, `type "median"`, nil},
		{"unknown behaviour", `[{"name":"x","type":"count","behaviors":["giggle"]}]`, `unknown behavior "giggle"`, nil},
		{"duration of a point", `[{"name":"x","type":"duration","behaviors":["smile"]}]`, `"smile" is a point`, nil},
		{"unknown episode", `[{"name":"x","type":"count","behaviors":["smile"],"episodes":["9 Bonus"]}]`, `unknown episode "9 Bonus"`, nil},
		{"clash with a behaviour column", `[{"name":"smile","type":"count","behaviors":["smile"]}]`, `column "smile_count" is already produced`, nil},
		{"duplicate measure", `[{"name":"a","type":"count","behaviors":["smile"]},{"name":"a","type":"count","behaviors":["smile"]}]`, `already produced by measure "a"`, nil},
		{"unused field", `[{"name":"a","type":"duration","behaviors":["explore"],"to":["calm"]}]`, `does not use "to"`, nil},
		{"typo in a field", `[{"name":"a","type":"count","behavior":["smile"]}]`, `unknown field`, nil},
		{"bad name", `[{"name":"A b","type":"count","behaviors":["smile"]}]`, `name "A b"`, nil},
		{"not an array", `{"name":"a"}`, `must be an array`, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := base.Clone()
			s.Measures = json.RawMessage(c.json)
			ms, err := ParseMeasures(s)
			if c.err != "" {
				if err == nil || !errors.Is(err, ErrBadMeasure) && !strings.Contains(err.Error(), ErrBadMeasure.Error()) || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want one containing %q", err, c.err)
				}
				if _, err := Compute(newObs().o, s, sec("1")); err == nil {
					t.Fatal("Compute accepted a scheme with bad measures")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var cols []string
			for _, m := range ms {
				cols = append(cols, m.Columns()...)
			}
			if strings.Join(cols, ",") != strings.Join(c.columns, ",") {
				t.Fatalf("columns = %v, want %v", cols, c.columns)
			}
		})
	}
}

func TestDefaultMeasuresRoundTrip(t *testing.T) {
	// The defaults written out and read back as a declaration give the same
	// measures: the JSON in docs/metrics.md is a working starting point.
	s := annotate.DefaultScheme()
	def := DefaultMeasures(s)
	if len(def) != 7 {
		t.Fatalf("%d default measures, want 7", len(def))
	}
	raw, err := MarshalMeasures(def)
	if err != nil {
		t.Fatal(err)
	}
	s.Measures = raw
	got, err := ParseMeasures(s)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(def)
	b, _ := json.Marshal(got)
	if !bytes.Equal(a, b) {
		t.Fatalf("round trip changed the measures:\n%s\n%s", a, b)
	}
}

func TestDefaultsSkipMissingCodes(t *testing.T) {
	s := &annotate.Scheme{Name: "tiny",
		Subjects:  []annotate.Subject{{Code: "child"}},
		Behaviors: []annotate.Behavior{{Code: "smile", Subject: "child", Kind: annotate.Point}, {Code: "eye_contact", Subject: "child", Kind: annotate.State}}}
	ms, err := ParseMeasures(s)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range ms {
		names = append(names, m.Name)
	}
	// positive needs smile, vocalize and eye_contact: dropped; eye-contact time applies.
	if strings.Join(names, ",") != "positive_eye_contact" {
		t.Fatalf("defaults = %v", names)
	}
}

func TestTemplate(t *testing.T) {
	s := annotate.DefaultScheme()
	marks, err := Template(s, sec("5"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range marks {
		got = append(got, m.Name[:1]+"@"+trimZeros(m.Start.Seconds()))
	}
	if exp := "1@5 2@35 3@215 4@395 5@575 6@755 7@935 8@1115"; strings.Join(got, " ") != exp {
		t.Fatalf("template = %s, want %s", strings.Join(got, " "), exp)
	}
	s.Episodes[2].Nominal = 0
	if _, err := Template(s, 0); !errors.Is(err, ErrNoNominal) {
		t.Fatalf("err = %v, want ErrNoNominal", err)
	}
}

func TestWriters(t *testing.T) {
	s := &annotate.Scheme{Name: "tiny", Measures: json.RawMessage(`[]`),
		Subjects:  []annotate.Subject{{Code: "child"}},
		Behaviors: []annotate.Behavior{{Code: "smile", Subject: "child", Kind: annotate.Point}},
		Episodes:  []annotate.EpisodeDef{{Name: "A"}, {Name: "B, second"}}}
	o := newObs().mark("A", "0").mark("B, second", "30").point("smile", "10").o
	rows, err := Compute(o, s, sec("45"))
	if err != nil {
		t.Fatal(err)
	}
	var wide, long bytes.Buffer
	if err := WriteWide(&wide, rows); err != nil {
		t.Fatal(err)
	}
	expWide := `video,observation,coder,episode,episode_start_s,episode_end_s,smile_count,smile_rate_per_min,smile_latency_s,smile_latency_censored
v1,1,alice,A,0,30,1,2,10,0
v1,1,alice,"B, second",30,45,0,0,,1
v1,1,alice,session,0,45,1,1.333333,10,0
`
	if wide.String() != expWide {
		t.Errorf("wide:\n%s\nwant:\n%s", wide.String(), expWide)
	}
	if err := WriteLong(&long, rows[1:2]); err != nil {
		t.Fatal(err)
	}
	expLong := `video,observation,coder,episode,measure,value,censored
v1,1,alice,"B, second",smile_count,0,0
v1,1,alice,"B, second",smile_rate_per_min,0,0
v1,1,alice,"B, second",smile_latency_s,,1
v1,1,alice,"B, second",smile_latency_censored,1,0
`
	if long.String() != expLong {
		t.Errorf("long:\n%s\nwant:\n%s", long.String(), expLong)
	}
}

// The JSON in docs/metrics.md must be exactly the defaults, so users who
// copy it into a scheme get what they had.
func TestDocsDeclareTheDefaults(t *testing.T) {
	doc, err := os.ReadFile("../../docs/metrics.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```json\n")
	block, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("docs/metrics.md has no ```json block")
	}
	s := annotate.DefaultScheme()
	s.Measures = json.RawMessage(block)
	got, err := ParseMeasures(s)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(DefaultMeasures(s))
	b, _ := json.Marshal(got)
	if !bytes.Equal(a, b) {
		t.Fatalf("docs declare\n%s\nbut the defaults are\n%s", b, a)
	}
}
