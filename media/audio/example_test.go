package audio_test

import (
	"errors"
	"fmt"
	"log"

	"dyadcode/media/audio"
	"dyadcode/mediatime"
)

// A player follows a Transport: the file's audio when it has some, else a
// wall clock. Both fall back to the wall clock without a sound card.
func ExampleOpen() {
	var clock audio.Transport
	out, err := audio.Open("session.mp4", audio.Options{StartTime: 0, Device: true})
	switch {
	case err == nil:
		clock = out
	case errors.Is(err, audio.ErrNoAudio):
		clock = audio.NewWallClock()
	default:
		log.Print(err) // names the file and the problem; play the picture anyway
		clock = audio.NewWallClock()
	}
	defer clock.Close()
	_ = clock.Seek(90 * mediatime.Second)
	clock.SetSpeed(0.5) // time-stretched, same pitch
	clock.Play()
	fmt.Println(clock.Now() >= 90*mediatime.Second)
}

// The timeline's audio lane: one bucket per pixel over the session, cached
// in the project store by the video's fingerprint.
func ExampleWaveformOf() {
	peaks, err := audio.WaveformOf("session.mp4", 1920, audio.WaveformOptions{
		End:      20 * mediatime.Minute, // the session the timeline shows
		Progress: func(done, total int64) { fmt.Printf("\r%d%%", 100*done/max(total, 1)) },
	})
	if err != nil && !errors.Is(err, audio.ErrDamaged) {
		log.Fatal(err)
	}
	if err == nil {
		cache := audio.MarshalPeaks(peaks) // store.PutCache("wave:"+fingerprint, cache)
		_ = cache
	}
}
