package audio

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/asticode/go-astiav"
)

// Test media is made once per test binary with the ffmpeg CLI, so every test
// decodes real files in real containers and codecs.
var (
	mediaDir  string
	mediaMu   sync.Mutex
	mediaMade = map[string]error{}
)

func TestMain(m *testing.M) {
	// The damaged-file tests make FFmpeg complain by design; our errors
	// carry what matters.
	astiav.SetLogLevel(astiav.LogLevelQuiet)
	dir, err := os.MkdirTemp("", "dyadcode-audio-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	mediaDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// toneExpr is a 440 Hz tone for 3 s then 2 s of silence.
const toneExpr = "aevalsrc=if(lt(t\\,3)\\,0.8*sin(2*PI*440*t)\\,0):s=44100:d=5"

// media recipes: name -> ffmpeg arguments (output appended).
var recipes = map[string][]string{
	// 440 Hz for 3 s then 2 s of silence, lossless.
	"tone.wav": {"-f", "lavfi", "-i", toneExpr, "-c:a", "pcm_s16le"},
	// The same as AAC stereo in MP4 with a video track (what labs record).
	"tone.mp4": {"-f", "lavfi", "-i", "testsrc=size=64x48:rate=25:d=5", "-f", "lavfi", "-i", toneExpr,
		"-ac", "2", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-c:a", "aac", "-b:a", "128k",
		"-movflags", "+faststart", "-shortest"},
	// Video without audio.
	"silent.mp4": {"-f", "lavfi", "-i", "testsrc=size=64x48:rate=25:d=2", "-c:v", "libx264", "-preset", "ultrafast"},
	// Audio (4 s) longer than video (1 s).
	"longaudio.mkv": {"-f", "lavfi", "-i", "testsrc=size=64x48:rate=25:d=1", "-f", "lavfi", "-i",
		"sine=frequency=440:duration=4:sample_rate=48000", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "flac"},
	// MPEG-TS: non-zero start time (1.4 s), MP2 audio.
	"tone.ts": {"-f", "lavfi", "-i", "testsrc=size=64x48:rate=25:d=5", "-f", "lavfi", "-i", toneExpr,
		"-c:v", "libx264", "-preset", "ultrafast", "-c:a", "mp2", "-shortest"},
	// 60 s of speech-like noise at 48 kHz stereo AAC, for benchmarks.
	"long60.m4a": {"-f", "lavfi", "-i", "anoisesrc=d=60:c=pink:r=48000:a=0.3", "-ac", "2", "-c:a", "aac", "-b:a", "128k"},
	// 10 min of the same, for the waveform benchmark.
	"long600.m4a": {"-f", "lavfi", "-i", "anoisesrc=d=600:c=pink:r=48000:a=0.3", "-ac", "2", "-c:a", "aac", "-b:a", "128k"},
	// Two audio tracks (room mic 440 Hz, lapel mic 880 Hz) in Matroska.
	"twotrack.mkv": {"-f", "lavfi", "-i", "sine=frequency=440:duration=2:sample_rate=48000", "-f", "lavfi", "-i",
		"sine=frequency=880:duration=2:sample_rate=48000", "-map", "0", "-map", "1", "-c:a", "flac",
		"-metadata:s:a:1", "language=eng", "-metadata:s:a:1", "title=lapel"},
	// 60 s of 720p30 at high bitrate (~110 MB) with AAC: reading a video's
	// audio must not cost reading its video.
	"video720.mp4": {"-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:d=60", "-f", "lavfi", "-i",
		"anoisesrc=d=60:c=pink:r=48000:a=0.3", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "8",
		"-c:a", "aac", "-ac", "2", "-movflags", "+faststart"},
	// Raw elementary streams, whose demuxers seek by bytes, not by index.
	"tone.aac": {"-f", "lavfi", "-i", toneExpr, "-c:a", "aac", "-f", "adts"},
	"tone.mp2": {"-f", "lavfi", "-i", toneExpr, "-c:a", "mp2", "-b:a", "128k"},
	"tone.ogg": {"-f", "lavfi", "-i", toneExpr, "-c:a", "flac", "-f", "ogg"},
	// What cameras and phones write, and what labs convert to.
	"tone.avi":  {"-f", "lavfi", "-i", "testsrc=size=64x48:rate=25:d=5", "-f", "lavfi", "-i", toneExpr, "-c:v", "mpeg4", "-c:a", "libmp3lame", "-b:a", "128k", "-shortest"},
	"tone.webm": {"-f", "lavfi", "-i", toneExpr, "-c:a", "libopus", "-b:a", "96k"},
	"tone.mov":  {"-f", "lavfi", "-i", "testsrc=size=64x48:rate=25:d=5", "-f", "lavfi", "-i", toneExpr, "-c:v", "mjpeg", "-c:a", "pcm_s16le", "-shortest"},
	"tone.mp3":  {"-f", "lavfi", "-i", toneExpr, "-c:a", "libmp3lame", "-b:a", "128k"},
	"tone.ac3":  {"-f", "lavfi", "-i", toneExpr, "-ac", "2", "-c:a", "ac3"},
	// 5.1 surround and 96 kHz: downmixed and resampled for the device.
	"surround.ac3": {"-f", "lavfi", "-i", toneExpr, "-af", "pan=5.1|FL=c0|FR=c0|FC=c0|LFE=c0|BL=c0|BR=c0", "-c:a", "ac3"},
	"hires.flac":   {"-f", "lavfi", "-i", "aevalsrc=if(lt(t\\,3)\\,0.8*sin(2*PI*440*t)\\,0):s=96000:d=5", "-c:a", "flac"},
	// A text file is not media.
	"notmedia.mp4": nil,
	// An empty file.
	"empty.wav": nil,
}

// media returns the path of a test file, making it on first use.
func media(tb testing.TB, name string) string {
	tb.Helper()
	mediaMu.Lock()
	defer mediaMu.Unlock()
	path := filepath.Join(mediaDir, name)
	if err, ok := mediaMade[name]; ok {
		if err != nil {
			tb.Fatal(err)
		}
		return path
	}
	var err error
	switch name {
	case "notmedia.mp4":
		err = os.WriteFile(path, []byte(strings.Repeat("this is not a video\n", 200)), 0o644)
	case "empty.wav":
		err = os.WriteFile(path, nil, 0o644)
	default:
		args, ok := recipes[name]
		if !ok {
			tb.Fatalf("no recipe for %s", name)
		}
		err = ffmpeg(path, args...)
	}
	mediaMade[name] = err
	if err != nil {
		tb.Fatal(err)
	}
	return path
}

func ffmpeg(out string, args ...string) error {
	full := append([]string{"-hide_banner", "-loglevel", "error", "-nostdin", "-y"}, args...)
	full = append(full, out)
	cmd := exec.Command("ffmpeg", full...)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("ffmpeg %s: %v\n%s", strings.Join(full, " "), err, b)
	}
	return nil
}

// truncated copies src keeping the first frac of its bytes.
func truncated(tb testing.TB, src string, frac float64) string {
	tb.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		tb.Fatal(err)
	}
	dst := filepath.Join(tb.TempDir(), fmt.Sprintf("trunc-%.2f-%s", frac, filepath.Base(src)))
	if err := os.WriteFile(dst, b[:int(float64(len(b))*frac)], 0o644); err != nil {
		tb.Fatal(err)
	}
	return dst
}

// corrupted copies src and overwrites n random runs of 64 bytes in its
// middle half with garbage (deterministic per seed).
func corrupted(tb testing.TB, src string, seed int64, n int) string {
	tb.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		tb.Fatal(err)
	}
	r := rand.New(rand.NewSource(seed))
	for i := 0; i < n; i++ {
		at := len(b)/4 + r.Intn(len(b)/2)
		for j := at; j < at+64 && j < len(b); j++ {
			b[j] = byte(r.Intn(256))
		}
	}
	dst := filepath.Join(tb.TempDir(), fmt.Sprintf("corrupt-%d-%s", seed, filepath.Base(src)))
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		tb.Fatal(err)
	}
	return dst
}
