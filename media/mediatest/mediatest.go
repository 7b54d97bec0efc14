// Package mediatest makes real media files with the ffmpeg CLI for tests of
// the media, ui and cmd packages. Every file is generated once per machine
// and argument list: it lives under os.TempDir() keyed by a hash of the ffmpeg
// arguments (and ffmpeg's version line), is written to a temporary name and
// renamed into place, so parallel test binaries of different packages never
// see a half-written file and never regenerate one another's work.
//
// Files are small (320x240, 2–10 s) so suites stay fast, and their picture
// changes every frame (testsrc2 draws a moving pattern and a frame counter), so
// a test that lands one frame off compares different pixels and fails.
package mediatest

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Spec describes one generated file.
type Spec struct {
	Name string   // short name used in test tables and the cached file name
	Ext  string   // container extension, with the dot: ".mp4"
	Args []string // ffmpeg arguments between the input options and the output name
	// Frames is the number of video frames the file holds, as ffprobe counts
	// them; tests compare against ffprobe itself, this is documentation.
	Frames int
	// Patch, when set, edits the file ffmpeg wrote before it is published
	// (for metadata the ffmpeg CLI of Debian 12 cannot write).
	Patch func(path string) error
	// Source, when set, is made first and passed to ffmpeg as the input,
	// after SourceOpts (input options such as -ss): for files that other
	// tools derive from a recording, like a stream-copy trim.
	Source     *Spec
	SourceOpts []string
}

// Video sources. testsrc2 differs every frame; sine gives a real audio track.
var (
	src25   = []string{"-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25"}
	src30   = []string{"-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30"}
	srcNTSC = []string{"-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30000/1001"}
	sine    = []string{"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"}
)

func join(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// The catalogue. Each entry is a case a lab meets with camera or phone files.
var (
	// H264LongGOP: H.264 with B-frames (3, pyramid) and one keyframe per 250
	// frames, so exact seeks must decode far forward from the keyframe.
	H264LongGOP = Spec{Name: "h264_longgop", Ext: ".mp4", Frames: 250, Args: join(src25, sine,
		[]string{"-t", "10", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-bf", "3", "-b-pyramid", "normal",
			"-x264-params", "bframes=3:b-adapt=0:scenecut=0:rc-lookahead=10:sliced-threads=0:sync-lookahead=0",
			"-g", "250", "-keyint_min", "250", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-shortest"})}
	// H264VFR: variable frame rate, 25 fps for 2 s, then 10 fps for 2 s,
	// then 30 fps, as phones produce when the light changes.
	H264VFR = Spec{Name: "h264_vfr", Ext: ".mp4", Frames: 50 + 20 + 30, Args: join(src25,
		[]string{"-frames:v", "100", "-vf", "setpts='if(lt(N,50),N/25,if(lt(N,70),2+(N-50)/10,4+(N-70)/30))/TB'",
			"-fps_mode", "vfr", "-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "40",
			"-video_track_timescale", "90000", "-pix_fmt", "yuv420p", "-an"})}
	// NTSC: 29.97 fps (30000/1001), H.264 with audio.
	NTSC = Spec{Name: "ntsc", Ext: ".mp4", Frames: 150, Args: join(srcNTSC, sine,
		[]string{"-frames:v", "150", "-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "60",
			"-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-shortest"})}
	// MPEG4AVI: MPEG-4 Part 2 (DivX/Xvid style) in AVI. Without B-frames:
	// AVI has no presentation timestamps and FFmpeg's packed-B-frame
	// handling drops the first frame's timestamp and the last frame there.
	MPEG4AVI = Spec{Name: "mpeg4_avi", Ext: ".avi", Frames: 125, Args: join(src25, sine,
		[]string{"-frames:v", "125", "-c:v", "mpeg4", "-q:v", "5", "-bf", "0", "-g", "50",
			"-c:a", "pcm_s16le", "-shortest"})}
	// VP9WebM: VP9 (with hidden alt-ref frames) in WebM, Opus-free so no
	// extra codec is needed: Vorbis is not guaranteed, so no audio.
	VP9WebM = Spec{Name: "vp9_webm", Ext: ".webm", Frames: 100, Args: join(src25,
		[]string{"-frames:v", "100", "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8",
			"-b:v", "300k", "-g", "50", "-an"})}
	// MJPEGMOV: Motion JPEG in QuickTime, every frame a keyframe.
	MJPEGMOV = Spec{Name: "mjpeg_mov", Ext: ".mov", Frames: 60, Args: join(src30,
		[]string{"-frames:v", "60", "-c:v", "mjpeg", "-q:v", "5", "-pix_fmt", "yuvj420p", "-an"})}
	// Rotated: a phone-style MP4 with a 90° display rotation tag; the coded
	// picture is 320x240, the displayed one 240x320.
	Rotated = Spec{Name: "rotated", Ext: ".mp4", Frames: 60, Args: join(src30, sine,
		[]string{"-frames:v", "60", "-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "30",
			"-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-shortest"}), Patch: rotate90}
	// MPEGTS: H.264 in MPEG-TS with a stream start time of about 10 s, as
	// broadcast recorders and some cameras write.
	MPEGTS = Spec{Name: "mpegts", Ext: ".ts", Frames: 100, Args: join(src25, sine,
		[]string{"-frames:v", "100", "-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "50",
			"-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-shortest", "-output_ts_offset", "10"})}
	// NoAudio: H.264 MP4 with no audio stream.
	NoAudio = Spec{Name: "noaudio", Ext: ".mp4", Frames: 75, Args: join(src25,
		[]string{"-frames:v", "75", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p", "-an"})}
	// LongAudio: 3 s of video and 5 s of audio.
	LongAudio = Spec{Name: "longaudio", Ext: ".mp4", Frames: 75, Args: join(src25, sine,
		[]string{"-map", "0:v", "-map", "1:a", "-frames:v", "75", "-t:a", "5", "-c:v", "libx264", "-preset", "ultrafast",
			"-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k"})}
	// OpenGOP: H.264 with open GOPs (B-frames before a keyframe in display
	// order that reference the previous GOP), as broadcast encoders and
	// some cameras write, in Matroska.
	OpenGOP = Spec{Name: "opengop", Ext: ".mkv", Frames: 150, Args: join(src25,
		[]string{"-frames:v", "150", "-c:v", "libx264", "-preset", "ultrafast", "-bf", "3",
			"-x264-params", "open-gop=1:keyint=40:min-keyint=40:scenecut=0:b-adapt=0", "-pix_fmt", "yuv420p", "-an"})}
	// FastStart: H.264 MP4 with the sample table (moov) before the media,
	// as cameras and web tools write; truncating it leaves a playable front.
	FastStart = Spec{Name: "faststart", Ext: ".mp4", Frames: 100, Args: join(src25, sine,
		[]string{"-frames:v", "100", "-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "25",
			"-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-shortest", "-movflags", "+faststart"})}
	// Unsupported: an AVI whose video FourCC ("ZZZZ") no decoder knows, as
	// with files from proprietary surveillance or lab cameras.
	Unsupported = Spec{Name: "unsupported", Ext: ".avi", Frames: 10, Args: join(src25,
		[]string{"-frames:v", "10", "-c:v", "mpeg4", "-an"}), Patch: unknownFourCC}
	// AudioOnly: an M4A with no video stream at all.
	AudioOnly = Spec{Name: "audioonly", Ext: ".m4a", Args: join(sine,
		[]string{"-t", "2", "-c:a", "aac", "-b:a", "64k"})}
	// CoverArt: an M4A whose only "video" is a cover picture (attached_pic).
	CoverArt = Spec{Name: "coverart", Ext: ".m4a", Args: join(sine,
		[]string{"-f", "lavfi", "-i", "color=c=red:size=64x64", "-map", "0:a", "-map", "1:v", "-t", "2", "-frames:v", "1",
			"-c:a", "aac", "-b:a", "64k", "-c:v", "mjpeg", "-disposition:v:0", "attached_pic"})}
	// HD: 1920x1080 at 30 fps, 75 s, long GOP with B-frames (x264's default
	// B-pyramid, so half the B-frames are references): the benchmark file,
	// long enough for `dyadcode bench media`'s 60 s playback. Only the
	// benchmarks use it (encoding it takes about a minute on two cores).
	HD = Spec{Name: "hd1080p30", Ext: ".mp4", Frames: 2250, Args: join(
		[]string{"-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30"}, sine,
		[]string{"-frames:v", "2250", "-c:v", "libx264", "-preset", "veryfast", "-bf", "3", "-g", "250",
			"-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k", "-shortest"})}
)

// All is every video file the decoder tests run on (AudioOnly and HD are
// left out: one has no video, the other is for benchmarks).
var All = []Spec{H264LongGOP, H264VFR, NTSC, MPEG4AVI, VP9WebM, MJPEGMOV, Rotated, MPEGTS, NoAudio, LongAudio, OpenGOP}

var (
	mu      sync.Mutex
	made    = map[string]string{} // key -> path, once per process
	version string
)

// Path returns the file for spec, generating it if needed. It fails the test
// when ffmpeg is missing or refuses the arguments.
func Path(tb testing.TB, s Spec) string {
	tb.Helper()
	p, err := Make(s)
	if err != nil {
		tb.Fatalf("mediatest: %v", err)
	}
	return p
}

// Make is Path without a testing.TB, for benchmarks' setup and commands.
func Make(s Spec) (string, error) {
	mu.Lock()
	defer mu.Unlock()
	if version == "" {
		out, err := exec.Command("ffmpeg", "-hide_banner", "-version").Output()
		if err != nil {
			return "", fmt.Errorf("ffmpeg CLI not available (install ffmpeg): %w", err)
		}
		version, _, _ = strings.Cut(string(out), "\n")
	}
	h := sha256.New()
	fmt.Fprintln(h, version)
	for _, a := range s.Args {
		fmt.Fprintln(h, a)
	}
	if s.Patch != nil {
		fmt.Fprintln(h, "patched", s.Name)
	}
	var src string
	if s.Source != nil {
		mu.Unlock()
		p, err := Make(*s.Source)
		mu.Lock()
		if err != nil {
			return "", fmt.Errorf("source of %s: %w", s.Name, err)
		}
		src = p
		fmt.Fprintln(h, "source", filepath.Base(p))
		for _, a := range s.SourceOpts {
			fmt.Fprintln(h, a)
		}
	}
	key := hex.EncodeToString(h.Sum(nil))[:16]
	if p, ok := made[key]; ok {
		return p, nil
	}
	dir := filepath.Join(os.TempDir(), "dyadcode-mediatest")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	final := filepath.Join(dir, s.Name+"-"+key+s.Ext)
	if st, err := os.Stat(final); err == nil && st.Size() > 0 {
		made[key] = final
		return final, nil
	}
	// A unique temporary name in the same directory, renamed atomically:
	// a parallel process making the same file wins or loses the rename race
	// harmlessly since both files are identical.
	tmp, err := os.CreateTemp(dir, s.Name+"-*.tmp"+s.Ext)
	if err != nil {
		return "", err
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	args := []string{"-hide_banner", "-loglevel", "error", "-nostdin", "-y"}
	if src != "" {
		args = append(append(args, s.SourceOpts...), "-i", src)
	}
	args = append(args, s.Args...)
	args = append(args, tmp.Name())
	cmd := exec.Command("ffmpeg", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("ffmpeg %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	if s.Patch != nil {
		if err := s.Patch(tmp.Name()); err != nil {
			return "", fmt.Errorf("patch %s: %w", s.Name, err)
		}
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil { // CreateTemp makes 0600
		return "", err
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return "", err
	}
	made[key] = final
	return final, nil
}

// Copy copies the file for s into dir under name, for tests that damage it.
func Copy(tb testing.TB, s Spec, dir, name string) string {
	tb.Helper()
	b, err := os.ReadFile(Path(tb, s))
	if err != nil {
		tb.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

// ProbeFrame is one video frame as ffprobe lists it.
type ProbeFrame struct {
	PTS      int64 // best-effort timestamp in stream time base
	KeyFrame bool
	// Timed is false when ffprobe lists the frame without a time (N/A):
	// the last frame out of a decoder draining AVI B-frames, for one.
	Timed bool
}

// ProbeFrames is ffprobe's decoded frame list for the first video stream,
// the reference the media package's numbering must agree with.
func ProbeFrames(tb testing.TB, path string) []ProbeFrame {
	tb.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0",
		"-show_entries", "frame=best_effort_timestamp,key_frame", "-of", "json", path).Output()
	if err != nil {
		tb.Fatalf("ffprobe %s: %v", path, err)
	}
	var doc struct {
		Frames []struct {
			BET      *int64 `json:"best_effort_timestamp"`
			KeyFrame int    `json:"key_frame"`
		} `json:"frames"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		tb.Fatalf("ffprobe %s: %v", path, err)
	}
	fr := make([]ProbeFrame, 0, len(doc.Frames))
	for _, f := range doc.Frames {
		pf := ProbeFrame{KeyFrame: f.KeyFrame == 1, Timed: f.BET != nil}
		if f.BET != nil {
			pf.PTS = *f.BET
		}
		fr = append(fr, pf)
	}
	return fr
}

// StreamInfo is what ffprobe says about the first video stream.
type StreamInfo struct {
	TimeBaseNum, TimeBaseDen int64
	StartPTS                 int64
	RFrameRate               string
	Codec                    string
}

// ProbeStream returns ffprobe's view of the first video stream.
func ProbeStream(tb testing.TB, path string) StreamInfo {
	tb.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0",
		"-show_entries", "stream=time_base,start_pts,r_frame_rate,codec_name", "-of", "json", path).Output()
	if err != nil {
		tb.Fatalf("ffprobe %s: %v", path, err)
	}
	var doc struct {
		Streams []struct {
			TimeBase string `json:"time_base"`
			StartPTS int64  `json:"start_pts"`
			Rate     string `json:"r_frame_rate"`
			Codec    string `json:"codec_name"`
		} `json:"streams"`
	}
	if err := json.Unmarshal(out, &doc); err != nil || len(doc.Streams) == 0 {
		tb.Fatalf("ffprobe %s: no video stream (%v)", path, err)
	}
	s := doc.Streams[0]
	n, d, _ := strings.Cut(s.TimeBase, "/")
	num, _ := strconv.ParseInt(n, 10, 64)
	den, _ := strconv.ParseInt(d, 10, 64)
	return StreamInfo{TimeBaseNum: num, TimeBaseDen: den, StartPTS: s.StartPTS, RFrameRate: s.Rate, Codec: s.Codec}
}

// SortedPTS returns the timed frames' timestamps in display order.
func SortedPTS(fr []ProbeFrame) []int64 {
	out := make([]int64, 0, len(fr))
	for _, f := range fr {
		if f.Timed {
			out = append(out, f.PTS)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// rotate90 writes a 90° display matrix into the first track header (the
// video track: ffmpeg writes the streams in -map order), the way phones
// record portrait video: the coded picture stays landscape and players
// rotate it. FFmpeg reports it as rotation -90 (counter-clockwise convention).
func rotate90(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	i := bytes.Index(b, []byte("tkhd"))
	if i < 0 {
		return fmt.Errorf("no tkhd box in %s", path)
	}
	m := i + 44 // version 0 header
	if b[i+4] == 1 {
		m = i + 56
	}
	if m+36 > len(b) {
		return fmt.Errorf("short tkhd box in %s", path)
	}
	// a b u / c d v / x y w in 16.16 (2.30 for u, v, w).
	vals := []int32{0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000}
	for k, v := range vals {
		binary.BigEndian.PutUint32(b[m+4*k:], uint32(v))
	}
	return os.WriteFile(path, b, 0o644)
}

// unknownFourCC replaces the MPEG-4 FourCC FFmpeg writes into AVI headers
// with one no decoder claims.
func unknownFourCC(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !bytes.Contains(b, []byte("FMP4")) {
		return fmt.Errorf("no FMP4 tag in %s", path)
	}
	b = bytes.ReplaceAll(b, []byte("FMP4"), []byte("ZZZZ"))
	return os.WriteFile(path, b, 0o644)
}
