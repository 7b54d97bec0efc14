package eaf

import (
	"fmt"
	"strings"

	"dyadcode/annotate"
)

// resolveTimes gives every annotation a start and end, as ELAN shows them:
//
//  1. Aligned time slots have their TIME_VALUE.
//  2. Unaligned slots on time-alignable tiers (Time_Subdivision,
//     Included_In) are interpolated as ELAN's TimeProposer does: tiers are
//     visited parents first, and along each tier's chain of annotations
//     (one annotation's end slot is the next one's begin slot) a run of n
//     unaligned slots between two slots with times gets the times
//     last + k·((next−last)/(n+1)), k = 1…n, in whole milliseconds.
//  3. A slot still without a time (no chain leads to it) is placed the same
//     way between its aligned neighbours in TIME_ORDER, which ELAN keeps in
//     time order.
//  4. Reference annotations take their parent's time (Symbolic_Association)
//     or an equal share of it, in PREVIOUS_ANNOTATION order
//     (Symbolic_Subdivision). A chain of references that loops back is an
//     error naming every annotation in the loop.
func (d *Document) resolveTimes(st *slotTable, p *problems) {
	order, ok := d.tiersParentsFirst(p)
	if !ok {
		return
	}
	for _, t := range order {
		st.interpolateChains(t)
	}
	st.interpolateByOrder()
	for _, t := range order {
		for i := range t.Anns {
			a := &t.Anns[i]
			if a.Alignable() {
				d.alignedTimes(t, a, st, p)
			}
		}
	}
	d.referenceTimes(p)
}

// tiersParentsFirst orders tiers so that every parent precedes its
// children; a loop of PARENT_REFs is an error.
func (d *Document) tiersParentsFirst(p *problems) ([]*Tier, bool) {
	var out []*Tier
	state := map[string]int{} // 1 visiting, 2 placed
	ok := true
	for _, t := range d.Tiers {
		var path []*Tier
		for cur := t; cur != nil && state[cur.ID] == 0; cur = d.Tier(cur.Parent) {
			state[cur.ID] = 1
			path = append(path, cur)
			if par := d.Tier(cur.Parent); par != nil && state[par.ID] == 1 {
				var ids []string
				for _, x := range path {
					ids = append(ids, x.ID)
				}
				p.add(t.Line, ErrMalformed, "tiers %s are each other's parents", strings.Join(quoteAll(ids), " → "))
				ok = false
				break
			}
		}
		for i := len(path) - 1; i >= 0; i-- {
			state[path[i].ID] = 2
			out = append(out, path[i])
		}
	}
	return out, ok
}

// interpolateChains places the unaligned slots along a tier's chains of
// annotations (step 2 of resolveTimes).
func (st *slotTable) interpolateChains(t *Tier) {
	next := map[string]*Annotation{} // begin slot -> annotation
	for i := range t.Anns {
		if a := &t.Anns[i]; a.Alignable() {
			next[a.Slot1] = a
		}
	}
	for i := range t.Anns {
		a := &t.Anns[i]
		last, known := st.at[a.Slot1]
		if !a.Alignable() || !known {
			continue
		}
		var run []string
		cur := a
		for steps := 0; steps <= len(t.Anns); steps++ { // bounded: slots may loop in a broken file
			end, ok := st.at[cur.Slot2]
			if ok {
				st.fill(run, last, end)
				break
			}
			run = append(run, cur.Slot2)
			if cur = next[cur.Slot2]; cur == nil {
				break // the chain ends unaligned; step 3 may still place it
			}
		}
	}
}

// fill gives the unaligned slots of run, which lie between times last and
// next, evenly spaced times, with ELAN's integer arithmetic.
func (st *slotTable) fill(run []string, last, next int64) {
	if len(run) == 0 {
		return
	}
	per := (next - last) / int64(len(run)+1)
	for j, id := range run {
		st.at[id] = last + int64(j+1)*per
	}
}

// interpolateByOrder places every slot still without a time between its
// neighbours with times in TIME_ORDER (step 3 of resolveTimes). Slots
// before the first or after the last time stay unplaced.
func (st *slotTable) interpolateByOrder() {
	var run []string
	var last int64
	seen := false
	for _, id := range st.order {
		t, ok := st.at[id]
		if !ok {
			if seen {
				run = append(run, id)
			}
			continue
		}
		if seen {
			st.fill(run, last, max(t, last))
		}
		run, last, seen = run[:0], t, true
	}
}

func (d *Document) alignedTimes(t *Tier, a *Annotation, st *slotTable, p *problems) {
	_, has1 := st.index[a.Slot1]
	_, has2 := st.index[a.Slot2]
	t1, ok1 := st.at[a.Slot1]
	t2, ok2 := st.at[a.Slot2]
	switch {
	case !has1 || !has2:
		p.add(a.Line, ErrMalformed, "tier %q: annotation %s refers to missing time slot %q or %q", t.ID, a.ID, a.Slot1, a.Slot2)
	case !ok1 || !ok2:
		p.add(a.Line, ErrMalformed, "tier %q: annotation %s uses an unaligned time slot with no aligned slot after it to place it by", t.ID, a.ID)
	case t2 < t1:
		p.add(a.Line, ErrMalformed, "tier %q: annotation %s ends (%d ms) before it starts (%d ms)", t.ID, a.ID, t2, t1)
	default:
		a.Start, a.End = annotate.Time(t1)*annotate.Millisecond, annotate.Time(t2)*annotate.Millisecond
	}
}

// referenceTimes gives reference annotations their times (step 4 of
// resolveTimes), following each chain of references up to an alignable
// annotation without recursion, so a long chain cannot exhaust the stack.
func (d *Document) referenceTimes(p *problems) {
	type place = annPlace
	byID := d.annIdx
	share := d.subdivisionShares()
	done := map[string]bool{}
	for _, t := range d.Tiers {
		for i := range t.Anns {
			a := &t.Anns[i]
			if a.Alignable() || done[a.ID] {
				continue
			}
			// Walk up to an annotation whose time is known.
			var path []place
			onPath := map[string]int{}
			cur := place{t, a}
			broken := false
			for !cur.a.Alignable() && !done[cur.a.ID] {
				if k, loop := onPath[cur.a.ID]; loop {
					var ids []string
					for _, x := range path[k:] {
						ids = append(ids, x.a.ID)
					}
					ids = append(ids, cur.a.ID)
					p.add(path[k].a.Line, ErrMalformed, "reference annotations %s refer to each other in a loop", strings.Join(ids, " → "))
					broken = true
					break
				}
				onPath[cur.a.ID] = len(path)
				path = append(path, cur)
				par, ok := byID[cur.a.Ref]
				if !ok {
					p.add(cur.a.Line, ErrMalformed, "tier %q: annotation %s refers to annotation %q, which does not exist", cur.t.ID, cur.a.ID, cur.a.Ref)
					broken = true
					break
				}
				cur = par
			}
			for _, x := range path {
				done[x.a.ID] = true // placed now, or reported
			}
			if broken {
				continue
			}
			// Place the path from the top down.
			for k := len(path) - 1; k >= 0; k-- {
				x := path[k]
				par := byID[x.a.Ref].a
				x.a.Start, x.a.End = par.Start, par.End
				if sh, ok := share[x.a.ID]; ok && sh.of > 1 {
					span := (par.End - par.Start) / annotate.Time(sh.of)
					x.a.Start = par.Start + annotate.Time(sh.i)*span
					if sh.i < sh.of-1 {
						x.a.End = x.a.Start + span
					}
				}
			}
		}
	}
}

type shareOf struct{ i, of int }

// subdivisionShares numbers the children of each parent annotation on
// Symbolic_Subdivision tiers in PREVIOUS_ANNOTATION order (file order when
// the links do not form one chain).
func (d *Document) subdivisionShares() map[string]shareOf {
	out := map[string]shareOf{}
	for _, t := range d.Tiers {
		if d.Constraint(t) != "Symbolic_Subdivision" {
			continue
		}
		groups := map[string][]*Annotation{}
		var refs []string
		for i := range t.Anns {
			a := &t.Anns[i]
			if a.Alignable() {
				continue
			}
			if _, ok := groups[a.Ref]; !ok {
				refs = append(refs, a.Ref)
			}
			groups[a.Ref] = append(groups[a.Ref], a)
		}
		for _, ref := range refs {
			sibs := chainOrder(groups[ref])
			for i, a := range sibs {
				out[a.ID] = shareOf{i, len(sibs)}
			}
		}
	}
	return out
}

// chainOrder sorts siblings by their PREVIOUS_ANNOTATION links, keeping
// file order if the links are not one clean chain.
func chainOrder(sibs []*Annotation) []*Annotation {
	byPrev := map[string]*Annotation{}
	var first *Annotation
	for _, a := range sibs {
		if a.Prev == "" {
			if first != nil {
				return sibs
			}
			first = a
			continue
		}
		if byPrev[a.Prev] != nil {
			return sibs
		}
		byPrev[a.Prev] = a
	}
	if first == nil {
		return sibs
	}
	out := make([]*Annotation, 0, len(sibs))
	for cur := first; cur != nil && len(out) < len(sibs); cur = byPrev[cur.ID] {
		out = append(out, cur)
	}
	if len(out) != len(sibs) {
		return sibs
	}
	return out
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
