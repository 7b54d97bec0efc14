package report

import (
	"fmt"
	"html/template"
	"strconv"

	"dyadcode/annotate"
	"dyadcode/annotate/plot"
	"dyadcode/annotate/sequential"
)

// seqValue shows a statistic with 2 decimals, "–" when undefined.
func seqValue(v sequential.Value, prec int) string {
	if !v.Valid {
		return "–"
	}
	return strconv.FormatFloat(v.V, 'f', prec, 64)
}

// SequentialTables lays a sequential analysis out as the report's tables:
// the lag table as counts with adjusted residuals (given in rows, target
// in columns) and, when there is one, the time-window analysis.
func SequentialTables(r *sequential.Report) []Table {
	var out []Table
	if lt := r.Lag; lt != nil && len(lt.Codes) > 0 {
		t := Table{
			Caption: fmt.Sprintf("Lag-%d transitions: count (adjusted residual); rows given, columns target; N = %d", lt.Lag, lt.Total),
			Header:  append([]string{"given \\ target"}, lt.Codes...),
			Note:    "Adjusted residuals beyond ±1.96 mark transitions more (+) or less (−) frequent than chance at p < .05. – : undefined. Definitions: docs/sequential.md.",
		}
		k := len(lt.Codes)
		for i, g := range lt.Codes {
			row := []string{g}
			for j := range k {
				c := lt.Cells[i*k+j]
				if c.Structural {
					row = append(row, "structural 0")
					continue
				}
				row = append(row, fmt.Sprintf("%d (%s)", c.Count, seqValue(c.AdjustedResidual, 2)))
			}
			t.Rows = append(t.Rows, row)
		}
		out = append(out, t)
	}
	if w := r.Window; w != nil {
		out = append(out, Table{
			Caption: fmt.Sprintf("%s within [%s, %s) s of each %s onset, units of %s s", w.Target, secs(w.Lo), secs(w.Hi), w.Given, secs(w.Unit)),
			Header:  []string{"a", "b", "c", "d", "Yule's Q", "odds ratio", "adj. residual", "P(target | given)", "P(target | not given)"},
			Rows: [][]string{{strconv.FormatInt(w.A, 10), strconv.FormatInt(w.B, 10), strconv.FormatInt(w.C, 10), strconv.FormatInt(w.D, 10),
				seqValue(w.YulesQ, 3), seqValue(w.OddsRatio, 2), seqValue(w.AdjustedResidual, 2), seqValue(w.PTargetGiven, 3), seqValue(w.PTargetNotGiven, 3)}},
		})
	}
	return out
}

// sequentialView runs the analysis of one observation for its section:
// opt's codes, else the scheme's behaviours this observation coded (an
// empty row and column say nothing), in scheme order.
func sequentialView(s *annotate.Scheme, o Observation, end annotate.Time, opt sequential.Options) (tables []Table, img template.HTMLAttr, errText string) {
	if len(opt.Codes) == 0 {
		used := map[string]bool{}
		for _, e := range o.Obs.Events {
			used[e.Behavior] = true
		}
		for _, b := range s.Behaviors {
			if used[b.Code] {
				opt.Codes = append(opt.Codes, b.Code)
			}
		}
		if len(opt.Codes) == 0 {
			return nil, "", ""
		}
	}
	r, err := sequential.Analyze([]sequential.Input{{Obs: o.Obs, End: end}}, s, opt)
	if err != nil {
		return nil, "", err.Error()
	}
	tables = SequentialTables(r)
	if f, err := plot.LagHeatMap(r.Lag, ""); err == nil {
		if uri, err := pngURI(f); err == nil {
			img = uri
		}
	}
	return tables, img, ""
}
