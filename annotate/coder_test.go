package annotate

import "testing"

func TestCoderNames(t *testing.T) {
	tests := []struct {
		known []string
		typed string
		want  string
	}{
		{[]string{"dana"}, "Dana ", "dana"},                   // the case
		{[]string{"dana"}, "  DANA", "dana"},                  // any case, any surrounding space
		{[]string{"Dana", "dana"}, "dana", "Dana"},            // the first spelling wins
		{[]string{"ben"}, "Dana ", "Dana"},                    // new coder: tidied, spelling kept
		{[]string{"dana smith"}, "Dana  Smith", "dana smith"}, // inner space runs are one
		{[]string{"dana"}, "danah", "danah"},                  // a different name stays different
		{nil, "   ", ""},                                      // no name
		{[]string{"Ærøskøbing"}, "ærøskøbing", "Ærøskøbing"},  // beyond ASCII
		{[]string{"dana"}, "dana\t", "dana"},                  // tabs are space too
	}
	for _, tt := range tests {
		if got := CoderSpelling(tt.known, tt.typed); got != tt.want {
			t.Errorf("CoderSpelling(%q, %q) = %q, want %q", tt.known, tt.typed, got, tt.want)
		}
	}
	if !SameCoder("Dana ", "dana") || SameCoder("dana", "dan a") {
		t.Error("SameCoder disagrees with CoderSpelling")
	}
}
