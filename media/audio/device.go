package audio

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ebitengine/oto/v3"
)

// oto allows one context per process and fixes its format, so the package
// holds one, made the first time an Output wants sound. Nothing waits for it:
// until the device is ready (or if it never is) playback follows the wall
// clock.
var device struct {
	once  sync.Once
	ctx   *oto.Context
	ready chan struct{}
	mu    sync.Mutex
	err   error // creation failed, or the device never played in real time
	// proven: some audio was played at the right pace in this process. A
	// later hiccup (a starved process, a resumed laptop) is then taken as
	// transient and retried at the next Play or Seek, instead of silencing
	// the rest of the session.
	proven bool
}

// deviceBuffer is the device-side buffer asked of ALSA. It is also the
// latency subtracted from the audio clock: samples handed to the device are
// heard about this much later.
const deviceBuffer = 60 * time.Millisecond

// playerChunk is the size of each read oto makes from an Output, 40 ms of
// output. Small chunks keep the clock's steps and the seek latency short.
const playerChunk = OutputRate * OutputChannels * 4 * 40 / 1000

var errDeviceOpening = errors.New("audio device still opening")

// deviceContext returns the process-wide oto context when it is ready and
// working, errDeviceOpening while ALSA is still being opened, or the reason
// there is no sound.
func deviceContext() (*oto.Context, error) {
	device.once.Do(func() {
		quietALSA()
		ctx, ready, err := oto.NewContext(&oto.NewContextOptions{
			SampleRate:   OutputRate,
			ChannelCount: OutputChannels,
			Format:       oto.FormatFloat32LE,
			BufferSize:   deviceBuffer,
		})
		device.mu.Lock()
		defer device.mu.Unlock()
		if err != nil {
			device.err = fmt.Errorf("audio device: %w", err)
			return
		}
		device.ctx, device.ready = ctx, ready
	})
	device.mu.Lock()
	defer device.mu.Unlock()
	if device.err != nil {
		return nil, device.err
	}
	select {
	case <-device.ready:
	default:
		return nil, errDeviceOpening
	}
	if err := device.ctx.Err(); err != nil {
		device.err = fmt.Errorf("audio device: %w", err)
		return nil, device.err
	}
	return device.ctx, nil
}

// deviceFailed records that the device did not play in real time. A device
// that never did is given up (every Output then stays on the wall clock,
// since oto cannot make a second context) and deviceFailed reports true; a
// proven one is kept for the next try.
func deviceFailed(err error) (dead bool) {
	device.mu.Lock()
	defer device.mu.Unlock()
	if device.proven {
		return false
	}
	if device.err == nil {
		device.err = err
	}
	return true
}

// deviceProven records that the device played at the right pace.
func deviceProven() {
	device.mu.Lock()
	device.proven = true
	device.mu.Unlock()
}

// DeviceStatus reports why sound is not played: nil when the device works
// (or has not been needed yet), else the reason, for diagnostics such as
// `dyadcode bench media` and the GUI's status line.
func DeviceStatus() error {
	device.mu.Lock()
	defer device.mu.Unlock()
	return device.err
}
