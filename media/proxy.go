package media

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"dyadcode/annotate"
)

// ProxyOptions tune MakeProxy.
type ProxyOptions struct {
	// GOP is the keyframe interval in frames (0 = 12): every seek then
	// decodes at most GOP-1 frames.
	GOP int
	// CRF is x264's quality (0 = 20; lower is better and bigger).
	CRF int
}

// ErrNoFFmpeg: the ffmpeg command, which makes proxies, is not installed.
var ErrNoFFmpeg = errors.New("the ffmpeg command is not installed")

// MakeProxy transcodes src into a coding-friendly H.264 MP4 at dst: short
// GOP, no B-frames, every frame kept with its timestamp (so frame i has the
// same media time in both files and an observation can point at the proxy
// while its times stay those of the original), audio kept. progress gets
// (media time done, duration). The output is written to a temporary file and
// renamed when it has been checked frame for frame against the original.
//
// The encoding runs the ffmpeg command (the same libavcodec/libx264 the
// program links): its muxing of every container's audio into MP4 is mature
// and a proxy is a one-off job, not the interactive path.
func MakeProxy(ctx context.Context, src, dst string, opt ProxyOptions, progress func(done, total annotate.Time)) error {
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		return fmt.Errorf("proxy %s: %w (install ffmpeg)", src, ErrNoFFmpeg)
	}
	info, ix, err := scan(src, nil)
	if err != nil {
		return fmt.Errorf("proxy: %w", err)
	}
	if opt.GOP <= 0 {
		opt.GOP = 12
	}
	if opt.CRF <= 0 {
		opt.CRF = 20
	}
	if abs1, _ := filepath.Abs(src); abs1 != "" {
		if abs2, _ := filepath.Abs(dst); abs1 == abs2 {
			return fmt.Errorf("proxy %s: the output would overwrite the original", src)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".proxy-*.mp4")
	if err != nil {
		return fmt.Errorf("proxy %s: %w", dst, err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name())

	args := []string{"-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-progress", "pipe:1", "-nostats",
		"-i", src, "-map", "0:v:0", "-map", "0:a:0?",
		"-c:v", "libx264", "-preset", "veryfast", "-crf", strconv.Itoa(opt.CRF),
		"-g", strconv.Itoa(opt.GOP), "-keyint_min", strconv.Itoa(opt.GOP), "-sc_threshold", "0", "-bf", "0",
		"-pix_fmt", "yuv420p",
		// Every input frame out with its own timestamp: no frame-rate
		// conversion, so VFR stays VFR and the counts agree.
		"-fps_mode", "passthrough", "-enc_time_base", "-1",
		"-movflags", "+faststart"}
	if ix.TimeBase.Num == 1 && ix.TimeBase.Den > 0 && ix.TimeBase.Den <= 1<<30 {
		// The original's clock, so timestamps convert without rounding.
		args = append(args, "-video_track_timescale", strconv.FormatInt(ix.TimeBase.Den, 10))
	}
	switch info.AudioCodec {
	case "":
	case "aac", "mp3", "ac3":
		args = append(args, "-c:a", "copy")
	default:
		args = append(args, "-c:a", "aac", "-b:a", "160k")
	}
	args = append(args, "-f", "mp4", tmp.Name())
	cmd := exec.CommandContext(ctx, "ffmpeg", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("proxy %s: %w", src, err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("proxy %s: %w", src, err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), "=")
		if k == "out_time_us" && progress != nil {
			if us, err := strconv.ParseInt(v, 10, 64); err == nil {
				progress(min(annotate.Time(us), info.Duration), info.Duration)
			}
		}
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("proxy %s: ffmpeg: %v: %s", src, err, strings.TrimSpace(stderr.String()))
	}
	// Check before publishing: same frames at the same media times.
	pix, err := BuildIndex(tmp.Name(), nil)
	if err != nil {
		return fmt.Errorf("proxy %s: the new file does not read back: %w", src, err)
	}
	if pix.Len() != ix.Len() {
		return fmt.Errorf("proxy %s: the proxy has %d frames, the original %d", src, pix.Len(), ix.Len())
	}
	for i := range ix.PTS {
		if d := pix.PTS[i] - ix.PTS[i]; d < -1 || d > 1 {
			return fmt.Errorf("proxy %s: frame %d is at %s s in the proxy, %s s in the original", src, i, pix.PTS[i].Seconds(), ix.PTS[i].Seconds())
		}
	}
	if progress != nil {
		progress(info.Duration, info.Duration)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("proxy %s: %w", dst, err)
	}
	return nil
}
