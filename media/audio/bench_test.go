package audio

import (
	"os/exec"
	"strconv"
	"testing"
	"time"

	"dyadcode/mediatime"
)

// Benchmarks: go test -tags migrated_fynedo -run '^$' -bench . -benchtime 3x ./media/audio/
// Each Waveform benchmark has an FFmpeg twin decoding the same file with
// `ffmpeg -i F -f null -`, so the ratio comes from one run on one machine.

func benchWaveform(b *testing.B, name string) {
	path := media(b, name)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		peaks, err := Waveform(path, 2000, nil)
		if err != nil || len(peaks) != 2000 {
			b.Fatal(err, len(peaks))
		}
	}
}

func benchFFmpegNull(b *testing.B, name string) {
	path := media(b, name)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if out, err := exec.Command("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-i", path, "-f", "null", "-").CombinedOutput(); err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
	}
}

func BenchmarkWaveform60s(b *testing.B)     { benchWaveform(b, "long60.m4a") }
func BenchmarkFFmpegNull60s(b *testing.B)   { benchFFmpegNull(b, "long60.m4a") }
func BenchmarkWaveform10min(b *testing.B)   { benchWaveform(b, "long600.m4a") }
func BenchmarkFFmpegNull10min(b *testing.B) { benchFFmpegNull(b, "long600.m4a") }

// The same on a 110 MB 720p video: the video's data is skipped (AVDISCARD_ALL).
// The FFmpeg twin maps the audio only (`-map 0:a`), which discards the same.
func BenchmarkWaveformVideo720p60s(b *testing.B) { benchWaveform(b, "video720.mp4") }
func BenchmarkFFmpegNullVideo720p60s(b *testing.B) {
	path := media(b, "video720.mp4")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if out, err := exec.Command("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-i", path, "-map", "0:a", "-f", "null", "-").CombinedOutput(); err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
	}
}

// The playback path without a device: decode, atempo, resample to the
// output format, for 60 s of stereo AAC. Reports the real-time factor
// (media seconds decoded per second of CPU time).
func BenchmarkDecodeTempo(b *testing.B) {
	path := media(b, "long60.m4a")
	for _, speed := range []float64{1, 0.5, 2} {
		b.Run(strconv.FormatFloat(speed, 'f', -1, 64)+"x", func(b *testing.B) {
			buf := make([]float32, playerChunk/4)
			var total time.Duration
			for i := 0; i < b.N; i++ {
				start := time.Now()
				d, err := OpenDecoder(path, Options{})
				if err != nil {
					b.Fatal(err)
				}
				if err := d.SetSpeed(speed); err != nil {
					b.Fatal(err)
				}
				for {
					_, err := d.Read(buf)
					if err != nil {
						break
					}
				}
				d.Close()
				total += time.Since(start)
			}
			b.ReportMetric(60*float64(b.N)/total.Seconds(), "x-realtime")
		})
	}
}

// An exact seek (demuxer seek, fresh decoder and graph, trim) and the first
// 40 ms chunk after it: the latency a coder feels on Seek with sound on.
func BenchmarkSeekAndFirstChunk(b *testing.B) {
	path := media(b, "long60.m4a")
	d, err := OpenDecoder(path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	buf := make([]float32, playerChunk/4)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := d.Seek(mediatime.Time(i*7919%59000) * mediatime.Millisecond); err != nil {
			b.Fatal(err)
		}
		if _, err := d.Read(buf); err != nil {
			b.Fatal(err)
		}
	}
}
