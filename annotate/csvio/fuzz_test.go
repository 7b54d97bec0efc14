package csvio

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"dyadcode/annotate"
)

// FuzzRead feeds arbitrary bytes to Read, with and without a scheme. Read
// must never panic; what it accepts must export and read back to the same
// observations, and what it refuses must be an *Error with at least one
// FILE:LINE problem.
//
// The seed corpus is in testdata/fuzz/FuzzRead; run it longer with
//
//	go test -tags migrated_fynedo -run '^$' -fuzz FuzzRead -fuzztime 60s ./annotate/csvio/
func FuzzRead(f *testing.F) {
	f.Add([]byte(Header+"\n"), true)
	f.Add([]byte("behavior,start_s,end_s\nsmile,1,1\n"), false)
	s := annotate.DefaultScheme()
	f.Fuzz(func(t *testing.T, data []byte, withScheme bool) {
		var sc *annotate.Scheme
		if withScheme {
			sc = s
		}
		recs, err := Read(bytes.NewReader(data), "fuzz.csv", sc)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrMalformed) || len(e.Problems) == 0 || recs != nil {
				t.Fatalf("bad error %T %v with %d observations", err, err, len(recs))
			}
			for _, p := range e.Problems {
				if p.Line < 1 {
					t.Fatalf("problem without a line: %+v", p)
				}
			}
			return
		}
		var out bytes.Buffer
		if err := Write(&out, recs, sc); err != nil {
			t.Fatalf("Write: %v", err)
		}
		back, err := Read(bytes.NewReader(out.Bytes()), "again.csv", sc)
		if err != nil {
			t.Fatalf("exported file does not read back: %v\nfile:\n%s", err, out.Bytes())
		}
		if !sameTransfers(recs, back, sc == nil) {
			t.Fatalf("round trip changed the observations\nfirst  %+v\nsecond %+v\nfile:\n%s", dump(recs), dump(back), out.Bytes())
		}
	})
}

// sameTransfers compares what a round trip must keep. Without a scheme a
// zero-length state is written as a point (the file is all there is to go
// by), which is the same event.
func sameTransfers(a, b []annotate.Transfer, _ bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Project != y.Project || x.Video != y.Video || x.End != y.End || !reflect.DeepEqual(x.Obs, y.Obs) {
			return false
		}
	}
	return true
}

func dump(recs []annotate.Transfer) []any {
	var out []any
	for _, r := range recs {
		out = append(out, r.Project, r.Video, r.End, *r.Obs)
	}
	return out
}
