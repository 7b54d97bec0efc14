package sequential

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"dyadcode/annotate"
)

// secs prints a time in seconds without trailing zeros ("0.5", "-2").
func secs(t annotate.Time) string {
	s := strings.TrimRight(t.Seconds(), "0")
	return strings.TrimSuffix(s, ".")
}

// errWriter keeps the first write error so the text is written without
// checking every line.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, a ...any) { fmt.Fprintf(e, format, a...) }

// Text writes a readable report: the parameters, the lag table (counts,
// then every cell's statistics), the window analysis, each episode's run
// and the warnings. Undefined statistics print as NA.
func (r *Report) Text(w io.Writer) error {
	ew := &errWriter{w: w}
	p := r.Params
	ew.printf("Sequential analysis of %s\n", strings.Join(p.Observations, ", "))
	scope := "whole sessions"
	if p.Episode != "" {
		scope = "episode " + p.Episode
	}
	if p.From != 0 || p.To != 0 {
		to := "end"
		if p.To != 0 {
			to = secs(p.To) + " s"
		}
		scope += fmt.Sprintf(", [%s s, %s)", secs(p.From), to)
	}
	ew.printf("scope: %s\n", scope)
	writeRun(ew, r.Lag, r.Window)
	for _, ep := range r.Episodes {
		ew.printf("\n=== Episode %s ===\n", ep.Name)
		writeRun(ew, ep.Lag, ep.Window)
	}
	if len(r.Warnings) > 0 {
		ew.printf("\nWarnings\n")
		for _, s := range r.Warnings {
			ew.printf("  %s\n", s)
		}
	}
	if ew.err != nil {
		return fmt.Errorf("write sequential report: %w", ew.err)
	}
	return nil
}

func writeRun(ew *errWriter, lt *LagTable, wt *WindowTable) {
	if lt != nil {
		ew.printf("\nLag %d transitions: %d events in %d sequences, N = %d transitions", lt.Lag, lt.Events, lt.Sequences, lt.Total)
		if lt.SelfExcluded > 0 {
			ew.printf(" (%d self-transitions excluded as structural zeros)", lt.SelfExcluded)
		}
		ew.printf("\n\nCounts (rows: given, columns: target)\n")
		tw := tabwriter.NewWriter(ew, 0, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "\t%s\ttotal\t\n", strings.Join(lt.Codes, "\t"))
		k := len(lt.Codes)
		for i, g := range lt.Codes {
			fmt.Fprintf(tw, "%s\t", g)
			for j := range k {
				c := lt.Cells[i*k+j]
				if c.Structural {
					fmt.Fprintf(tw, "–\t")
				} else {
					fmt.Fprintf(tw, "%d\t", c.Count)
				}
			}
			fmt.Fprintf(tw, "%d\t\n", lt.RowTotals[i])
		}
		if k > 0 {
			fmt.Fprintf(tw, "total\t")
			for _, n := range lt.ColTotals {
				fmt.Fprintf(tw, "%d\t", n)
			}
			fmt.Fprintf(tw, "%d\t\n", lt.Total)
		}
		tw.Flush()
		ew.printf("\n")
		tw = tabwriter.NewWriter(ew, 0, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "  given\ttarget\tcount\texpected\tp(target|given)\tadj. residual\tYule's Q\tpermutation p\n")
		for _, c := range lt.Cells {
			if c.Structural {
				fmt.Fprintf(tw, "  %s\t%s\tstructural zero\t\t\t\t\t\n", c.Given, c.Target)
				continue
			}
			fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", c.Given, c.Target, c.Count,
				c.Expected.Format(3), c.Probability.Format(3), c.AdjustedResidual.Format(2), c.YulesQ.Format(3), c.PermutationP.Format(4))
		}
		tw.Flush()
	}
	if wt != nil {
		ew.printf("\nTime window: %s (%s) in [%s, %s) s of each %s onset (%d onsets), units of %s s, N = %d units\n",
			wt.Target, wt.TargetKind, secs(wt.Lo), secs(wt.Hi), wt.Given, wt.GivenOnsets, secs(wt.Unit), wt.Units)
		tw := tabwriter.NewWriter(ew, 0, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "\ttarget\tnot target\t\n")
		fmt.Fprintf(tw, "given\t%d\t%d\t\n", wt.A, wt.B)
		fmt.Fprintf(tw, "not given\t%d\t%d\t\n", wt.C, wt.D)
		tw.Flush()
		ew.printf("Yule's Q %s, odds ratio %s, adjusted residual %s, P(target | given) %s, P(target | not given) %s\n",
			wt.YulesQ.Format(3), wt.OddsRatio.Format(3), wt.AdjustedResidual.Format(2), wt.PTargetGiven.Format(3), wt.PTargetNotGiven.Format(3))
	}
}

// CSVHeader is the header of Report.CSV: one row per lag cell (table
// "lag") and one per window analysis (table "window"), first for the
// whole scope ("all"), then per episode.
var CSVHeader = []string{
	"scope", "table", "lag", "given", "target", "count", "expected", "probability", "adjusted_residual", "yules_q",
	"permutation_p", "structural_zero", "a", "b", "c", "d", "odds_ratio", "p_target_given", "p_target_not_given",
	"window_lo_s", "window_hi_s", "unit_s", "target_kind",
}

// CSV writes the report as one table; a statistic that is undefined, or
// does not apply to the row's table, is an empty cell.
func (r *Report) CSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return fmt.Errorf("write sequential CSV: %w", err)
	}
	i64 := func(n int64) string { return strconv.FormatInt(n, 10) }
	rows := func(scope string, lt *LagTable, wt *WindowTable) error {
		if lt != nil {
			for _, c := range lt.Cells {
				rec := make([]string, len(CSVHeader))
				rec[0], rec[1], rec[2], rec[3], rec[4] = scope, "lag", strconv.Itoa(lt.Lag), c.Given, c.Target
				if c.Structural {
					rec[11] = "true"
				} else {
					rec[5], rec[6], rec[7], rec[8], rec[9], rec[10], rec[11] = i64(c.Count), c.Expected.CSV(), c.Probability.CSV(),
						c.AdjustedResidual.CSV(), c.YulesQ.CSV(), c.PermutationP.CSV(), "false"
				}
				if err := cw.Write(rec); err != nil {
					return err
				}
			}
		}
		if wt != nil {
			rec := make([]string, len(CSVHeader))
			rec[0], rec[1], rec[3], rec[4] = scope, "window", wt.Given, wt.Target
			rec[6], rec[8], rec[9] = wt.ExpectedA.CSV(), wt.AdjustedResidual.CSV(), wt.YulesQ.CSV()
			rec[12], rec[13], rec[14], rec[15] = i64(wt.A), i64(wt.B), i64(wt.C), i64(wt.D)
			rec[16], rec[17], rec[18] = wt.OddsRatio.CSV(), wt.PTargetGiven.CSV(), wt.PTargetNotGiven.CSV()
			rec[19], rec[20], rec[21], rec[22] = secs(wt.Lo), secs(wt.Hi), secs(wt.Unit), wt.TargetKind
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		return nil
	}
	if err := rows("all", r.Lag, r.Window); err != nil {
		return fmt.Errorf("write sequential CSV: %w", err)
	}
	for _, ep := range r.Episodes {
		if err := rows(ep.Name, ep.Lag, ep.Window); err != nil {
			return fmt.Errorf("write sequential CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write sequential CSV: %w", err)
	}
	return nil
}
