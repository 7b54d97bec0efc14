package app

import (
	"errors"
	"fmt"
	"strings"

	"dyadcode/annotate"
	"dyadcode/annotate/metrics"
	"dyadcode/annotate/plot"
)

// ErrPlotVideos: a comparison plot was asked of observations of different
// videos.
var ErrPlotVideos = errors.New("a comparison needs one video")

// Plot draws the event plot of in's one observation, or the comparison of
// its several observations of one video. title "" names the video and the
// coder(s).
func Plot(in *Coded, title string) (*plot.Figure, error) {
	if len(in.Obs) == 0 {
		return nil, fmt.Errorf("%s: no observations", in.Source)
	}
	if len(in.Obs) == 1 {
		o := in.Obs[0]
		if title == "" {
			title = fmt.Sprintf("%s — %s (observation %s)", o.Video, o.Obs.Coder, o.Obs.ID)
		}
		return plot.Events(o.Obs, in.Scheme, o.End, title)
	}
	first := in.Obs[0]
	var list []*annotate.Observation
	var end annotate.Time
	var coders []string
	for _, o := range in.Obs {
		if o.Video != first.Video {
			return nil, fmt.Errorf("observations %s and %s code different videos (%s, %s): %w",
				first.Obs.ID, o.Obs.ID, first.Video, o.Video, ErrPlotVideos)
		}
		list = append(list, o.Obs)
		end = max(end, o.End)
		coders = append(coders, o.Obs.Coder)
	}
	if title == "" {
		title = first.Video + ": " + strings.Join(coders, " / ")
	}
	return plot.Compare(list, in.Scheme, end, title)
}

// Metrics computes the per-episode measures of every observation in in,
// each row naming its video.
func Metrics(in *Coded) ([]metrics.Row, error) {
	var rows []metrics.Row
	for _, o := range in.Obs {
		r, err := metrics.Compute(o.Obs, in.Scheme, o.End)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", in.Source, err)
		}
		for i := range r {
			r[i].Video = o.Video
		}
		rows = append(rows, r...)
	}
	return rows, nil
}
