package adopt

import (
	"encoding/json"
	"path/filepath"
)

func baseName(path string) string { return filepath.Base(filepath.FromSlash(path)) }

// jsonString is the text of a JSON string, or "" for anything else.
func jsonString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}
