package eaf

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"dyadcode/annotate"
)

// big is a 2-hour observation of n events over every behaviour of the
// default scheme, the size of a long, densely coded session.
func big(n int) annotate.Transfer {
	s := annotate.DefaultScheme()
	o := &annotate.Observation{Coder: "bench"}
	step := 2 * annotate.Hour / annotate.Time(n)
	for i := 0; i < n; i++ {
		b := s.Behaviors[i%len(s.Behaviors)]
		e := annotate.Event{ID: annotate.EventID(i + 1), Behavior: b.Code, Start: annotate.Time(i) * step}
		e.End = e.Start
		if b.Kind == annotate.State {
			e.End += step // states of one exclusive group (distress, calm) touch, never overlap
		}
		o.Events = append(o.Events, e)
	}
	for i, ep := range s.Episodes {
		o.Episodes = append(o.Episodes, annotate.EpisodeMark{Name: ep.Name, Start: annotate.Time(i) * 15 * annotate.Minute})
	}
	return annotate.Transfer{Obs: o, End: 2 * annotate.Hour, Rate: annotate.Rate{Num: 25, Den: 1}}
}

func BenchmarkWrite10k(b *testing.B) {
	s := annotate.DefaultScheme()
	recs := []annotate.Transfer{big(10_000)}
	for b.Loop() {
		if err := Write(io.Discard, recs, s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRead10k(b *testing.B) {
	s := annotate.DefaultScheme()
	var doc bytes.Buffer
	if err := Write(&doc, []annotate.Transfer{big(10_000)}, s); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(doc.Len()))
	for b.Loop() {
		if _, err := Read(bytes.NewReader(doc.Bytes()), "bench.eaf", s); err != nil {
			b.Fatal(err)
		}
	}
}

// unalignedDoc is an ELAN file of n phrases, each time-subdivided into 5
// parts whose 4 inner boundaries are unaligned, the layout of a
// word-level tier under a phrase tier.
func unalignedDoc(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<ANNOTATION_DOCUMENT AUTHOR="" DATE="2025-01-01T00:00:00Z" FORMAT="3.0" VERSION="3.0"><HEADER TIME_UNITS="milliseconds"/><TIME_ORDER>`)
	slot := 0
	var parents, kids bytes.Buffer
	for i := 0; i < n; i++ {
		first := slot + 1
		fmt.Fprintf(&b, `<TIME_SLOT TIME_SLOT_ID="ts%d" TIME_VALUE="%d"/>`, first, i*1000)
		for k := 1; k <= 4; k++ {
			fmt.Fprintf(&b, `<TIME_SLOT TIME_SLOT_ID="ts%d"/>`, first+k)
		}
		last := first + 5
		fmt.Fprintf(&b, `<TIME_SLOT TIME_SLOT_ID="ts%d" TIME_VALUE="%d"/>`, last, i*1000+900)
		slot = last
		fmt.Fprintf(&parents, `<ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="p%d" TIME_SLOT_REF1="ts%d" TIME_SLOT_REF2="ts%d"><ANNOTATION_VALUE></ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>`, i, first, last)
		for k := 0; k < 5; k++ {
			fmt.Fprintf(&kids, `<ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="c%d_%d" TIME_SLOT_REF1="ts%d" TIME_SLOT_REF2="ts%d"><ANNOTATION_VALUE>smile</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>`, i, k, first+k, first+k+1)
		}
	}
	b.WriteString(`</TIME_ORDER><TIER LINGUISTIC_TYPE_REF="lt" TIER_ID="phrases">`)
	b.Write(parents.Bytes())
	b.WriteString(`</TIER><TIER LINGUISTIC_TYPE_REF="sub" PARENT_REF="phrases" TIER_ID="child words">`)
	b.Write(kids.Bytes())
	b.WriteString(`</TIER><LINGUISTIC_TYPE LINGUISTIC_TYPE_ID="lt" TIME_ALIGNABLE="true"/><LINGUISTIC_TYPE CONSTRAINTS="Time_Subdivision" LINGUISTIC_TYPE_ID="sub" TIME_ALIGNABLE="true"/></ANNOTATION_DOCUMENT>`)
	return b.Bytes()
}

// BenchmarkParseUnaligned10k places 8,000 unaligned slots of 10,000
// subdivision annotations (ELAN's interpolation, linear in the chain).
func BenchmarkParseUnaligned10k(b *testing.B) {
	doc := unalignedDoc(2000)
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		d, err := Parse(bytes.NewReader(doc), "bench.eaf")
		if err != nil {
			b.Fatal(err)
		}
		if a := d.annIdx["c1999_4"].a; a.End != 1999*annotate.Second+900*annotate.Millisecond {
			b.Fatalf("last part ends at %v", a.End)
		}
	}
}
