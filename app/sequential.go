package app

import (
	"fmt"

	"dyadcode/annotate/sequential"
)

// Sequential runs the sequential analysis of docs/sequential.md over the
// coded observations, pooled (a sequence never runs from one observation
// into the next): the one action behind `dyadcode sequential` and the
// window's Review ▸ Sequential analysis. A Duration in opt overrides every
// observation's video duration, as --duration does for agree.
func Sequential(c *Coded, opt sequential.Options) (*sequential.Report, error) {
	in := make([]sequential.Input, len(c.Obs))
	for i, o := range c.Obs {
		in[i] = sequential.Input{Obs: o.Obs, End: o.End}
		if opt.Duration > 0 {
			in[i].End = 0
		}
	}
	r, err := sequential.Analyze(in, c.Scheme, opt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.Source, err)
	}
	return r, nil
}

// CodedCodes are the scheme's behaviour codes the observations use at
// least once, in scheme order: a lag table without the rows and columns
// nobody coded, which the window offers by default.
func CodedCodes(c *Coded) []string {
	used := map[string]bool{}
	for _, o := range c.Obs {
		for _, e := range o.Obs.Events {
			used[e.Behavior] = true
		}
	}
	var out []string
	if c.Scheme != nil {
		for _, b := range c.Scheme.Behaviors {
			if used[b.Code] {
				out = append(out, b.Code)
			}
		}
	}
	return out
}
