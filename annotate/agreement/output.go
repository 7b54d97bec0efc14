package agreement

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"dyadcode/annotate"
)

// secs prints a time in seconds without trailing zeros ("0.1", "60").
func secs(t annotate.Time) string {
	s := t.Seconds()
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// Text writes a readable report: the parameters, the whole-session
// agreement, a table per behaviour, each episode, ratings and warnings.
func (r *Report) Text(w io.Writer) error {
	ew := &errWriter{w: w}
	p := r.Params
	ew.printf("Inter-rater agreement: %s\n", strings.Join(p.Coders, ", "))
	ew.printf("A (reference) = %s, B = %s\n", p.Coders[0], p.Coders[1])
	ew.printf("window [0, %s s), slice %s s (%d slices, midpoint rule), onset tolerance %s s\n",
		secs(p.End), secs(p.Slice), p.NSlices, secs(p.Tolerance))
	ew.printf("\nWhole session\n")
	r.writeSection(ew, &r.Section, false)
	for _, ep := range r.Episodes {
		ew.printf("\nEpisode %s [%s, %s s), %d slices\n", ep.Name, secs(ep.Start), secs(ep.End), ep.NSlices)
		r.writeSection(ew, &ep.Section, true)
	}
	if len(r.Pairs) > 0 {
		ew.printf("\nPairs of coders (time-slice κ, composite categories)\n")
		tw := tabwriter.NewWriter(ew, 0, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "  A\tB\tκ\tagreement %%\n")
		for _, pr := range r.Pairs {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", pr.A, pr.B, pr.Kappa, pr.Percent.Format(2))
		}
		tw.Flush()
	}
	if len(r.Ratings) > 0 {
		ew.printf("\nRatings (subjects are episodes; κ between A and B, ICC over all coders)\n")
		tw := tabwriter.NewWriter(ew, 0, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "  scale\tscale range\tepisodes\tκ\tκ linear\tκ quadratic\tICC(1)\tICC(A,1)\tICC(C,1)\n")
		for _, ra := range r.Ratings {
			rng := "values used"
			if ra.Min != nil {
				rng = fmt.Sprintf("%d–%d", *ra.Min, *ra.Max)
			}
			fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", ra.Scale, rng, len(ra.Episodes),
				ra.Kappa, ra.Linear, ra.Quadratic, ra.ICC1, ra.ICCA1, ra.ICCC1)
		}
		tw.Flush()
	}
	if len(r.Warnings) > 0 {
		ew.printf("\nWarnings\n")
		for _, wn := range r.Warnings {
			ew.printf("  - %s\n", wn)
		}
	}
	ew.printf("\nNA: undefined (for κ, both coders' chance agreement is 1). Methods: docs/agreement.md.\n")
	return ew.err
}

// writeSection writes one section; quiet leaves out behaviours neither
// coder used in it (an episode's table would otherwise be mostly NA).
func (r *Report) writeSection(ew *errWriter, s *Section, quiet bool) {
	ew.printf("  time-slice κ (composite categories) %s, agreement %s %%, p_e %s, %d categories\n",
		s.Slice.Kappa, s.Slice.Percent.Format(2), s.Slice.PE, len(s.Slice.Categories))
	if s.Fleiss != nil {
		ew.printf("  Fleiss κ over %d coders (composite categories) %s\n", s.Fleiss.Coders, s.Fleiss.SliceComposite.Kappa)
	}
	if len(r.Behaviors) == 0 {
		return
	}
	// Numbers align right; names are padded to one width so they read
	// left-aligned in the right-aligned table.
	width := len("behaviour")
	for _, id := range r.Behaviors {
		width = max(width, len(id))
	}
	pad := func(s string) string { return s + strings.Repeat(" ", width-len(s)) }
	tw := tabwriter.NewWriter(ew, 0, 4, 2, ' ', tabwriter.AlignRight)
	head := pad("behaviour") + "\tκ\tagree %\tpos. agr.\tPABAK\tA slices\tB slices\tA events\tB events\tmatched\tomitted\tadded\tevent agr. %\tF1\tmean |Δonset| s\t"
	if s.Fleiss != nil {
		head += "Fleiss κ\t"
	}
	fmt.Fprintln(tw, head)
	for _, id := range r.Behaviors {
		b, e := s.PerBehavior[id], s.Events.PerBehavior[id]
		if b == nil || e == nil || quiet && b.N11+b.N10+b.N01 == 0 && e.NA+e.NB == 0 {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t",
			pad(id), b.Kappa, b.Percent.Format(2), b.Positive, b.PABAK, b.N11+b.N10, b.N11+b.N01,
			e.NA, e.NB, e.Agreements, e.Omissions, e.Commissions, e.Percent.Format(2), e.F1, e.MeanAbsDiff.Format(3))
		if s.Fleiss != nil {
			fmt.Fprintf(tw, "%s\t", s.Fleiss.PerBehavior[id].Kappa)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}

// errWriter keeps the first write error so the report code stays linear.
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

// CSVHeader is the header of Report.CSV.
var CSVHeader = []string{
	"scope", "start_s", "end_s", "behavior",
	"n11", "n10", "n01", "n00", "p_o", "p_e", "kappa", "percent_agreement", "positive_agreement", "pabak",
	"n_a", "n_b", "agreements", "omissions", "commissions", "event_percent_agreement",
	"f1", "precision", "recall", "mean_abs_onset_diff_s", "fleiss_kappa",
}

// CSV writes one row per behaviour: first the whole session (scope
// "session"), then each episode (scope = its name). Undefined values are
// NA, which R, SPSS and pandas read as missing.
func (r *Report) CSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return fmt.Errorf("write agreement CSV: %w", err)
	}
	write := func(scope string, from, to annotate.Time, s *Section) error {
		for _, id := range r.Behaviors {
			b, e := s.PerBehavior[id], s.Events.PerBehavior[id]
			if b == nil || e == nil {
				continue
			}
			fk := "NA"
			if s.Fleiss != nil {
				fk = num(s.Fleiss.PerBehavior[id].Kappa)
			}
			rec := []string{scope, secs(from), secs(to), id,
				itoa(b.N11), itoa(b.N10), itoa(b.N01), itoa(b.N00),
				num(b.PO), num(b.PE), num(b.Kappa), num(b.Percent), num(b.Positive), num(b.PABAK),
				strconv.Itoa(e.NA), strconv.Itoa(e.NB), strconv.Itoa(e.Agreements), strconv.Itoa(e.Omissions), strconv.Itoa(e.Commissions),
				num(e.Percent), num(e.F1), num(e.Precision), num(e.Recall), num(e.MeanAbsDiff), fk}
			if err := cw.Write(rec); err != nil {
				return fmt.Errorf("write agreement CSV: %w", err)
			}
		}
		return nil
	}
	if err := write("session", 0, r.Params.End, &r.Section); err != nil {
		return err
	}
	for i := range r.Episodes {
		ep := &r.Episodes[i]
		if err := write(ep.Name, ep.Start, ep.End, &ep.Section); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write agreement CSV: %w", err)
	}
	return nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// num prints a value with up to 6 decimals, or NA.
func num(v Value) string {
	if !v.Valid {
		return "NA"
	}
	s := strconv.FormatFloat(v.V, 'f', 6, 64)
	s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}
