package adopt

import (
	"strings"

	"dyadcode/annotate"
	"dyadcode/annotate/observer"
)

// fromObserver adopts an Observer XT coding scheme (.otx, .otb): subjects,
// behaviours with start keys and descriptions, states of a mutually
// exclusive group as an exclusive group, connected modifier groups
// flattened into each behaviour's modifiers.
func fromObserver(name string, data []byte) (*Result, error) {
	os, err := observer.ParseScheme(name, data)
	if err != nil {
		return nil, err
	}
	b := newBuilder(name, os.Project)
	if b.s.Name == "" {
		b.s.Name = strings.TrimSuffix(strings.TrimSuffix(baseName(name), ".otx"), ".otb")
	}
	groups := map[string]string{}
	for _, sub := range os.Subjects {
		b.subject(sub.Name)
		if sub.Key != "" {
			b.lose("subject %q: key %q (dyadcode codes a subject through its behaviours, not by a key)", sub.Name, sub.Key)
		}
		if sub.Group != "" {
			groups[sub.Group] = "subject group"
		}
	}
	var inferred []string
	for _, ob := range os.Behaviors {
		kind := annotate.Point
		if ob.State {
			kind = annotate.State
		}
		i := b.behavior(ob.Name, kind)
		b.s.Behaviors[i].Description = ob.Description
		b.key(i, ob.Key)
		if ob.StopKey != "" && !strings.EqualFold(ob.StopKey, ob.Key) {
			b.lose("behaviour %q: stop key %q (dyadcode stops a state with its start key)", ob.Name, ob.StopKey)
		}
		if ob.Inferred {
			inferred = append(inferred, ob.Name+"="+string(kind))
		}
		var sets []string
		for _, id := range ob.ModifierGroups {
			mg, ok := os.Modifier(id)
			if !ok {
				b.lose("behaviour %q: modifier group %q is not in the file", ob.Name, id)
				continue
			}
			b.addModifiers(i, mg.Values...)
			sets = append(sets, mg.Name)
		}
		if len(sets) > 1 {
			b.lose("behaviour %q: modifier groups %s become one list of modifiers", ob.Name, strings.Join(sets, ", "))
		}
		if g := groupOf(os, ob.Group); g != nil && g.Exclusive && kind == annotate.State {
			b.s.Behaviors[i].Group = Code(g.Name, "g_", "group")
		} else if ob.Group != "" {
			groups[ob.Group] = "behaviour group"
		}
	}
	for _, mg := range os.Modifiers {
		if mg.Key != "" {
			b.lose("modifier group %q: key %q (dyadcode picks modifiers from a list)", mg.Name, mg.Key)
		}
	}
	for _, g := range os.Groups {
		if kind, ok := groups[g.Name]; ok && kind == "behaviour group" {
			b.lose("behaviour group %q (not mutually exclusive states; dyadcode has no categories)", g.Name)
		}
	}
	if len(inferred) > 0 {
		b.lose("point or state is not in the export; decided from stop keys and mutually exclusive groups: %s (check them in the scheme editor)", strings.Join(inferred, ", "))
	}
	for _, v := range os.Variables {
		b.lose("independent variable %q (%s): dyadcode observations have none", v.Label, v.Type)
	}
	return b.result()
}

func groupOf(s *observer.Scheme, name string) *observer.Group {
	for i := range s.Groups {
		if s.Groups[i].Name == name {
			return &s.Groups[i]
		}
	}
	return nil
}
