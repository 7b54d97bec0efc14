package media

import (
	"math/rand/v2"
	"testing"

	"dyadcode/media/mediatest"
)

// Benchmarks run on a 1080p30 long-GOP H.264 file (made once, ~20 s to
// encode). `go test -tags migrated_fynedo -run '^$' -bench . ./media/`

func hdIndex(b *testing.B) (string, *Index) {
	b.Helper()
	path := mediatest.Path(b, mediatest.HD)
	ix, err := BuildIndex(path, nil)
	if err != nil {
		b.Fatal(err)
	}
	return path, ix
}

// BenchmarkDecode: straight decoding, per frame (no RGBA conversion).
func BenchmarkDecode(b *testing.B) {
	path, ix := hdIndex(b)
	d, err := OpenWith(path, ix, DecoderOptions{CacheBytes: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := int64(i) % ix.Len()
		if n == 0 && i > 0 {
			b.StopTimer()
			d.Close()
			d, _ = OpenWith(path, ix, DecoderOptions{CacheBytes: -1})
			b.StartTimer()
		}
		if err := d.fetch(n, false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRender: YUV to RGBA at 1280x720 into a reused image.
func BenchmarkRender(b *testing.B) {
	path, ix := hdIndex(b)
	d, err := OpenWith(path, ix, DecoderOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	d.SetSize(1280, 720)
	if _, err := d.Frame(10); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := d.Current(); err != nil {
			b.Fatal(err)
		}
	}
}

func benchSeeks(b *testing.B, opt DecoderOptions) {
	path, ix := hdIndex(b)
	opt.CacheBytes = -1
	d, err := OpenWith(path, ix, opt)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := d.Frame(rng.Int64N(ix.Len())); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSeek compares exact seeking (flush + skip of non-reference
// frames before the target) with the plain method and with reopening the
// decoder instead of flushing it.
func BenchmarkSeek(b *testing.B) {
	b.Run("exact-flush", func(b *testing.B) { benchSeeks(b, DecoderOptions{}) })
	b.Run("exact-reopen", func(b *testing.B) { benchSeeks(b, DecoderOptions{Reopen: true}) })
	b.Run("plain", func(b *testing.B) { benchSeeks(b, DecoderOptions{Plain: true}) })
}

// BenchmarkStepBack: one back-step from the middle of a long GOP, the cache
// warm after the first.
func BenchmarkStepBack(b *testing.B) {
	path, ix := hdIndex(b)
	d, err := OpenWith(path, ix, DecoderOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	d.SetSize(1280, 720)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%100 == 0 {
			b.StopTimer()
			if _, err := d.Frame(400); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		if _, err := d.Step(-1); err != nil {
			b.Fatal(err)
		}
	}
}
