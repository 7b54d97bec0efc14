// Package avsynctest makes camera pairs for synchronisation tests with the
// ffmpeg CLI (through mediatest, so each file is made once per machine):
// one room's sound, filmed by cameras switched on at different times, at
// different frame and sample rates, gains, codecs and containers, each
// with its own independent microphone noise.
package avsynctest

import (
	"fmt"
	"testing"

	"dyadcode/media/mediatest"
)

// Room is a room's sound: seeded white noise switched on and off by a sum
// of incommensurate sines, so it has bursts and pauses like voices and
// claps, and no period a wrong lag could also match. 40 s at 48 kHz.
type Room struct {
	Name string
	Seed int
	Gate string // ffmpeg volume expression in t, 0 or 1
}

// The rooms of the tests: Lab is the session, Elsewhere shares no sound
// with it.
var (
	Lab       = Room{"sync_room", 11, "gt(sin(2*PI*0.73*t)+sin(2*PI*1.31*t+1)+sin(2*PI*0.277*t+2),0.7)"}
	Elsewhere = Room{"sync_other_room", 12, "gt(sin(2*PI*0.61*t+0.5)+sin(2*PI*1.17*t+2)+sin(2*PI*0.33*t+1),0.7)"}
)

// Path returns the room's sound as a WAV file.
func (r Room) Path(tb testing.TB) string {
	tb.Helper()
	return mediatest.Path(tb, mediatest.Spec{Name: r.Name, Ext: ".wav", Args: []string{
		"-f", "lavfi", "-i", fmt.Sprintf("anoisesrc=seed=%d:amplitude=0.5:sample_rate=48000:duration=40", r.Seed),
		"-af", "volume=eval=frame:volume='" + r.Gate + "'", "-c:a", "pcm_s16le"}})
}

// Camera is one camera's recording of a room.
type Camera struct {
	Name string
	Room Room
	// From is when the camera was switched on, in the room's seconds.
	From       float64
	FPS        int
	SampleRate int
	Gain       float64
	NoiseSeed  int
	Codec, Ext string
}

// Path films the room: 25 s of 160x120 H.264 video with the room's sound
// from From, scaled by Gain, mixed with pink noise of its own seed,
// resampled to SampleRate and encoded with Codec.
func (c Camera) Path(tb testing.TB) string {
	tb.Helper()
	return mediatest.Path(tb, mediatest.Spec{Name: c.Name, Ext: c.Ext, Args: []string{
		"-f", "lavfi", "-i", fmt.Sprintf("testsrc2=size=160x120:rate=%d", c.FPS),
		"-ss", fmt.Sprintf("%.3f", c.From), "-i", c.Room.Path(tb),
		"-f", "lavfi", "-i", fmt.Sprintf("anoisesrc=color=pink:amplitude=0.08:seed=%d:sample_rate=48000", c.NoiseSeed),
		"-filter_complex", fmt.Sprintf("[1:a]volume=%g[s];[s][2:a]amix=inputs=2:duration=first:normalize=0,aresample=%d[a]", c.Gain, c.SampleRate),
		"-map", "0:v", "-map", "[a]", "-t", "25", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
		"-c:a", c.Codec, "-ar", fmt.Sprint(c.SampleRate)}})
}

// The cameras of the tests. Reference was switched on 2 s into the
// session; Later 3.4 s after it (30 fps, 44.1 kHz PCM in Matroska,
// quieter); Earlier 1.25 s before it (24 fps, 32 kHz AAC, louder);
// OtherRoom films Elsewhere.
var (
	Reference = Camera{"sync_ref", Lab, 2, 25, 48000, 1, 1, "aac", ".mp4"}
	Later     = Camera{"sync_later", Lab, 5.4, 30, 44100, 0.35, 2, "pcm_s16le", ".mkv"}
	Earlier   = Camera{"sync_earlier", Lab, 0.75, 24, 32000, 1.8, 3, "aac", ".mp4"}
	OtherRoom = Camera{"sync_elsewhere", Elsewhere, 2, 25, 48000, 1, 4, "aac", ".mp4"}
)

// Offset is where c's time 0 lies on ref's timeline: the truth a
// synchronisation must find.
func Offset(ref, c Camera) float64 { return c.From - ref.From }
