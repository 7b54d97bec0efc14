package report

import (
	"fmt"
	"strconv"
	"strings"

	"dyadcode/annotate"
	"dyadcode/annotate/agreement"
)

// Agreement is the AgreementFunc the CLI and GUI use: agreement.Compare
// with its default slice and tolerance over the whole video, the first
// observation being the reference coder.
func Agreement(obs []*annotate.Observation, s *annotate.Scheme, end annotate.Time) ([]Table, error) {
	r, err := agreement.Compare(obs, nil, s, agreement.Options{End: end})
	if err != nil {
		return nil, err
	}
	return AgreementTables(r), nil
}

// num shows a statistic with 3 decimals, "–" when undefined.
func num(v agreement.Value) string {
	if !v.Valid {
		return "–"
	}
	return strconv.FormatFloat(v.V, 'f', 3, 64)
}

// pct shows a proportion-like percentage value with 1 decimal.
func pct(v agreement.Value) string {
	if !v.Valid {
		return "–"
	}
	return strconv.FormatFloat(v.V, 'f', 1, 64)
}

func secs(t annotate.Time) string {
	return strings.TrimSuffix(strings.TrimRight(t.Seconds(), "0"), ".")
}

// AgreementTables lays an agreement report out as the report's tables:
// time-slice agreement per scope, per-behaviour agreement over the whole
// session, rating agreement and, for more than two coders, every pair.
func AgreementTables(r *agreement.Report) []Table {
	p := r.Params
	var out []Table
	overview := Table{
		Caption: fmt.Sprintf("Time-slice agreement: %s (A, reference) vs %s", p.Coders[0], strings.Join(p.Coders[1:], ", ")),
		Header:  []string{"scope", "from s", "to s", "slices", "Cohen κ (A–B)", "% agreement"},
		Note: fmt.Sprintf("Slices of %s s (midpoint rule), composite categories; onset tolerance %s s; episodes as marked by %s. Definitions: docs/agreement.md.",
			secs(p.Slice), secs(p.Tolerance), p.EpisodesFrom),
	}
	fleiss := r.Fleiss != nil
	if fleiss {
		overview.Header = append(overview.Header, "Fleiss κ")
	}
	add := func(scope string, from, to annotate.Time, n int, s *agreement.Section) {
		row := []string{scope, secs(from), secs(to), strconv.Itoa(n), num(s.Slice.Kappa), pct(s.Slice.Percent)}
		if fleiss {
			fk := "–"
			if s.Fleiss != nil {
				fk = num(s.Fleiss.SliceComposite.Kappa)
			}
			row = append(row, fk)
		}
		overview.Rows = append(overview.Rows, row)
	}
	add("session", 0, p.End, p.NSlices, &r.Section)
	for i := range r.Episodes {
		ep := &r.Episodes[i]
		add(ep.Name, ep.Start, ep.End, ep.NSlices, &ep.Section)
	}
	if len(r.Warnings) > 0 {
		overview.Note += " Warnings: " + strings.Join(r.Warnings, "; ")
	}
	out = append(out, overview)

	per := Table{
		Caption: "Per behaviour, whole session",
		Header: []string{"behaviour", "both", "A only", "B only", "neither", "κ", "% agreement", "positive agr.", "PABAK",
			"onsets A", "onsets B", "matched", "omissions", "commissions", "F1", "mean |Δ onset| s"},
		Note: "Slice counts (both / A only / B only / neither) and presence κ; onsets matched within the tolerance, omissions and commissions relative to A.",
	}
	for _, id := range r.Behaviors {
		b, e := r.PerBehavior[id], r.Events.PerBehavior[id]
		if b == nil || e == nil {
			continue
		}
		per.Rows = append(per.Rows, []string{id,
			strconv.FormatInt(b.N11, 10), strconv.FormatInt(b.N10, 10), strconv.FormatInt(b.N01, 10), strconv.FormatInt(b.N00, 10),
			num(b.Kappa), pct(b.Percent), num(b.Positive), num(b.PABAK),
			strconv.Itoa(e.NA), strconv.Itoa(e.NB), strconv.Itoa(e.Agreements), strconv.Itoa(e.Omissions), strconv.Itoa(e.Commissions),
			num(e.F1), num(e.MeanAbsDiff)})
	}
	out = append(out, per)

	if len(r.Ratings) > 0 {
		rt := Table{Caption: "Ratings", Header: []string{"scale", "episodes", "κ", "κ linear", "κ quadratic", "ICC(1)", "ICC(A,1)", "ICC(C,1)"},
			Note: "Subjects are the episodes every coder rated; κ between A and B, ICC over all coders (undefined with fewer than two episodes)."}
		for _, ra := range r.Ratings {
			rt.Rows = append(rt.Rows, []string{ra.Scale, strconv.Itoa(len(ra.Episodes)),
				num(ra.Kappa), num(ra.Linear), num(ra.Quadratic), num(ra.ICC1), num(ra.ICCA1), num(ra.ICCC1)})
		}
		out = append(out, rt)
	}
	if len(r.Pairs) > 0 {
		pt := Table{Caption: "Pairs of coders (time-slice κ)", Header: []string{"A", "B", "κ", "% agreement"}}
		for _, pr := range r.Pairs {
			pt.Rows = append(pt.Rows, []string{pr.A, pr.B, num(pr.Kappa), pct(pr.Percent)})
		}
		out = append(out, pt)
	}
	return out
}
