// Package decode reads a recording's sound for avsync through the media
// package's audio decoder, so synchronisation hears exactly what the
// player plays: media time 0 is the first video frame (the stream start
// the player subtracts), audio that starts later is preceded by silence,
// and every input sample rate arrives resampled to audio.OutputRate.
package decode

import (
	"errors"
	"fmt"
	"io"

	"dyadcode/media"
	"dyadcode/media/audio"
	"dyadcode/media/avsync"
)

// Mono decodes path's first audio track from media time 0 to its end as
// mono samples at rate Hz (a divisor of audio.OutputRate). A file that is
// damaged part-way gives what decoded before the damage; a file without
// audio gives an error wrapping audio.ErrNoAudio.
func Mono(path string, rate int) ([]float64, error) {
	info, err := media.Probe(path)
	if err != nil && !errors.Is(err, media.ErrTruncated) {
		return nil, fmt.Errorf("sync %s: %w", path, err)
	}
	if !info.HasAudio {
		return nil, fmt.Errorf("sync %s: %w", path, audio.ErrNoAudio)
	}
	d, err := audio.OpenDecoder(path, audio.Options{StartTime: info.StartTime})
	if err != nil {
		return nil, fmt.Errorf("sync %s: %w", path, err)
	}
	defer d.Close()
	if audio.OutputRate%rate != 0 {
		return nil, fmt.Errorf("sync %s: %d Hz does not divide the decoder's %d Hz", path, rate, audio.OutputRate)
	}
	// Blocks of whole output samples: 2 channels × (OutputRate/rate)
	// decoder frames each, so no block straddles two reads.
	block := 2 * audio.OutputRate / rate
	buf := make([]float32, block*4096)
	var out []float64
	fill := 0
	for {
		n, err := d.Read(buf[fill:])
		fill += n
		if whole := fill / block * block; whole > 0 && (fill == len(buf) || err != nil) {
			m, derr := avsync.Downmix(buf[:whole], audio.OutputRate, rate)
			if derr != nil {
				return nil, derr
			}
			out = append(out, m...)
			fill = copy(buf, buf[whole:fill])
		}
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("sync %s: decode audio: %w", path, err)
		}
	}
}
