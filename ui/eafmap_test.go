package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dyadcode/annotate"
	"dyadcode/annotate/eaf"
)

// An ELAN file as a lab's RA writes it: a gaze tier named after the RA, a
// quality child tier, a transcript. None matches the scheme by name.
const ambiguousEAF = `<ANNOTATION_DOCUMENT AUTHOR="" DATE="2025-01-01T00:00:00Z" FORMAT="3.0" VERSION="3.0">
<HEADER MEDIA_FILE="" TIME_UNITS="milliseconds"/>
<TIME_ORDER><TIME_SLOT TIME_SLOT_ID="t1" TIME_VALUE="1000"/><TIME_SLOT TIME_SLOT_ID="t2" TIME_VALUE="2000"/><TIME_SLOT TIME_SLOT_ID="t3" TIME_VALUE="3000"/></TIME_ORDER>
<TIER LINGUISTIC_TYPE_REF="lt" PARTICIPANT="Baby 7" TIER_ID="Gaze RA1"><ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" TIME_SLOT_REF1="t1" TIME_SLOT_REF2="t2"><ANNOTATION_VALUE></ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION></TIER>
<TIER LINGUISTIC_TYPE_REF="assoc" PARENT_REF="Gaze RA1" TIER_ID="Quality"><ANNOTATION><REF_ANNOTATION ANNOTATION_ID="q1" ANNOTATION_REF="a1"><ANNOTATION_VALUE>brief</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION></TIER>
<TIER LINGUISTIC_TYPE_REF="lt" TIER_ID="Transcript"><ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="w1" TIME_SLOT_REF1="t1" TIME_SLOT_REF2="t3"><ANNOTATION_VALUE>mama</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION></TIER>
<TIER LINGUISTIC_TYPE_REF="lt" TIER_ID="smile"/>
<LINGUISTIC_TYPE LINGUISTIC_TYPE_ID="lt" TIME_ALIGNABLE="true"/>
<LINGUISTIC_TYPE CONSTRAINTS="Symbolic_Association" LINGUISTIC_TYPE_ID="assoc" TIME_ALIGNABLE="false"/>
</ANNOTATION_DOCUMENT>`

func findButton(o fyne.CanvasObject, text string) *widget.Button {
	switch x := o.(type) {
	case *widget.Button:
		if x.Text == text {
			return x
		}
	case fyne.Widget:
		for _, k := range test.WidgetRenderer(x).Objects() {
			if b := findButton(k, text); b != nil {
				return b
			}
		}
	case *fyne.Container:
		for _, k := range x.Objects {
			if b := findButton(k, text); b != nil {
				return b
			}
		}
	}
	return nil
}

func TestTierMappingDialog(t *testing.T) {
	a := test.NewApp()
	defer a.Quit()
	s := &shell{app: a, win: a.NewWindow("mapping")}
	s.win.Resize(fyne.NewSize(900, 700))
	scheme := annotate.DefaultScheme()
	d, err := eaf.Parse(strings.NewReader(ambiguousEAF), "ra1.eaf")
	if err != nil {
		t.Fatal(err)
	}
	var got *eaf.Mapping
	m := s.tierMappingDialog("ra1.eaf", d.Suggest(scheme, nil), scheme, func(mp *eaf.Mapping) { got = mp })
	// Only the three tiers nothing recognises are asked about; the empty
	// "smile" tier is recognised by its name.
	if len(m.rows) != 3 || m.rows[0].sug.Tier != "Gaze RA1" || m.rows[2].sug.Tier != "Transcript" {
		t.Fatalf("rows %+v", m.rows)
	}
	// Modifiers and comments are offered for the child tier only.
	if n := len(m.rows[1].role.Options); n != 6 || len(m.rows[0].role.Options) != 4 {
		t.Errorf("role options: child %d, top %d", n, len(m.rows[0].role.Options))
	}
	overlay := s.win.Canvas().Overlays().Top()
	if overlay == nil {
		t.Fatal("no dialog shown")
	}
	importBtn := findButton(overlay, "Import")
	if importBtn == nil {
		t.Fatal("no Import button")
	}
	test.Tap(importBtn)
	if got != nil || !strings.Contains(m.msg.Text, `"Gaze RA1": choose what it holds`) {
		t.Fatalf("unanswered import: got %v, message %q", got, m.msg.Text)
	}
	m.rows[0].role.SetSelected("every annotation is one behaviour")
	if m.rows[0].behavior.Disabled() {
		t.Fatal("behaviour choice stays disabled")
	}
	m.rows[0].behavior.SetSelected("eye_contact")
	m.rows[0].subject.SetSelected("child")
	m.rows[1].role.SetSelected("comments on the parent's event")
	m.rows[2].role.SetSelected("ignore this tier")
	if !m.rows[2].behavior.Disabled() || !m.rows[2].subject.Disabled() {
		t.Error("behaviour and subject stay enabled for an ignored tier")
	}
	test.Tap(findButton(s.win.Canvas().Overlays().Top(), "Import"))
	if got == nil || len(got.Tiers) != 3 {
		t.Fatalf("mapping %+v (message %q)", got, m.msg.Text)
	}
	trs, err := d.Import(scheme, got)
	if err != nil {
		t.Fatal(err)
	}
	e := trs[0].Obs.Events[0]
	if len(trs[0].Obs.Events) != 1 || e.Behavior != "eye_contact" || e.Subject != "child" || e.Comment != "brief" || e.Start != annotate.Second {
		t.Fatalf("imported %+v", trs[0].Obs.Events)
	}
}

// A file whose tiers are all recognised asks nothing.
func TestTierMappingNothingToAsk(t *testing.T) {
	a := test.NewApp()
	defer a.Quit()
	s := &shell{app: a, win: a.NewWindow("mapping")}
	d, err := eaf.Parse(strings.NewReader(strings.Replace(strings.Replace(ambiguousEAF, `TIER_ID="Gaze RA1"`, `TIER_ID="child"`, 1), `PARENT_REF="Gaze RA1" TIER_ID="Quality"`, `PARENT_REF="child" TIER_ID="Quality notes"`, 1)), "ok.eaf")
	if err != nil {
		t.Fatal(err)
	}
	scheme := annotate.DefaultScheme()
	called := false
	sugs := d.Suggest(scheme, nil)
	sugs[2].Ambiguous = false // the transcript: say the user already mapped it
	s.tierMappingDialog("ok.eaf", sugs, scheme, func(mp *eaf.Mapping) { called = len(mp.Tiers) == 0 })
	if !called || s.win.Canvas().Overlays().Top() != nil {
		t.Fatalf("called %v, dialog %v", called, s.win.Canvas().Overlays().Top())
	}
}
