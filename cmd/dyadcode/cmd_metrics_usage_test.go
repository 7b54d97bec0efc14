package main

import (
	"bytes"
	"strings"
	"testing"
)

// runMetricsCmd runs dyadcode in-process and returns exit code, stdout, stderr.
func runMetricsCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &cmdEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errb})
	return code, out.String(), errb.String()
}

// Command-line mistakes are caught before any file is read: exit 2 with
// the reason and the synopsis.
func TestMetricsPlotReportUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"metrics"}, "need a project or CSV files"},
		{[]string{"metrics", "b.csv", "a.dyad"}, "give one project, or only files to import"},
		{[]string{"metrics", "a.dyad", "--scheme", "s.json"}, "--scheme is for CSV input"},
		{[]string{"metrics", "a.dyad", "--bogus"}, "flag provided but not defined"},
		{[]string{"plot", "a.dyad", "--observation", "1"}, "need -o"},
		{[]string{"plot", "a.dyad", "--observation", "1", "-o", "x.gif"}, ".png or .svg"},
		{[]string{"plot"}, "need a project or CSV files"},
		{[]string{"report", "a.dyad"}, "need -o"},
		{[]string{"report", "-o", "r.html"}, "need a project or CSV files"},
	} {
		code, _, errs := runMetricsCmd(t, c.args...)
		if code != 2 || !strings.Contains(errs, c.msg) || !strings.Contains(errs, "usage: dyadcode "+c.args[0]) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 with %q and the usage", c.args, code, errs, c.msg)
		}
	}
	if code, _, errs := runMetricsCmd(t, "metrics", "x.gif"); code != 1 || !strings.Contains(errs, "x.gif: cannot tell the format") {
		t.Errorf("metrics x.gif: exit %d, stderr %q", code, errs)
	}
	if code, out, _ := runMetricsCmd(t, "help"); code != 0 || !strings.Contains(out, "dyadcode metrics") || !strings.Contains(out, "dyadcode report") || !strings.Contains(out, "dyadcode plot") {
		t.Errorf("help does not list metrics, plot and report:\n%s", out)
	}
}
