package media

import (
	"fmt"
	"image"
	"image/png"
	"io"

	"dyadcode/internal/atomicfile"
)

// WritePNG writes img to path atomically (a temporary file in the same
// directory, synced, then renamed), so an interrupted write never leaves a
// half PNG where a good one was.
func WritePNG(path string, img image.Image) error {
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := atomicfile.Write(path, func(w io.Writer) error { return enc.Encode(w, img) }); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
