package annotate

import "strings"

// Coder names are typed by people, at the start of every session, so
// "Dana ", "dana" and "DANA" are one coder: an assistant who types her name
// with a capital on Tuesday must find Monday's observation, not start an
// empty one beside it. This is the one place the rule lives; the start
// screen, the command line and the store all go through it.

// CoderKey is the form coder names are compared in: surrounding space
// trimmed, inner runs of space made one, case folded.
func CoderKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// SameCoder reports whether two typed names are the same coder.
func SameCoder(a, b string) bool { return CoderKey(a) == CoderKey(b) }

// CoderSpelling returns how the coder name is to be recorded: the first
// spelling among known that is the same coder, or the typed name tidied
// (trimmed, inner space made one) when the coder is new. It is "" for a
// name of only spaces.
func CoderSpelling(known []string, name string) string {
	for _, k := range known {
		if SameCoder(k, name) && CoderKey(k) != "" {
			return k
		}
	}
	return strings.Join(strings.Fields(name), " ")
}
