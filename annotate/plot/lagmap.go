package plot

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"dyadcode/annotate"
	"dyadcode/annotate/sequential"
)

// ResidualLimit is the adjusted residual at which the heat map's colour
// saturates: |z| ≥ 4 is far beyond any usual significance level.
const ResidualLimit = 4.0

// ResidualColor is the heat map colour of an adjusted residual: white at
// 0, red for transitions more frequent than chance, blue for less, full
// at ±ResidualLimit; light grey when undefined. The window's view uses
// the same colours as the exported figure.
func ResidualColor(z sequential.Value) color.RGBA {
	if !z.Valid {
		return color.RGBA{R: 225, G: 225, B: 225, A: 255}
	}
	f := math.Min(math.Abs(z.V)/ResidualLimit, 1)
	fade := uint8(255 - math.Round(f*200)) // 255 … 55
	if z.V >= 0 {
		return color.RGBA{R: 255, G: fade, B: fade, A: 255}
	}
	return color.RGBA{R: fade, G: fade, B: 255, A: 255}
}

// grid draws labelled cells: rows top to bottom, columns left to right.
type grid struct {
	rows, cols int
	fill       func(i, j int) color.Color
	text       func(i, j int) string
}

func (g *grid) DataRange() (xmin, xmax, ymin, ymax float64) {
	return -0.5, float64(g.cols) - 0.5, -0.5, float64(g.rows) - 0.5
}

func (g *grid) Plot(c draw.Canvas, p *gplot.Plot) {
	trX, trY := p.Transforms(&c)
	style := draw.TextStyle{Color: color.Black, Font: font.From(sans, 9), XAlign: draw.XCenter, YAlign: draw.YCenter, Handler: p.TextHandler}
	for i := range g.rows {
		y := float64(g.rows - 1 - i)
		for j := range g.cols {
			x := float64(j)
			pts := []vg.Point{{X: trX(x - 0.5), Y: trY(y - 0.5)}, {X: trX(x + 0.5), Y: trY(y - 0.5)}, {X: trX(x + 0.5), Y: trY(y + 0.5)}, {X: trX(x - 0.5), Y: trY(y + 0.5)}}
			c.FillPolygon(g.fill(i, j), pts)
			c.StrokeLines(draw.LineStyle{Color: color.White, Width: vg.Points(1)}, append(pts, pts[0]))
			c.FillText(style, vg.Point{X: trX(x), Y: trY(y)}, g.text(i, j))
		}
	}
}

func gridFigure(title, xLabel, yLabel string, xs, ys []string, g *grid) *Figure {
	p := gplot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans, 12)
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	p.X.Label.TextStyle.Font = font.From(sans, 10)
	p.Y.Label.TextStyle.Font = font.From(sans, 10)
	p.X.Tick.Label.Font = font.From(sans, 9)
	p.Y.Tick.Label.Font = font.From(sans, 9)
	xt := make(gplot.ConstantTicks, len(xs))
	for j, s := range xs {
		xt[j] = gplot.Tick{Value: float64(j), Label: s}
	}
	yt := make(gplot.ConstantTicks, len(ys))
	for i, s := range ys {
		yt[i] = gplot.Tick{Value: float64(len(ys) - 1 - i), Label: s}
	}
	p.X.Tick.Marker, p.Y.Tick.Marker = xt, yt
	p.X.Tick.Length, p.Y.Tick.Length = 0, 0
	p.X.Padding, p.Y.Padding = 0, 0
	p.Add(g)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = g.DataRange()
	cell := 0.8 * vg.Inch
	return &Figure{p: p, Width: 2*vg.Inch + cell*vg.Length(max(g.cols, 2)), Height: 1.4*vg.Inch + cell*vg.Length(max(g.rows, 2))}
}

// LagHeatMap draws a lag table as a heat map of adjusted residuals
// (ResidualColor), each cell showing its count and residual; a structural
// zero shows "—".
func LagHeatMap(lt *sequential.LagTable, title string) (*Figure, error) {
	if lt == nil || len(lt.Codes) == 0 {
		return nil, fmt.Errorf("lag heat map: no codes")
	}
	k := len(lt.Codes)
	g := &grid{rows: k, cols: k,
		fill: func(i, j int) color.Color {
			c := lt.Cells[i*k+j]
			if c.Structural {
				return color.RGBA{R: 190, G: 190, B: 190, A: 255}
			}
			return ResidualColor(c.AdjustedResidual)
		},
		text: func(i, j int) string {
			c := lt.Cells[i*k+j]
			if c.Structural {
				return "—"
			}
			return fmt.Sprintf("%d\nz %s", c.Count, c.AdjustedResidual.Format(2))
		},
	}
	if title == "" {
		title = fmt.Sprintf("Lag %d transitions (N = %d): adjusted residuals", lt.Lag, lt.Total)
	}
	return gridFigure(title, "target", "given", lt.Codes, lt.Codes, g), nil
}

// WindowTable draws a time-window analysis's 2×2 table (rows: units in a
// window of the given code or not; columns: target or not), cell a shaded
// by its adjusted residual, with Q, the odds ratio and z in the title.
func WindowTable(wt *sequential.WindowTable, title string) (*Figure, error) {
	if wt == nil {
		return nil, fmt.Errorf("window table: no analysis")
	}
	n := [2][2]int64{{wt.A, wt.B}, {wt.C, wt.D}}
	g := &grid{rows: 2, cols: 2,
		fill: func(i, j int) color.Color {
			if i == 0 && j == 0 {
				return ResidualColor(wt.AdjustedResidual)
			}
			return color.RGBA{R: 245, G: 245, B: 245, A: 255}
		},
		text: func(i, j int) string { return fmt.Sprint(n[i][j]) },
	}
	if title == "" {
		title = fmt.Sprintf("%s within [%s, %s) s of %s: Q %s, OR %s, z %s", wt.Target, secs(wt.Lo), secs(wt.Hi), wt.Given,
			wt.YulesQ.Format(2), wt.OddsRatio.Format(2), wt.AdjustedResidual.Format(2))
	}
	return gridFigure(title, "", "", []string{wt.Target, "not " + wt.Target}, []string{"in window", "not in window"}, g), nil
}

// secs prints a time in seconds without trailing zeros.
func secs(t annotate.Time) string {
	s := strings.TrimRight(t.Seconds(), "0")
	return strings.TrimSuffix(s, ".")
}
