package metrics

import (
	"encoding/csv"
	"fmt"
	"io"
)

// WideHeader is the start of every wide CSV header; measure columns follow.
var WideHeader = []string{"video", "observation", "coder", "episode", "episode_start_s", "episode_end_s"}

// LongHeader is the header of the long CSV.
var LongHeader = []string{"video", "observation", "coder", "episode", "measure", "value", "censored"}

// columnsOf is the union of the rows' columns in first-seen order, so rows
// of observations coded with different schemes still line up by name.
func columnsOf(rows []Row) []string {
	var cols []string
	seen := map[string]bool{}
	for _, r := range rows {
		for _, v := range r.Values {
			if !seen[v.Column] {
				seen[v.Column] = true
				cols = append(cols, v.Column)
			}
		}
	}
	return cols
}

// WriteWide writes one line per row (observation × episode), one column
// per measure; missing values are empty cells, which R, SPSS and pandas
// read as NA.
func WriteWide(w io.Writer, rows []Row) error {
	cols := columnsOf(rows)
	cw := csv.NewWriter(w)
	if err := cw.Write(append(append([]string{}, WideHeader...), cols...)); err != nil {
		return fmt.Errorf("write metrics: %w", err)
	}
	idx := map[string]int{}
	for i, c := range cols {
		idx[c] = i
	}
	rec := make([]string, len(WideHeader)+len(cols))
	for _, r := range rows {
		clear(rec)
		copy(rec, []string{r.Video, r.Observation, r.Coder, r.Episode, trimZeros(r.Start.Seconds()), trimZeros(r.End.Seconds())})
		for _, v := range r.Values {
			rec[len(WideHeader)+idx[v.Column]] = v.String()
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write metrics: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write metrics: %w", err)
	}
	return nil
}

// WriteLong writes one line per row and measure. censored is 1 when the
// value is missing because what it waited for never happened, else 0.
func WriteLong(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(LongHeader); err != nil {
		return fmt.Errorf("write metrics: %w", err)
	}
	for _, r := range rows {
		for _, v := range r.Values {
			cen := "0"
			if v.Censored {
				cen = "1"
			}
			if err := cw.Write([]string{r.Video, r.Observation, r.Coder, r.Episode, v.Column, v.String(), cen}); err != nil {
				return fmt.Errorf("write metrics: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write metrics: %w", err)
	}
	return nil
}
