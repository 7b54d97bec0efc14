package adopt

import (
	"strings"

	"dyadcode/annotate"
	"dyadcode/annotate/datavyu"
)

// fromDatavyu adopts a Datavyu spreadsheet's columns: each column is a
// behaviour (a point when every cell has onset = offset), the codes its
// NOMINAL arguments take are its modifiers, and TEXT arguments become the
// event's comment on import.
func fromDatavyu(name string, data []byte) (*Result, error) {
	f, err := datavyu.ParseOPF(name, data)
	if err != nil {
		return nil, err
	}
	b := newBuilder(name, strings.TrimSuffix(baseName(name), ".opf"))
	for _, col := range f.Columns {
		kind := annotate.State
		if len(col.Cells) > 0 {
			kind = annotate.Point
			for _, c := range col.Cells {
				if c.Offset != c.Onset {
					kind = annotate.State
				}
			}
		}
		i := b.behavior(col.Name, kind)
		for ai, a := range col.Args {
			if !datavyu.IsNominal(a) {
				b.lose("column %q: text argument %q becomes the event's comment", col.Name, a.Name)
				continue
			}
			var vals []string
			for _, c := range col.Cells {
				if ai < len(c.Values) && c.Values[ai] != "" {
					vals = append(vals, datavyu.ModifierName(col, ai, c.Values[ai]))
				}
			}
			b.addModifiers(i, vals...)
			if a.Type != "NOMINAL" && a.Type != "" {
				b.lose("column %q: argument %q of type %s becomes the list of values the file uses", col.Name, a.Name, a.Type)
			}
		}
		if len(col.Args) > 0 && datavyuNominal(col) > 1 {
			b.lose("column %q: its %d coded arguments become one list of modifiers named argument=value", col.Name, datavyuNominal(col))
		}
		if !col.Visible {
			b.lose("column %q: hidden in Datavyu; adopted like the others", col.Name)
		}
	}
	for _, v := range f.OtherVideos {
		b.lose("video %q: only the first viewer's video (%s) is the observation's", v, f.Video)
	}
	b.autoKeys()
	return b.result()
}

func datavyuNominal(col datavyu.Column) int {
	n := 0
	for _, a := range col.Args {
		if datavyu.IsNominal(a) {
			n++
		}
	}
	return n
}
