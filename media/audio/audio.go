// Package audio plays a video's soundtrack and provides the playback clock the
// media player follows, plus the waveform peaks of the timeline's audio lane.
//
// Decoding is FFmpeg through go-astiav; one filter graph per stream does the
// time-stretch (atempo, 0.5×–2× without pitch change) and the conversion to
// the output format (aresample/aformat, i.e. swresample). Output is oto (ALSA
// on Linux). Without a sound card everything still works on the wall clock:
// the package never blocks waiting for a device.
//
// The package imports no Fyne, so it is testable headless.
package audio

import (
	"errors"

	"dyadcode/media/internal/av"
	"dyadcode/mediatime"
)

// Sentinel errors callers test with errors.Is.
var (
	// ErrNoAudio: the file has no audio stream (the player then runs on a
	// WallClock).
	ErrNoAudio = errors.New("no audio stream")
	// ErrNotMedia: a directory, an empty file or none FFmpeg reads; the
	// same value as media.ErrNotMedia (one opening path, media/internal/av).
	ErrNotMedia = av.ErrNotMedia
	// ErrTruncated: the file is cut short before FFmpeg can open it (an
	// MP4 without its sample table); the same value as media.ErrTruncated.
	ErrTruncated = av.ErrTruncated
	// ErrClosed: the Output or Decoder was closed.
	ErrClosed = errors.New("audio closed")
	// ErrDamaged: the audio ends early or cannot be decoded past some
	// point (a truncated or corrupt file). What came before is still used.
	ErrDamaged = errors.New("damaged or truncated audio")
	// ErrBadPeaks: cached waveform bytes that are not ours or are damaged.
	ErrBadPeaks = errors.New("not a dyadcode waveform")
)

// Output format handed to the device: 48 kHz stereo float32 little endian.
// One oto context per process fixes a single rate, so every file is
// resampled to it.
const (
	OutputRate     = 48000
	OutputChannels = 2
)

// Speeds at which audio is heard; outside this range it is muted and the
// clock runs on the wall clock scaled by the speed. These are atempo's
// single-instance limits in FFmpeg 5.1 below 1 and a sensible upper bound for
// intelligible speech above 1.
const (
	MinAudibleSpeed = 0.5
	MaxAudibleSpeed = 2.0
)

// Speed limits accepted by SetSpeed; values outside are clamped. The media
// player offers 0.1× to 4×.
const (
	MinSpeed = 0.01
	MaxSpeed = 16.0
)

// Audible reports whether audio is heard at speed f.
func Audible(f float64) bool { return f >= MinAudibleSpeed && f <= MaxAudibleSpeed }

// Clock is what the player follows: the audio clock while audio plays, else
// the wall clock. Times are media times (start time already subtracted).
type Clock interface {
	Now() mediatime.Time
	Running() bool
}

// Transport is a clock the player can drive. Both *Output and *WallClock
// implement it, so the player holds one Transport whether or not the file
// has audio or the machine has a sound card.
type Transport interface {
	Clock
	Play()
	Pause()
	Seek(t mediatime.Time) error
	SetSpeed(f float64)
	Speed() float64
	UsingAudioClock() bool
	Close() error
}

// Options for Open.
type Options struct {
	// StartTime is the stream start to subtract so that media time 0 is the
	// first displayed video frame (the media package passes the video
	// stream's start time). Audio before it is dropped; audio starting after
	// it is preceded by silence, which keeps sound and picture in sync.
	StartTime mediatime.Time
	// Track picks the audio stream, 0-based among the file's audio streams
	// (see Tracks): cameras and recorders often carry a room and a lapel mic.
	Track int
	// Device false never touches oto: the Output validates the file and runs
	// on the wall clock (tests, headless commands).
	Device bool
}

var (
	_ Transport = (*Output)(nil)
	_ Transport = (*WallClock)(nil)
)

func clampSpeed(f float64) float64 {
	switch {
	case f != f: // NaN: keep normal speed rather than poison the clock
		return 1
	case f < MinSpeed:
		return MinSpeed
	case f > MaxSpeed:
		return MaxSpeed
	}
	return f
}
