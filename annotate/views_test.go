package annotate

import (
	"errors"
	"reflect"
	"testing"
)

func TestSessionEdits(t *testing.T) {
	ms := Millisecond
	tests := []struct {
		name string
		do   func(ed *Editor) error
		want []View
		err  error
	}{
		{"add", func(ed *Editor) error { _, err := ed.AddView("v2", 1500*ms); return err }, []View{{"v2", 1500 * ms}}, nil},
		{"negative offset", func(ed *Editor) error { _, err := ed.AddView("v2", -2*Second); return err }, []View{{"v2", -2 * Second}}, nil},
		{"primary twice", func(ed *Editor) error { _, err := ed.AddView("v1", 0); return err }, nil, ErrViewTwice},
		{"a video twice", func(ed *Editor) error {
			ed.AddView("v2", 0)
			_, err := ed.AddView("v2", Second)
			return err
		}, []View{{"v2", 0}}, ErrViewTwice},
		{"four at most", func(ed *Editor) error {
			for _, v := range []string{"v2", "v3", "v4"} {
				if _, err := ed.AddView(v, 0); err != nil {
					return err
				}
			}
			_, err := ed.AddView("v5", 0)
			return err
		}, []View{{"v2", 0}, {"v3", 0}, {"v4", 0}}, ErrTooManyViews},
		{"nudge keeps the order", func(ed *Editor) error {
			ed.AddView("v2", 0)
			ed.AddView("v3", Second)
			_, err := ed.NudgeView("v2", -10*ms)
			return err
		}, []View{{"v2", -10 * ms}, {"v3", Second}}, nil},
		{"nudge the primary", func(ed *Editor) error { _, err := ed.NudgeView("v1", ms); return err }, nil, ErrNoView},
		{"set offset", func(ed *Editor) error {
			ed.AddView("v2", 0)
			_, err := ed.SetViewOffset("v2", 40*ms)
			return err
		}, []View{{"v2", 40 * ms}}, nil},
		{"remove", func(ed *Editor) error {
			ed.AddView("v2", 0)
			ed.AddView("v3", 0)
			_, err := ed.RemoveView("v2")
			return err
		}, []View{{"v3", 0}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ed := NewEditor(&Observation{ID: "1", Video: "v1"}, DefaultScheme(), nil, nil, nil)
			err := tt.do(ed)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if !reflect.DeepEqual(ed.Obs.Views, tt.want) {
				t.Fatalf("views = %v, want %v", ed.Obs.Views, tt.want)
			}
			if err := ed.Obs.Validate(ed.Scheme); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A nudge is undone and redone like any edit, through the journal.
func TestNudgeUndoRedo(t *testing.T) {
	j := &memJournal{}
	ed := NewEditor(&Observation{ID: "1", Video: "v1"}, DefaultScheme(), j, nil, nil)
	if _, err := ed.AddView("v2", 500*Millisecond); err != nil {
		t.Fatal(err)
	}
	if _, err := ed.NudgeView("v2", 40*Millisecond); err != nil {
		t.Fatal(err)
	}
	if v, _ := ed.Obs.ViewOf("v2"); v.Offset != 540*Millisecond {
		t.Fatalf("after nudge %v", v.Offset)
	}
	if ch, err := ed.Undo(); err != nil || ch.Label != "nudge view v2" {
		t.Fatalf("undo %q %v", ch.Label, err)
	}
	if v, _ := ed.Obs.ViewOf("v2"); v.Offset != 500*Millisecond {
		t.Fatalf("after undo %v", v.Offset)
	}
	ed.Undo()
	if len(ed.Obs.Views) != 0 {
		t.Fatalf("undoing the add left %v", ed.Obs.Views)
	}
	ed.Redo()
	ed.Redo()
	if v, _ := ed.Obs.ViewOf("v2"); v.Offset != 540*Millisecond {
		t.Fatalf("after redo %v", v.Offset)
	}
	if want := []Op{OpDo, OpDo, OpUndo, OpUndo, OpRedo, OpRedo}; !reflect.DeepEqual(j.ops, want) {
		t.Fatalf("journal %v", j.ops)
	}
	// A view t - offset: session 1 s is the view's 0.46 s.
	v, _ := ed.Obs.ViewOf("v2")
	if got := v.ToView(Second); got != 460*Millisecond || v.ToSession(got) != Second {
		t.Fatalf("ToView %v", got)
	}
}
