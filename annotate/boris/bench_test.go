package boris

import (
	"bytes"
	"fmt"
	"testing"

	"dyadcode/annotate"
)

// BenchmarkRead10k reads a BORIS 8 tabular export of 10,000 rows (START,
// STOP and POINT over the default scheme).
func BenchmarkRead10k(b *testing.B) {
	s := annotate.DefaultScheme()
	var doc bytes.Buffer
	doc.WriteString("Observation id\tSubject\tBehavior\tModifier #1\tBehavior type\tTime\tMedia file name\tComment\n")
	t := annotate.Time(0)
	for rows := 0; rows < 10_000; {
		for _, bh := range s.Behaviors {
			t += 40 * annotate.Millisecond
			if bh.Kind == annotate.Point {
				fmt.Fprintf(&doc, "obs\t%s\t%s\t\tPOINT\t%s\tv.mp4\t\n", bh.Subject, bh.Code, t.Seconds())
				rows++
				continue
			}
			fmt.Fprintf(&doc, "obs\t%s\t%s\t\tSTART\t%s\tv.mp4\t\n", bh.Subject, bh.Code, t.Seconds())
			fmt.Fprintf(&doc, "obs\t%s\t%s\t\tSTOP\t%s\tv.mp4\t\n", bh.Subject, bh.Code, (t + 20*annotate.Millisecond).Seconds())
			rows += 2
		}
	}
	b.SetBytes(int64(doc.Len()))
	for b.Loop() {
		if _, err := Read(bytes.NewReader(doc.Bytes()), "bench.tsv", s); err != nil {
			b.Fatal(err)
		}
	}
}
