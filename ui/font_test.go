package ui

import (
	"bytes"
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/go-text/typesetting/font"
)

// TestFontCoversWindowText: every character in a string or rune literal
// of the window's code (this package and its subpackages) and of the
// default coding scheme has a glyph in the bundled regular and bold fonts,
// so no OS has to find one in its own fonts (or draw "�").
func TestFontCoversWindowText(t *testing.T) {
	need := map[rune]string{}
	var files []string
	filepath.WalkDir(".", func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") {
			files = append(files, p)
		}
		return nil
	})
	files = append(files, filepath.Join("..", "annotate", "default.go"))
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		var s scanner.Scanner
		s.Init(fset.AddFile(name, -1, len(src)), src, nil, 0)
		for {
			pos, tok, lit := s.Scan()
			if tok == token.EOF {
				break
			}
			if tok != token.STRING && tok != token.CHAR {
				continue
			}
			text := lit
			if tok == token.STRING {
				if u, err := strconv.Unquote(lit); err == nil {
					text = u
				}
			}
			for _, r := range text {
				if r >= 0x80 && r != 0xFFFD {
					if _, seen := need[r]; !seen {
						need[r] = fset.Position(pos).String()
					}
				}
			}
		}
	}
	if len(need) < 5 {
		t.Fatalf("found only %d non-ASCII characters; is the scan broken?", len(need))
	}
	for _, want := range []rune{'◧', '▲', '▼', '←', '→'} {
		if _, ok := need[want]; !ok {
			t.Errorf("%c is not in the window's text any more; update this test's list", want)
		}
	}
	for _, res := range []struct {
		name string
		data []byte
	}{{"regular", dejaVuSans}, {"bold", dejaVuSansBold}} {
		face, err := font.ParseTTF(bytes.NewReader(res.data))
		if err != nil {
			t.Fatalf("%s font: %v", res.name, err)
		}
		for r, where := range need {
			if _, ok := face.NominalGlyph(r); !ok {
				t.Errorf("the %s font has no glyph for %c (U+%04X), used at %s", res.name, r, r, where)
			}
		}
	}
}
