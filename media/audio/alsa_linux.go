//go:build linux && !android

package audio

// libasound prints its own diagnostics to stderr ("ALSA lib confmisc.c:855
// cannot find card '0'" and six more lines) each time a machine without a
// sound card is probed, cluttering every CLI run and test log. The reason
// still reaches the user through oto's error (DeviceStatus), so the library's
// printing is turned off before oto opens the device.

//#cgo pkg-config: alsa
//#include <alsa/asoundlib.h>
//
// static void dy_alsa_quiet(const char *file, int line, const char *function, int err, const char *fmt, ...) {}
// static void dy_alsa_silence(void) { snd_lib_error_set_handler(dy_alsa_quiet); }
import "C"

func quietALSA() { C.dy_alsa_silence() }
