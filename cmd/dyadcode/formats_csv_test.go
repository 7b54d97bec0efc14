package main

import (
	"strings"
	"testing"

	"dyadcode/app"
)

func TestFormatFor(t *testing.T) {
	for _, c := range []struct {
		flag, path, want, err string
	}{
		{"", "codes.csv", "csv", ""},
		{"", "CODES.CSV", "csv", ""},
		{"csv", "codes.txt", "csv", ""},
		{"", "codes.txt", "", `cannot tell the format from the extension ".txt"`},
		{"", "codes", "", "cannot tell the format"},
		{"xlsx", "codes.csv", "", `unknown format "xlsx" (known: `},
	} {
		f, err := formatFor(c.flag, c.path)
		switch {
		case c.err != "":
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("formatFor(%q, %q): %v, want error with %q", c.flag, c.path, err, c.err)
			}
		case err != nil || f.Name != c.want:
			t.Errorf("formatFor(%q, %q) = %v, %v; want %s", c.flag, c.path, f, err, c.want)
		}
	}
	csv, _ := app.FormatFor("csv", "")
	if csv == nil || csv.Read == nil || csv.Write == nil {
		t.Fatal("csv must be registered for import and export")
	}
	if !strings.Contains(app.FormatNames(), "csv") {
		t.Errorf("format names %q", app.FormatNames())
	}
}
