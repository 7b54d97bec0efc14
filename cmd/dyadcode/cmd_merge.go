package main

import (
	"errors"
	"fmt"

	"dyadcode/app"
)

func init() {
	register(&command{
		name: "merge",
		args: "INTO.dyad FROM.dyad...",
		summary: `Bring other projects' observations, coders and videos into a project.
Merges the coding done in other project files (each coder's laptop, say)
into INTO.dyad: observations with their events, episode marks, ratings,
comments and undo history, the coders, and the videos (matched by content,
not by path). The FROM files are only read. An observation INTO has already
is not added again, so merging the same file twice changes nothing; a newer
state of one replaces it; two copies edited apart are both kept and
listed. The coding schemes must have the same behaviour codes and kinds:
otherwise nothing is merged and the differences are listed behaviour by
behaviour (exit 1). Everything is merged in one step: an interruption leaves
INTO as it was or fully merged.`,
		run: runMerge,
	})
}

func runMerge(env *cmdEnv, args []string) error {
	c := commands["merge"]
	fset := newFlags(env, c)
	pos, err := parseFlags(fset, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return usagef("need the project to merge into and at least one project to merge from (got %d arguments)", len(pos))
	}
	p, err := app.OpenProject(pos[0], false)
	if err != nil {
		return err
	}
	defer p.Close()
	res, err := app.Merge(p, pos[1:])
	if errors.Is(err, app.ErrNothingToMerge) {
		return usagef("%v", err)
	}
	if err != nil {
		return fmt.Errorf("%w\n%s", err, app.MergeAdvice(err))
	}
	for _, line := range res.Summary() {
		fmt.Fprintln(env.stdout, line)
	}
	return nil
}
