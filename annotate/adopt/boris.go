package adopt

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"

	"dyadcode/annotate"
	"dyadcode/annotate/boris"
)

// fromBORIS adopts a BORIS project's ethogram: subjects, behaviours with
// their kind, key, description and colour, modifier sets (flattened into
// one list per behaviour), and the exclusion matrix as exclusive groups
// where it has that shape.
func fromBORIS(name string, data []byte) (*Result, error) {
	p, err := boris.ParseProject(bytes.NewReader(data), name)
	if err != nil {
		return nil, err
	}
	b := newBuilder(name, p.Name)
	if b.s.Name == "" {
		b.s.Name = strings.TrimSuffix(baseName(name), ".boris")
	}
	for _, s := range p.Subjects {
		b.subject(s.Name)
		if s.Key != "" {
			b.lose("subject %q: key %q (dyadcode codes a subject through its behaviours, not by a key)", s.Name, s.Key)
		}
		if s.Description != "" {
			b.lose("subject %q: description %q (dyadcode subjects have none)", s.Name, s.Description)
		}
	}
	used := usedModifiers(p)
	byCategory := map[string][]string{}
	for _, eb := range p.Behaviors {
		kind := annotate.Point
		if eb.State() {
			kind = annotate.State
		}
		if j := b.find(eb.Code); j >= 0 {
			b.lose("behaviours %q and %q differ only in case; dyadcode matches names ignoring case, so import takes both as %q", b.s.Behaviors[j].Name, eb.Code, b.s.Behaviors[j].Code)
		}
		i := b.behavior(eb.Code, kind)
		bh := &b.s.Behaviors[i]
		bh.Description = eb.Description
		if colorOK(eb.Color) {
			bh.Color = strings.ToLower(eb.Color)
		}
		b.key(i, eb.Key)
		b.borisModifiers(i, eb, used[eb.Code])
		if eb.Category != "" {
			byCategory[eb.Category] = append(byCategory[eb.Category], eb.Code)
		}
		if eb.CodingMap != "" {
			b.lose("behaviour %q: coding map %q (dyadcode has no coding maps)", eb.Code, eb.CodingMap)
		}
	}
	cats := make([]string, 0, len(byCategory))
	for c := range byCategory {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	for _, c := range cats {
		b.lose("behavioural category %q of %s (dyadcode has no categories)", c, strings.Join(byCategory[c], ", "))
	}
	b.exclusionGroups(p)
	for _, v := range p.Variables {
		b.lose("independent variable %q (%s%s): dyadcode observations have none", v.Label, v.Type, valuesNote(v.Values))
	}
	return b.result()
}

func valuesNote(v string) string {
	if v == "" {
		return ""
	}
	return ": " + v
}

func colorOK(c string) bool {
	if len(c) != 7 || c[0] != '#' {
		return false
	}
	for _, r := range c[1:] {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return true
}

// borisModifiers flattens a behaviour's modifier sets into its list. A
// numeric or external-data set has no fixed values; the values the
// project's observations use are taken, so they import.
func (b *builder) borisModifiers(i int, eb boris.Behavior, used [][]string) {
	if len(eb.Modifiers) == 0 {
		return
	}
	var sets []string
	open := false
	var openUsed []string
	for si, ms := range eb.Modifiers {
		kind := map[int]string{boris.ModSingle: "single choice", boris.ModMultiple: "multiple choice", boris.ModNumeric: "numeric", boris.ModExternal: "from external data"}[ms.Type]
		sets = append(sets, fmt.Sprintf("%q (%s)", ms.Name, kind))
		switch ms.Type {
		case boris.ModNumeric, boris.ModExternal:
			open = true
			if si < len(used) {
				openUsed = append(openUsed, used[si]...)
			}
		default:
			b.addModifiers(i, ms.Values...)
		}
		for j, k := range ms.Keys {
			if k != "" {
				b.lose("behaviour %q: modifier %q's key %q (dyadcode picks modifiers from a list)", eb.Code, ms.Values[j], k)
			}
		}
	}
	if open {
		b.addModifiers(i, openUsed...)
		b.lose("behaviour %q: numeric or external-data modifier sets become the fixed list of values the project uses (%s)", eb.Code, strings.Join(openUsed, ", "))
	}
	if len(eb.Modifiers) > 1 || eb.Modifiers[0].Type != boris.ModMultiple {
		b.lose("behaviour %q: modifier sets %s become one list of modifiers, any of which can be chosen together", eb.Code, strings.Join(sets, ", "))
	}
}

// usedModifiers lists, per behaviour code and modifier set, the values
// the project's events use, in first-use order.
func usedModifiers(p *boris.Project) map[string][][]string {
	out := map[string][][]string{}
	for _, o := range p.Observations {
		for _, raw := range o.Events {
			if len(raw) < 4 {
				continue
			}
			code, mods := jsonString(raw[2]), jsonString(raw[3])
			for si, set := range strings.Split(mods, "|") {
				for len(out[code]) <= si {
					out[code] = append(out[code], nil)
				}
				for _, v := range strings.Split(set, ",") {
					v = strings.TrimSpace(v)
					if v != "" && !strings.EqualFold(v, "None") && !slices.Contains(out[code][si], v) {
						out[code][si] = append(out[code][si], v)
					}
				}
			}
		}
	}
	return out
}

// exclusionGroups turns BORIS's exclusion matrix into exclusive groups:
// states that all exclude one another (taken both ways, as BORIS's matrix
// editor shows it) form a group; a set that is connected but not every
// pair excludes the other cannot be one, and is listed.
func (b *builder) exclusionGroups(p *boris.Project) {
	state := map[string]bool{}
	for _, eb := range p.Behaviors {
		state[eb.Code] = eb.State()
	}
	excl := map[[2]string]bool{}
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		for parent[x] != "" && parent[x] != x {
			x = parent[x]
		}
		return x
	}
	for _, eb := range p.Behaviors {
		for _, x := range eb.Excluded {
			if x == eb.Code {
				continue
			}
			if !state[eb.Code] || !state[x] {
				b.lose("exclusion of %q and %q: only states can exclude each other in dyadcode", eb.Code, x)
				continue
			}
			excl[[2]string{eb.Code, x}], excl[[2]string{x, eb.Code}] = true, true
			for _, c := range []string{eb.Code, x} {
				if parent[c] == "" {
					parent[c] = c
				}
			}
			parent[find(eb.Code)] = find(x)
		}
	}
	comps := map[string][]string{}
	var roots []string
	for _, eb := range p.Behaviors {
		if parent[eb.Code] == "" {
			continue
		}
		r := find(eb.Code)
		if _, ok := comps[r]; !ok {
			roots = append(roots, r)
		}
		comps[r] = append(comps[r], eb.Code)
	}
	n := 0
	for _, r := range roots {
		members := comps[r]
		var missing []string
		for i, x := range members {
			for _, y := range members[i+1:] {
				if !excl[[2]string{x, y}] {
					missing = append(missing, x+"–"+y)
				}
			}
		}
		if len(missing) > 0 {
			b.lose("exclusions among %s: not every pair excludes the other (%s do not), so they form no exclusive group", strings.Join(members, ", "), strings.Join(missing, ", "))
			continue
		}
		n++
		group := fmt.Sprintf("exclusive_%d", n)
		for _, code := range members {
			if i := b.find(code); i >= 0 {
				b.s.Behaviors[i].Group = group
			}
		}
	}
}
