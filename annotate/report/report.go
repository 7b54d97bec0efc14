// Package report writes the supervisor's HTML report of a project: one
// self-contained file (inline CSS, plots as base64 data URIs) that opens
// offline in any browser and can be mailed as is. Per video it shows, when
// several coders coded it, their agreement and a comparison plot; per
// observation the event plot, the derived measures and ratings per episode,
// and the per-behaviour metrics.
package report

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"dyadcode/annotate"
	"dyadcode/annotate/metrics"
	"dyadcode/annotate/plot"
	"dyadcode/annotate/sequential"
)

// Observation is one observation with what the report needs from the
// project around it.
type Observation struct {
	Obs   *annotate.Observation
	Video string        // the video's display name (file name)
	End   annotate.Time // the video's duration; 0 = the observation's last time
	// Views are the session's further cameras with their offsets.
	Views []annotate.ViewFile
}

// Table is a titled table of text cells, the form agreement results take
// in the report.
type Table struct {
	Caption string
	Header  []string
	Rows    [][]string
	Note    string
}

// AgreementFunc compares several coders' observations of one video. It is
// a hook so this package does not fix how agreement is computed.
type AgreementFunc func(obs []*annotate.Observation, s *annotate.Scheme, end annotate.Time) ([]Table, error)

// Input is everything a report shows.
type Input struct {
	Title        string // usually the project file's name
	Scheme       *annotate.Scheme
	Observations []Observation
	Agreement    AgreementFunc // nil: no agreement tables
	Generated    time.Time     // zero: left out, so tests can compare output
	// Sequential, when set, adds each observation's sequential analysis
	// (docs/sequential.md) with these options; no codes = the behaviours
	// the observation coded.
	Sequential *sequential.Options
}

// view types feed the template.
type (
	videoView struct {
		Name, Anchor string
		Duration     string
		Coders       []string
		Compare      template.HTMLAttr
		CompareErr   string
		Agreement    []Table
		AgreementErr string
		Obs          []obsView
	}
	obsView struct {
		Views             string // "side.mp4 at +1.300000 s, ..." or ""
		Video             string // the primary's name, shown with Views
		ID, Coder, Anchor string
		Events            int
		Plot              template.HTMLAttr
		PlotErr           string
		MetricsErr        string
		Episodes          []string // column heads
		ColSpan           int      // measure column + episodes
		Key               []measureRow
		Behaviors         []measureRow
		Warnings          []string
		Sequential        []Table
		SeqPlot           template.HTMLAttr
		SeqErr            string
	}
	measureRow struct {
		Name   string
		Cells  []cell
		Header bool
	}
	cell struct {
		Text     string
		Censored bool
	}
)

// Write renders the report. Problems with one observation (a broken
// scheme, an event after the video end) are shown in its section rather
// than failing the whole report.
func Write(w io.Writer, in Input) error {
	if in.Scheme == nil {
		return fmt.Errorf("report: no scheme")
	}
	var videos []*videoView
	byName := map[string]*videoView{}
	groups := map[string][]Observation{}
	for _, o := range in.Observations {
		v, ok := byName[o.Video]
		if !ok {
			v = &videoView{Name: o.Video, Anchor: fmt.Sprintf("video-%d", len(videos)+1)}
			byName[o.Video] = v
			videos = append(videos, v)
		}
		groups[o.Video] = append(groups[o.Video], o)
	}
	for _, v := range videos {
		obs := groups[v.Name]
		end := annotate.Time(0)
		var list []*annotate.Observation
		for _, o := range obs {
			end = max(end, o.End, o.Obs.LastTime())
			list = append(list, o.Obs)
			v.Coders = append(v.Coders, o.Obs.Coder)
		}
		v.Duration = clock(end)
		if len(obs) > 1 {
			if f, err := plot.Compare(list, in.Scheme, end, v.Name+": "+strings.Join(v.Coders, " / ")); err != nil {
				v.CompareErr = err.Error()
			} else if uri, err := pngURI(f); err != nil {
				v.CompareErr = err.Error()
			} else {
				v.Compare = uri
			}
			if in.Agreement != nil {
				tables, err := in.Agreement(list, in.Scheme, end)
				if err != nil {
					v.AgreementErr = err.Error()
				}
				v.Agreement = tables
			}
		}
		for i, o := range obs {
			ov := observationView(in.Scheme, o, fmt.Sprintf("%s-obs-%d", v.Anchor, i+1))
			if in.Sequential != nil {
				ov.Sequential, ov.SeqPlot, ov.SeqErr = sequentialView(in.Scheme, o, o.End, *in.Sequential)
			}
			v.Obs = append(v.Obs, ov)
		}
	}
	data := struct {
		Title, Scheme, Generated string
		Videos                   []*videoView
		NObs                     int
	}{Title: in.Title, Scheme: in.Scheme.Name, Videos: videos, NObs: len(in.Observations)}
	if !in.Generated.IsZero() {
		data.Generated = in.Generated.Format("2006-01-02 15:04")
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, data); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// clock formats a duration as m:ss for headings.
func clock(t annotate.Time) string {
	s := int64(t / annotate.Second)
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// pngURI renders a figure as a src attribute with a data URI. It is an
// HTMLAttr, not a URL, because html/template would escape every '+' of the
// base64 text as "&#43;", bloating the file by a tenth.
func pngURI(f *plot.Figure) (template.HTMLAttr, error) {
	var buf bytes.Buffer
	if err := f.Write(&buf, "png"); err != nil {
		return "", err
	}
	return template.HTMLAttr(`src="data:image/png;base64,` + base64.StdEncoding.EncodeToString(buf.Bytes()) + `"`), nil
}

// observationView computes one observation's plot and metrics tables.
func observationView(s *annotate.Scheme, o Observation, anchor string) obsView {
	ov := obsView{ID: o.Obs.ID, Coder: o.Obs.Coder, Anchor: anchor, Events: len(o.Obs.Events)}
	ov.Video = o.Video
	for i, v := range o.Views {
		if i > 0 {
			ov.Views += ", "
		}
		ov.Views += fmt.Sprintf("%s at %+.6f s", v.Video, v.Offset.Float())
	}
	// The video's duration rules; an event beyond it is an error metrics
	// reports, not a reason to stretch the episodes.
	end := o.End
	if end <= 0 {
		end = o.Obs.LastTime()
		ov.Warnings = append(ov.Warnings, "video duration unknown: the last coded time is used as the end")
	}
	if f, err := plot.Events(o.Obs, s, end, fmt.Sprintf("%s — %s (observation %s)", o.Video, o.Obs.Coder, o.Obs.ID)); err != nil {
		ov.PlotErr = err.Error()
	} else if uri, err := pngURI(f); err != nil {
		ov.PlotErr = err.Error()
	} else {
		ov.Plot = uri
	}
	rows, err := metrics.Compute(o.Obs, s, end)
	if err != nil {
		ov.MetricsErr = err.Error()
		return ov
	}
	ms, _ := metrics.ParseMeasures(s) // Compute succeeded, so they parse
	for _, r := range rows {
		ov.Episodes = append(ov.Episodes, r.Episode)
	}
	ov.ColSpan = len(ov.Episodes) + 1
	row := func(col string) measureRow {
		mr := measureRow{Name: col}
		for _, r := range rows {
			v, _ := r.Get(col)
			c := cell{Text: v.String(), Censored: v.Censored}
			if v.Kind == metrics.Ratio && !v.Missing { // 2 decimals read better; the CSV keeps 6
				c.Text = strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(v.Float, 'f', 2, 64), "0"), ".")
			}
			if c.Censored {
				c.Text = "censored"
			} else if c.Text == "" {
				c.Text = "–"
			}
			mr.Cells = append(mr.Cells, c)
		}
		return mr
	}
	for _, m := range ms {
		for _, col := range m.Columns() {
			if strings.HasSuffix(col, "_first_censored") {
				continue // shown as "censored" in the _first_s cell
			}
			ov.Key = append(ov.Key, row(col))
		}
	}
	for _, r := range s.Ratings {
		ov.Key = append(ov.Key, row("rating_"+r.Code))
	}
	session := rows[len(rows)-1]
	for _, b := range s.Behaviors {
		if v, _ := session.Get(b.Code + "_count"); v.Int == 0 {
			continue // never coded: a block of zeros says nothing
		}
		ov.Behaviors = append(ov.Behaviors, measureRow{Name: b.Code + " — " + b.Name, Header: true})
		for _, v := range session.Values {
			if strings.HasPrefix(v.Column, b.Code+"_") && !strings.HasSuffix(v.Column, "_latency_censored") &&
				slices.Contains(behaviorSuffixes, strings.TrimPrefix(v.Column, b.Code+"_")) {
				r := row(v.Column)
				r.Name = strings.TrimPrefix(v.Column, b.Code+"_")
				ov.Behaviors = append(ov.Behaviors, r)
			}
		}
	}
	return ov
}

// behaviorSuffixes guards against one code being a prefix of another
// (cg_soothe vs a hypothetical cg).
var behaviorSuffixes = []string{"count", "rate_per_min", "total_s", "mean_s", "pct", "latency_s"}

var page = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} — dyadcode report</title>
<style>
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; margin: 2em auto; max-width: 1400px; padding: 0 1.5em; color: #222; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.3em; border-bottom: 2px solid #444; padding-bottom: 0.2em; margin-top: 2.2em; }
h3 { font-size: 1.1em; margin-top: 1.8em; }
.meta { color: #666; font-size: 0.9em; }
img.plot { max-width: 100%; height: auto; border: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 0.82em; margin: 0.6em 0 1.2em; }
th, td { border: 1px solid #ccc; padding: 2px 7px; text-align: right; white-space: nowrap; }
th { background: #f0f0f0; }
td:first-child, th:first-child { text-align: left; }
tr.group td { background: #f7f7f7; font-weight: bold; text-align: left; }
td.censored { color: #a33; font-style: italic; }
caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
.error { color: #b00; font-weight: bold; }
.warn { color: #a60; }
.note { color: #666; font-size: 0.85em; }
.scroll { overflow-x: auto; }
nav ul { columns: 2; }
@media print { h2 { page-break-before: always; } .scroll { overflow: visible; } }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="meta">Coding scheme: {{.Scheme}} · {{len .Videos}} video(s), {{.NObs}} observation(s){{if .Generated}} · generated {{.Generated}}{{end}} by dyadcode</p>
<p class="note">Times in seconds. <em>censored</em>: what the latency waits for did not happen before the episode ended, so the latency is longer than the time left, not 0. – : no value (nothing to average, not rated). Definitions: docs/metrics.md.</p>
<nav><ul>{{range .Videos}}<li><a href="#{{.Anchor}}">{{.Name}}</a> — {{range $i, $c := .Coders}}{{if $i}}, {{end}}{{$c}}{{end}}</li>{{end}}</ul></nav>
{{range .Videos}}
<h2 id="{{.Anchor}}">Video {{.Name}} <span class="meta">({{.Duration}})</span></h2>
{{if gt (len .Coders) 1}}
<h3>Agreement between coders</h3>
{{if .AgreementErr}}<p class="error">Agreement could not be computed: {{.AgreementErr}}</p>{{end}}
{{range .Agreement}}<div class="scroll"><table>
<caption>{{.Caption}}</caption>
<tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>{{if .Note}}<p class="note">{{.Note}}</p>{{end}}</div>
{{end}}
{{if .CompareErr}}<p class="error">Comparison plot failed: {{.CompareErr}}</p>{{else}}<img class="plot" alt="comparison plot of {{.Name}}" {{.Compare}}>{{end}}
{{end}}
{{range .Obs}}
<h3 id="{{.Anchor}}">Observation {{.ID}} — coder {{.Coder}} <span class="meta">({{.Events}} events)</span></h3>
{{if .Views}}<p class="meta">Views: {{.Video}} (primary, the time base), {{.Views}} (offset: where the view's time 0 lies on the session)</p>{{end}}
{{range .Warnings}}<p class="warn">{{.}}</p>{{end}}
{{if .PlotErr}}<p class="error">Event plot failed: {{.PlotErr}}</p>{{else}}<img class="plot" alt="event plot of observation {{.ID}}" {{.Plot}}>{{end}}
{{if .MetricsErr}}<p class="error">Metrics could not be computed: {{.MetricsErr}}</p>{{else}}
<div class="scroll"><table>
<caption>Derived measures and ratings per episode</caption>
<tr><th>measure</th>{{range .Episodes}}<th>{{.}}</th>{{end}}</tr>
{{range .Key}}<tr><td>{{.Name}}</td>{{range .Cells}}<td{{if .Censored}} class="censored"{{end}}>{{.Text}}</td>{{end}}</tr>
{{end}}</table></div>
<details open><summary>Per-behaviour metrics (behaviours coded at least once)</summary>
<div class="scroll"><table>
<tr><th>measure</th>{{range .Episodes}}<th>{{.}}</th>{{end}}</tr>
{{$span := .ColSpan}}{{range .Behaviors}}{{if .Header}}<tr class="group"><td colspan="{{$span}}">{{.Name}}</td></tr>{{else}}<tr><td>{{.Name}}</td>{{range .Cells}}<td{{if .Censored}} class="censored"{{end}}>{{.Text}}</td>{{end}}</tr>{{end}}
{{end}}</table></div></details>
{{end}}
{{if .SeqErr}}<p class="error">Sequential analysis could not be computed: {{.SeqErr}}</p>{{end}}
{{if .Sequential}}<details open><summary>Sequential analysis</summary>
{{range .Sequential}}<div class="scroll"><table>
<caption>{{.Caption}}</caption>
<tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>{{if .Note}}<p class="note">{{.Note}}</p>{{end}}</div>
{{end}}{{if .SeqPlot}}<img class="plot" alt="lag heat map of observation {{.ID}}" {{.SeqPlot}}>{{end}}</details>{{end}}
{{end}}
{{end}}
</body>
</html>
`))
