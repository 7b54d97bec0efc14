package ui

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

// The window's text font is DejaVu Sans Condensed (from Debian's
// fonts-dejavu-extra 2.37, Bitstream Vera licence:
// ui/fonts/LICENSE-DejaVu.txt), bundled in the binary. Fyne's own Noto Sans lacks glyphs the window shows (the
// state marker ◧, the sort arrows ▲▼, ←/→ in the key help); Fyne then
// looks for them in the system's fonts, which works on a Linux desktop but
// not on every Windows or macOS machine (the trial under Wine showed "�").
// DejaVu Sans has them all (TestFontCoversWindowText), so every OS draws the
// same glyphs. The condensed cut, because plain DejaVu Sans is wider than
// Noto Sans and pushed the transport bar onto two rows at 1366 px
// (TestClockLineFits). Italic and monospace stay Fyne's, which the window uses
// only for ASCII text.
var (
	//go:embed fonts/DejaVuSansCondensed.ttf
	dejaVuSans []byte
	//go:embed fonts/DejaVuSansCondensed-Bold.ttf
	dejaVuSansBold []byte
)

var (
	fontRegular = fyne.NewStaticResource("DejaVuSansCondensed.ttf", dejaVuSans)
	fontBold    = fyne.NewStaticResource("DejaVuSansCondensed-Bold.ttf", dejaVuSansBold)
)

// Font returns the bundled DejaVu Sans Condensed for regular and bold text.
func (t denseTheme) Font(s fyne.TextStyle) fyne.Resource {
	if s.Monospace || s.Symbol || s.Italic {
		return t.Theme.Font(s)
	}
	if s.Bold {
		return fontBold
	}
	return fontRegular
}
