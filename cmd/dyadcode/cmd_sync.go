package main

import (
	"encoding/json"
	"fmt"

	"dyadcode/app"
)

func init() {
	register(&command{
		name: "sync",
		args: "REFERENCE OTHER [--json]",
		summary: "Find where OTHER's time 0 lies on REFERENCE's timeline from their sound.\n" +
			"Cross-correlates the two recordings' whole audio (GCC-PHAT; any sample rates,\n" +
			"gains, codecs) and prints the offset in seconds with a confidence (the peak over\n" +
			"the next best): below 2.5 the recordings share too little sound to trust it.\n" +
			"Method: docs/sync.md.",
		run: runSync,
	})
}

func runSync(env *cmdEnv, args []string) error {
	c := commands["sync"]
	fs := newFlags(env, c)
	asJSON := fs.Bool("json", false, "print {\"offset_s\": …, \"confidence\": …}")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("give a reference and another recording (got %d files)", len(pos))
	}
	r, err := app.Sync(pos[0], pos[1])
	if err != nil {
		return err
	}
	if *asJSON {
		data, err := json.Marshal(struct {
			Offset     float64 `json:"offset_s"`
			Confidence float64 `json:"confidence"`
			Low        bool    `json:"low_confidence"`
		}{r.Offset, r.Confidence, r.Low()})
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(env.stdout, "%s\n", data)
		return err
	}
	note := ""
	if r.Low() {
		note = " — LOW: the recordings share too little sound; mark one shared moment in both instead"
	}
	_, err = fmt.Fprintf(env.stdout, "%s starts at %+.3f s on %s's timeline (confidence %.1f%s)\n", pos[1], r.Offset, pos[0], r.Confidence, note)
	return err
}
