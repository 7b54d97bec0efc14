package csvio

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"dyadcode/annotate"
)

// Write writes the observations in the full form, header first. s may be
// nil; with a scheme, an event's kind and a missing subject come from its
// behaviour, and ratings are ordered as the scheme lists episodes and
// scales.
func Write(w io.Writer, recs []annotate.Transfer, s *annotate.Scheme) error {
	return WriteWith(w, recs, s, Options{})
}

// Options change the bytes Write produces, not the table.
type Options struct {
	// BOM starts the file with the UTF-8 byte-order mark (EF BB BF). Excel
	// on Windows reads a CSV without one in the legacy code page, turning
	// "Zoë" into "ZoÃ«"; with it, Excel reads UTF-8. R's read.csv, pandas
	// and Read here skip it, but other tools may show it as a stray
	// character in the first column name, so it is off by default.
	BOM bool
}

// WriteWith is Write with options.
func WriteWith(w io.Writer, recs []annotate.Transfer, s *annotate.Scheme, opt Options) error {
	if opt.BOM {
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return fmt.Errorf("write CSV: %w", err)
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(columns); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	row := make([]string, nCols)
	for _, t := range recs {
		if t.Obs == nil {
			continue
		}
		if err := writeObservation(cw, row, t, s); err != nil {
			return fmt.Errorf("write CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}

func writeObservation(cw *csv.Writer, row []string, t annotate.Transfer, s *annotate.Scheme) error {
	o := t.Obs
	project, video, obsID, coder := neutralise(t.Project), neutralise(t.Video), neutralise(o.ID), neutralise(o.Coder)
	start := func() {
		clear(row)
		row[colProject], row[colVideo], row[colObservation], row[colCoder] = project, video, obsID, coder
	}

	marks := slices.Clone(o.Episodes)
	slices.SortStableFunc(marks, func(a, b annotate.EpisodeMark) int { return cmp.Compare(a.Start, b.Start) })
	events := o.Events
	if !slices.IsSortedFunc(events, eventOrder) {
		events = slices.Clone(events)
		slices.SortStableFunc(events, eventOrder)
	}

	// Merge marks and events by time; a mark goes first at equal times, as
	// the episode it opens contains the events starting there.
	mi := 0
	for ei := 0; ei <= len(events); ei++ {
		for mi < len(marks) && (ei == len(events) || marks[mi].Start <= events[ei].Start) {
			m := marks[mi]
			start()
			row[colBehavior] = neutralise(m.Name)
			row[colKind] = KindEpisode
			row[colStart] = m.Start.Seconds()
			end := t.End
			if mi+1 < len(marks) {
				end = marks[mi+1].Start
			}
			if end > m.Start {
				row[colEnd] = end.Seconds()
				row[colDuration] = (end - m.Start).Seconds()
			}
			row[colEpisode] = row[colBehavior]
			if err := cw.Write(row); err != nil {
				return err
			}
			mi++
		}
		if ei == len(events) {
			break
		}
		e := events[ei]
		start()
		kind := annotate.Point
		subject := e.Subject
		if e.Open || e.End != e.Start {
			kind = annotate.State
		}
		if s != nil {
			if b, ok := s.Behavior(e.Behavior); ok {
				kind = b.Kind
				if subject == "" {
					subject = b.Subject
				}
			}
		}
		row[colSubject] = neutralise(subject)
		row[colBehavior] = neutralise(e.Behavior)
		row[colKind] = string(kind)
		row[colStart] = e.Start.Seconds()
		if !e.Open {
			row[colEnd] = e.End.Seconds()
			row[colDuration] = (e.End - e.Start).Seconds()
		}
		row[colEpisode] = neutralise(episodeAt(marks, e.Start))
		row[colModifiers] = neutralise(strings.Join(e.Modifiers, "|"))
		row[colComment] = neutralise(e.Comment)
		if err := cw.Write(row); err != nil {
			return err
		}
	}

	ratings := slices.Clone(o.Ratings)
	slices.SortStableFunc(ratings, ratingOrder(s))
	for _, r := range ratings {
		start()
		row[colBehavior] = neutralise(r.Scale)
		row[colKind] = KindRating
		row[colEpisode] = neutralise(r.Episode)
		row[colComment] = strconv.Itoa(r.Value)
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return nil
}

// ratingOrder sorts ratings by episode, then scale, in the scheme's order.
func ratingOrder(s *annotate.Scheme) func(a, b annotate.Rating) int {
	return func(a, b annotate.Rating) int {
		if c := compareIn(s, episodeIndex, a.Episode, b.Episode); c != 0 {
			return c
		}
		return compareIn(s, scaleIndex, a.Scale, b.Scale)
	}
}

func eventOrder(a, b annotate.Event) int {
	if c := cmp.Compare(a.Start, b.Start); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// episodeAt is Observation.EpisodeAt on sorted marks.
func episodeAt(marks []annotate.EpisodeMark, t annotate.Time) string {
	name := ""
	for _, m := range marks {
		if m.Start > t {
			break
		}
		name = m.Name
	}
	return name
}

func episodeIndex(s *annotate.Scheme, name string) int {
	return slices.IndexFunc(s.Episodes, func(e annotate.EpisodeDef) bool { return e.Name == name })
}

func scaleIndex(s *annotate.Scheme, code string) int {
	return slices.IndexFunc(s.Ratings, func(r annotate.RatingScale) bool { return r.Code == code })
}

// compareIn orders names by their place in the scheme, names the scheme
// does not know after those it knows, and by text otherwise.
func compareIn(s *annotate.Scheme, index func(*annotate.Scheme, string) int, a, b string) int {
	if s != nil {
		ia, ib := index(s, a), index(s, b)
		if ia < 0 {
			ia = len(s.Episodes) + len(s.Ratings)
		}
		if ib < 0 {
			ib = len(s.Episodes) + len(s.Ratings)
		}
		if c := cmp.Compare(ia, ib); c != 0 {
			return c
		}
	}
	return strings.Compare(a, b)
}
