package annotate

import "strings"

// The interchange importers (ELAN, BORIS) resolve the names a file uses
// here, so they cannot drift apart on which behaviour a name means.

// FindBehavior returns the behaviour a foreign file names with v: the one
// whose code, else whose display name, equals v ignoring case and
// surrounding spaces. Codes are tried first because they are unique,
// while a display name may repeat or be empty; an empty v finds nothing.
func (s *Scheme) FindBehavior(v string) (Behavior, bool) {
	return findByCodeOrName(s.Behaviors, v, func(b Behavior) (string, string) { return b.Code, b.Name })
}

// FindSubject returns the subject a foreign file names with v, by code
// and then by name as FindBehavior does.
func (s *Scheme) FindSubject(v string) (Subject, bool) {
	return findByCodeOrName(s.Subjects, v, func(x Subject) (string, string) { return x.Code, x.Name })
}

// FindModifier returns the modifier of b that a foreign file names with v,
// ignoring case and surrounding spaces; an exact match wins over one
// that differs only in case.
func (b Behavior) FindModifier(v string) (string, bool) {
	f := foldName(v)
	if f == "" {
		return "", false
	}
	found, ok := "", false
	for _, m := range b.Modifiers {
		if m == v {
			return m, true
		}
		if !ok && foldName(m) == f {
			found, ok = m, true
		}
	}
	return found, ok
}

func findByCodeOrName[T any](items []T, v string, names func(T) (code, name string)) (T, bool) {
	var zero T
	f := foldName(v)
	if f == "" {
		return zero, false
	}
	for _, it := range items {
		if code, _ := names(it); foldName(code) == f {
			return it, true
		}
	}
	for _, it := range items {
		if _, name := names(it); foldName(name) == f {
			return it, true
		}
	}
	return zero, false
}

func foldName(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
