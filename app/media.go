package app

import (
	"context"
	"errors"
	"fmt"
	"log"

	"dyadcode/annotate"
	"dyadcode/media"
	"dyadcode/media/audio"
)

// Prober reads a video's duration, frame rate and exact frame count.
type Prober interface {
	Probe(path string) (annotate.Video, error)
}

// Cache keeps what is slow to rebuild (a video's frame index, its
// waveform) between sessions; *store.Project implements it.
type Cache interface {
	Cache(key string) ([]byte, error)
	PutCache(key string, data []byte) error
}

// PlayerOpener opens a video for coding, using and filling the cache.
type PlayerOpener interface {
	OpenPlayer(v annotate.Video, c Cache) (*media.Player, error)
}

// Engine is everything the window needs from the media engine.
type Engine interface {
	Prober
	PlayerOpener
	// Waveform returns the audio lane of v (see Media.Waveform).
	Waveform(ctx context.Context, c Cache, v annotate.Video) ([]audio.Peak, error)
}

// Media is the Engine over package media (FFmpeg). The zero value is
// ready to use and silent; Audio plays the soundtrack through the sound
// device.
type Media struct {
	Audio bool
}

var _ Engine = Media{}

// Probe reads the file's timing with FFmpeg.
func (Media) Probe(path string) (annotate.Video, error) {
	in, err := media.Probe(path)
	if err != nil {
		return annotate.Video{}, err
	}
	return annotate.Video{Path: path, Duration: in.Duration, Rate: in.Rate, Frames: in.Frames}, nil
}

// IndexKey names a video's frame index in the project's cache: by content,
// so a moved or renamed file keeps its index.
func IndexKey(v annotate.Video) string { return "media-index:" + v.Fingerprint }

// OpenPlayer opens v.Path (the caller picks the proxy, see PlayPath) with
// the frame index from c when there is one, and stores a freshly built
// index in c, so the next opening skips the scan. A damaged cache entry is
// rebuilt; a failure to store it only costs a rescan next time.
func (m Media) OpenPlayer(v annotate.Video, c Cache) (*media.Player, error) {
	var ix *media.Index
	if c != nil && v.Fingerprint != "" {
		if data, err := c.Cache(IndexKey(v)); err == nil {
			ix, _ = media.UnmarshalIndex(data)
		}
	}
	p, err := media.OpenPlayer(v.Path, media.PlayerOptions{Index: ix, Audio: m.Audio})
	if err != nil {
		return nil, err
	}
	if ix == nil && c != nil && v.Fingerprint != "" {
		if err := c.PutCache(IndexKey(v), p.Index().Marshal()); err != nil {
			log.Printf("dyadcode: cache the frame index of %s: %v", v.Path, err)
		}
	}
	return p, nil
}

// PlayPath is the file to play for v: its proxy when it has one.
func PlayPath(v annotate.Video) string {
	if v.Proxy != "" {
		return v.Proxy
	}
	return v.Path
}

// WaveBuckets is how many peaks the waveform lane gets: one per 20 ms,
// between 1000 and 200,000 (enough to see syllables when zoomed in, small
// enough to cache).
func WaveBuckets(d annotate.Time) int {
	return int(min(max(int64(d/(20*annotate.Millisecond)), 1000), 200_000))
}

func waveformKey(v annotate.Video) string {
	return fmt.Sprintf("waveform:%s:%d", v.Fingerprint, WaveBuckets(v.Duration))
}

// CachedWaveform returns v's waveform from c when it is there, without
// decoding anything (cheap enough for the UI goroutine).
func CachedWaveform(c Cache, v annotate.Video) ([]audio.Peak, bool) {
	if c == nil || v.Fingerprint == "" {
		return nil, false
	}
	data, err := c.Cache(waveformKey(v))
	if err != nil {
		return nil, false
	}
	peaks, err := audio.UnmarshalPeaks(data)
	return peaks, err == nil
}

// Waveform decodes v's soundtrack into WaveBuckets peaks (seconds for a
// long file: run it off the UI goroutine) and caches the result in c. A
// video without sound returns audio.ErrNoAudio; a damaged one returns the
// peaks it could read with the error.
func (Media) Waveform(ctx context.Context, c Cache, v annotate.Video) ([]audio.Peak, error) {
	if peaks, ok := CachedWaveform(c, v); ok {
		return peaks, nil
	}
	peaks, err := audio.WaveformOf(v.Path, WaveBuckets(v.Duration), audio.WaveformOptions{Context: ctx})
	if err == nil && c != nil && v.Fingerprint != "" && ctx.Err() == nil {
		if perr := c.PutCache(waveformKey(v), audio.MarshalPeaks(peaks)); perr != nil {
			log.Printf("dyadcode: cache the waveform of %s: %v", v.Path, perr)
		}
	}
	return peaks, err
}

// NotCodable reports a probe error that means the file can never be coded
// here: not a media file (empty, text, a document), no video stream, or a
// video codec this FFmpeg cannot decode. Recording such a file as a video
// only defers the surprise to the coding window.
func NotCodable(err error) bool {
	return errors.Is(err, media.ErrNotMedia) || errors.Is(err, media.ErrNoVideo) || errors.Is(err, media.ErrUnsupported)
}

// IsEndOfVideo reports the error of stepping past the last frame, which
// the window treats as "stay on the last frame", not as a failure.
func IsEndOfVideo(err error) bool { return errors.Is(err, media.ErrEOF) }
