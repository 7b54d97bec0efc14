// Package plot draws an observation's codes as an event plot: one lane per
// behaviour grouped by subject, states as bars, points as ticks, episodes
// as shaded bands under a time axis in seconds. Compare stacks several
// coders' lanes for the same video so disagreements are visible at a
// glance. It uses gonum/plot and writes PNG or SVG; it has no GUI, store or
// FFmpeg dependency, so the CLI, the HTML report and the GUI all use it.
package plot

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"dyadcode/annotate"
)

// ErrFormat is returned for an output format other than png or svg.
var ErrFormat = errors.New("unsupported plot format (use .png or .svg)")

// Figure is a finished plot with the size it is meant to be drawn at.
type Figure struct {
	p             *gplot.Plot
	Width, Height vg.Length
}

// Layout constants: a lane is tall enough for a 9 pt label.
const (
	laneHeight = 0.2 * vg.Inch
	margins    = 1.1 * vg.Inch // title, time axis and padding
	// DefaultWidth suits an A4 page and a laptop screen.
	DefaultWidth = 9 * vg.Inch
	dpi          = 144
)

var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// lane is one row of the plot.
type lane struct {
	label  string
	header bool // a subject heading, no events
	color  color.Color
	kind   annotate.Kind
	events []annotate.Event
	end    annotate.Time // where open states end
}

// lanes is the gonum plotter drawing every lane and the episode bands.
type lanes struct {
	rows  []lane
	bands []annotate.EpisodeSpan
	end   annotate.Time
}

// DataRange makes x the video's time and y one unit per lane.
func (l *lanes) DataRange() (xmin, xmax, ymin, ymax float64) {
	return 0, max(l.end.Float(), 1), -0.5, float64(len(l.rows)) - 0.5
}

// y of lane i: the first lane is at the top.
func (l *lanes) y(i int) float64 { return float64(len(l.rows) - 1 - i) }

func (l *lanes) Plot(c draw.Canvas, p *gplot.Plot) {
	trX, trY := p.Transforms(&c)
	rect := func(x0, x1, y0, y1 float64, clr color.Color) {
		pts := []vg.Point{{X: trX(x0), Y: trY(y0)}, {X: trX(x1), Y: trY(y0)}, {X: trX(x1), Y: trY(y1)}, {X: trX(x0), Y: trY(y1)}}
		c.FillPolygon(clr, c.ClipPolygonXY(pts))
	}
	top, bottom := float64(len(l.rows))-0.5, -0.5
	label := draw.TextStyle{Color: color.Gray{Y: 70}, Font: font.From(sans, 8), XAlign: draw.XLeft, YAlign: draw.YTop, Handler: p.TextHandler}
	for i, b := range l.bands {
		if i%2 == 0 {
			rect(b.Start.Float(), b.End.Float(), bottom, top, color.Gray{Y: 236})
		}
		c.StrokeLine2(draw.LineStyle{Color: color.Gray{Y: 150}, Width: vg.Points(0.6), Dashes: []vg.Length{vg.Points(2), vg.Points(2)}},
			trX(b.Start.Float()), trY(bottom), trX(b.Start.Float()), trY(top))
		c.FillText(label, vg.Point{X: trX(b.Start.Float()) + vg.Points(2), Y: c.Max.Y - vg.Points(1)}, bandLabel(b.Name))
	}
	for i, r := range l.rows {
		y := l.y(i)
		if r.header { // a rule above each subject's group
			if i > 0 {
				c.StrokeLine2(draw.LineStyle{Color: color.Gray{Y: 120}, Width: vg.Points(0.5)}, c.Min.X, trY(y+0.5), c.Max.X, trY(y+0.5))
			}
			continue
		}
		for _, e := range r.events {
			if r.kind == annotate.State {
				end := e.EndOr(r.end)
				rect(e.Start.Float(), end.Float(), y-0.32, y+0.32, r.color)
				if e.Open { // a state still running: an arrow-like marker at the video end
					c.StrokeLine2(draw.LineStyle{Color: color.Black, Width: vg.Points(1.2)}, trX(end.Float()), trY(y-0.4), trX(end.Float()), trY(y+0.4))
				}
				continue
			}
			x := trX(e.Start.Float())
			c.StrokeLine2(draw.LineStyle{Color: r.color, Width: vg.Points(1.6)}, x, trY(y-0.42), x, trY(y+0.42))
		}
	}
}

// bandLabel shortens "5 First reunion" to "5" so labels fit narrow
// episodes; other names are kept whole.
func bandLabel(name string) string {
	first, _, ok := strings.Cut(name, " ")
	if _, err := strconv.Atoi(first); ok && err == nil {
		return first
	}
	return name
}

// parseColor reads "#rrggbb"; anything else is grey.
func parseColor(s string) color.Color {
	if len(s) == 7 && s[0] == '#' {
		if v, err := strconv.ParseUint(s[1:], 16, 32); err == nil {
			return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 255}
		}
	}
	return color.Gray{Y: 128}
}

// subjectName is a subject's display name, its code if unnamed.
func subjectName(s *annotate.Scheme, code string) string {
	for _, sub := range s.Subjects {
		if sub.Code == code {
			if sub.Name != "" {
				return sub.Name
			}
			return code
		}
	}
	if code == "" {
		return "Any subject"
	}
	return code
}

// subjectOrder lists subject codes in scheme order, then "" for behaviours
// without one.
func subjectOrder(s *annotate.Scheme) []string {
	order := s.SubjectCodes()
	for _, b := range s.Behaviors {
		if !slices.Contains(order, b.Subject) {
			order = append(order, b.Subject)
		}
	}
	return order
}

// byBehavior groups events by code, ignoring codes the scheme lacks.
func byBehavior(o *annotate.Observation) map[string][]annotate.Event {
	m := map[string][]annotate.Event{}
	for _, e := range o.Events {
		m[e.Behavior] = append(m[e.Behavior], e)
	}
	return m
}

// Events draws one observation: every behaviour of the scheme gets a lane
// (so plots of different observations line up), grouped under subject
// headings, with the observation's episodes as bands. end is the video's
// duration; states still running are drawn to it.
func Events(o *annotate.Observation, s *annotate.Scheme, end annotate.Time, title string) (*Figure, error) {
	end = max(end, o.LastTime())
	evs := byBehavior(o)
	var rows []lane
	for _, sub := range subjectOrder(s) {
		rows = append(rows, lane{label: strings.ToUpper(subjectName(s, sub)), header: true})
		for _, b := range s.Behaviors {
			if b.Subject == sub {
				rows = append(rows, lane{label: b.Code, color: parseColor(b.Color), kind: b.Kind, events: evs[b.Code], end: end})
			}
		}
	}
	return newFigure(title, &lanes{rows: rows, bands: o.Spans(end), end: end})
}

// Compare stacks several coders' observations of the same video: for every
// behaviour any of them used, one lane per observation labelled with its
// coder. The episode bands are those of the first observation.
func Compare(obs []*annotate.Observation, s *annotate.Scheme, end annotate.Time, title string) (*Figure, error) {
	if len(obs) == 0 {
		return nil, errors.New("compare plot: no observations")
	}
	groups := make([]map[string][]annotate.Event, len(obs))
	for i, o := range obs {
		end = max(end, o.LastTime())
		groups[i] = byBehavior(o)
	}
	var rows []lane
	for _, sub := range subjectOrder(s) {
		header := false
		for _, b := range s.Behaviors {
			if b.Subject != sub || !slices.ContainsFunc(groups, func(g map[string][]annotate.Event) bool { return len(g[b.Code]) > 0 }) {
				continue
			}
			if !header {
				rows = append(rows, lane{label: strings.ToUpper(subjectName(s, sub)), header: true})
				header = true
			}
			for i, o := range obs {
				who := o.Coder
				if who == "" {
					who = "obs " + o.ID
				}
				rows = append(rows, lane{label: b.Code + " · " + who, color: parseColor(b.Color), kind: b.Kind, events: groups[i][b.Code], end: end})
			}
		}
	}
	return newFigure(title, &lanes{rows: rows, bands: obs[0].Spans(end), end: end})
}

func newFigure(title string, l *lanes) (*Figure, error) {
	p := gplot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans, 12)
	p.X.Label.Text = "time (s)"
	p.X.Label.TextStyle.Font = font.From(sans, 10)
	p.X.Tick.Label.Font = font.From(sans, 9)
	p.Y.Tick.Label.Font = font.From(sans, 9)
	p.Y.Padding, p.X.Padding = 0, 0
	ticks := make(gplot.ConstantTicks, len(l.rows))
	for i, r := range l.rows {
		ticks[i] = gplot.Tick{Value: l.y(i), Label: r.label}
	}
	p.Y.Tick.Marker = ticks
	p.Y.Tick.Length = 0
	p.Add(l)
	xmin, xmax, ymin, ymax := l.DataRange()
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = xmin, xmax, ymin, ymax
	return &Figure{p: p, Width: DefaultWidth, Height: margins + laneHeight*vg.Length(max(len(l.rows), 1))}, nil
}

// Write renders the figure as "png" or "svg".
func (f *Figure) Write(w io.Writer, format string) error {
	var c vg.CanvasWriterTo
	switch strings.ToLower(format) {
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(f.Width, f.Height), vgimg.UseDPI(dpi))}
	case "svg":
		c = vgsvg.New(f.Width, f.Height)
	default:
		return fmt.Errorf("%w: %q", ErrFormat, format)
	}
	f.p.Draw(draw.New(c))
	if _, err := c.WriteTo(w); err != nil {
		return fmt.Errorf("write %s plot: %w", format, err)
	}
	return nil
}

// Save writes the figure to path, the format taken from its extension.
func (f *Figure) Save(path string) (err error) {
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	if format != "png" && format != "svg" {
		return fmt.Errorf("%s: %w", path, ErrFormat)
	}
	out, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("save plot: %w", err)
	}
	defer func() {
		if cerr := out.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("save plot %s: %w", path, cerr)
		}
	}()
	if err := f.Write(out, format); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
