// Package observer reads what Noldus The Observer XT exports: its coding
// scheme (.otx, XML; .otb is the same XML in a zip archive, one entry; an
// .otb that is not such a zip is refused, since no other layout is
// publicly described)
// and its event logs exported as text, so a lab can adopt its Observer
// scheme and bring its coding into dyadcode.
//
// Noldus does not publish the .otx layout; this reader follows the
// elements BORIS's Observer importer (otx_parser.py) reads, the public
// description of the format:
//
//   - CDS_BEHAVIOR: CDS_ELE_ID, CDS_ELE_NAME, CDS_ELE_DESCRIPTION,
//     CDS_ELE_START_KEYCODE, CDS_ELE_STOP_KEYCODE, CDS_ELE_PARENT_NAME (the
//     behaviour group; an element without one is a group) and
//     CDS_ELE_MUT_EXCLUSIVE (Y for a mutually exclusive group);
//   - CDS_MODIFIER: a modifier group (no CDS_ELE_PARENT_ID) or one of its
//     values (CDS_ELE_PARENT_ID names the group);
//   - CDS_CONNECTION CDS_ELEMENT_ID="behaviour" CDS_MODIFIER_ID="group":
//     which behaviours take which modifier groups;
//   - CDS_SUBJECT (with CDS_ELE_PARENT_NAME for subjects, without for
//     subject groups), VL_VARIABLE (independent variables), and
//     MET_METADATA/MET_PROJECT_NAME.
//
// The export carries no explicit point/state flag in that description, so
// a behaviour is a state when it has a stop key or its group is mutually
// exclusive (Observer's state-event groups), else a point; Scheme.Inferred
// lists the behaviours so decided.
//
// Event logs are read from Observer's text export ("Export Observational
// Data", tab-, comma- or semicolon-separated) by header names:
// Observation, Time_Relative_sf (seconds from the start of the
// observation), Subject, Behavior, Modifier_1…, Event_Type ("State
// start", "State stop", "State point", "Point") and Comment.
package observer

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"dyadcode/annotate/internal/zipread"
)

// Sentinel errors callers can test with errors.Is.
var (
	// ErrMalformed: not an Observer export, or damaged or hostile.
	ErrMalformed = errors.New("malformed Observer XT file")
	// ErrUnknown: behaviours, subjects or modifiers the scheme lacks.
	ErrUnknown = errors.New("not in the coding scheme")
)

// Scheme is an Observer XT coding scheme.
type Scheme struct {
	Project   string
	Behaviors []Behavior
	Groups    []Group
	Subjects  []Subject
	Modifiers []ModifierGroup
	Variables []Variable
}

// Behavior is a CDS_BEHAVIOR with a group.
type Behavior struct {
	ID, Name, Description, Key, StopKey, Group string
	State                                      bool
	Inferred                                   bool     // State decided from keys and group, see the package comment
	ModifierGroups                             []string // IDs
}

// Group is a behaviour group.
type Group struct {
	Name      string
	Exclusive bool
}

// Subject is a CDS_SUBJECT with a group.
type Subject struct {
	Name, Key, Group string
}

// ModifierGroup is a modifier group with its values.
type ModifierGroup struct {
	ID, Name, Description, Key string
	Values                     []string
}

// Variable is an independent variable.
type Variable struct {
	Label, Type string
}

// Bounds on what a scheme file may hold; a real scheme is kilobytes.
const (
	maxBytes    = 64 << 20
	maxElements = 1_000_000
)

// ParseScheme reads an .otx file, or an .otb (zipped .otx), told apart by
// the zip signature.
func ParseScheme(name string, data []byte) (*Scheme, error) {
	isZip := bytes.HasPrefix(data, []byte("PK\x03\x04"))
	if strings.EqualFold(path.Ext(name), ".otb") && !isZip {
		// Only the zipped-XML .otb is described publicly; another binary
		// layout cannot be read reliably, so it is refused, not guessed.
		return nil, fmt.Errorf("%s: %w: this .otb is not the zip archive of an .otx document, the only .otb layout publicly described (BORIS's Observer importer); export the coding scheme from The Observer XT as .otx instead", name, ErrMalformed)
	}
	if isZip {
		entries, err := zipread.Read(name, data, func(e string) bool { return !strings.HasSuffix(e, "/") })
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		if len(entries) != 1 {
			return nil, fmt.Errorf("%s: %w: an .otb archive holds one .otx document, this one %d entries", name, ErrMalformed, len(entries))
		}
		for e, b := range entries {
			name, data = name+"/"+e, b
		}
	}
	if len(data) > maxBytes {
		return nil, fmt.Errorf("%s: %w: larger than %d MiB", name, ErrMalformed, maxBytes>>20)
	}
	els, err := collect(name, data)
	if err != nil {
		return nil, err
	}
	return build(name, els)
}

// element is one CDS_*/VL_*/MET_* element: its attributes and the text of
// its child elements by name.
type element struct {
	kind  string
	attrs map[string]string
	kids  map[string]string
	line  int
}

var wanted = map[string]bool{"CDS_BEHAVIOR": true, "CDS_MODIFIER": true, "CDS_CONNECTION": true, "CDS_SUBJECT": true, "VL_VARIABLE": true, "MET_PROJECT_NAME": true}

// collect streams the XML and keeps the elements the scheme is made of.
// Go's decoder expands no DTD entities, so an entity bomb fails on its
// first reference; elements are counted against maxElements.
func collect(name string, data []byte) ([]element, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var out []element
	var cur *element
	var kid string
	var text strings.Builder
	depth, count, root := 0, 0, ""
	for {
		line, _ := dec.InputPos()
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			l, _ := dec.InputPos()
			return nil, fmt.Errorf("%s:%d: %w: %v", name, l, ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if count++; count > maxElements {
				return nil, fmt.Errorf("%s:%d: %w: more than %d elements", name, line, ErrMalformed, maxElements)
			}
			if depth == 0 {
				root = t.Name.Local
			}
			depth++
			switch {
			case cur == nil && wanted[t.Name.Local]:
				cur = &element{kind: t.Name.Local, attrs: map[string]string{}, kids: map[string]string{}, line: line}
				for _, a := range t.Attr {
					cur.attrs[a.Name.Local] = a.Value
				}
				text.Reset()
			case cur != nil:
				kid = t.Name.Local
				text.Reset()
			}
		case xml.CharData:
			if cur != nil && text.Len() < 1<<16 {
				text.Write(t)
			}
		case xml.EndElement:
			depth--
			switch {
			case cur != nil && t.Name.Local == cur.kind:
				if cur.kind == "MET_PROJECT_NAME" {
					cur.kids["text"] = strings.TrimSpace(text.String())
				}
				out = append(out, *cur)
				cur = nil
			case cur != nil && t.Name.Local == kid:
				if _, seen := cur.kids[kid]; !seen {
					cur.kids[kid] = strings.TrimSpace(text.String())
				}
				kid = ""
			}
		}
	}
	if root == "" {
		return nil, fmt.Errorf("%s: %w: no XML element (empty file?)", name, ErrMalformed)
	}
	return out, nil
}

// build assembles the scheme: groups and modifier groups first, then
// behaviours with their groups and modifier connections.
func build(name string, els []element) (*Scheme, error) {
	s := &Scheme{}
	conn := map[string][]string{}
	var behaviors []element
	for _, e := range els {
		switch e.kind {
		case "MET_PROJECT_NAME":
			s.Project = e.kids["text"]
		case "CDS_CONNECTION":
			b, m := e.attrs["CDS_ELEMENT_ID"], e.attrs["CDS_MODIFIER_ID"]
			conn[b] = append(conn[b], m)
		case "CDS_MODIFIER":
			s.addModifier(e)
		case "CDS_SUBJECT":
			if e.kids["CDS_ELE_PARENT_NAME"] != "" {
				s.Subjects = append(s.Subjects, Subject{Name: e.kids["CDS_ELE_NAME"], Key: e.kids["CDS_ELE_START_KEYCODE"], Group: e.kids["CDS_ELE_PARENT_NAME"]})
			}
		case "VL_VARIABLE":
			s.Variables = append(s.Variables, Variable{Label: e.kids["VL_LABEL"], Type: e.kids["VL_TYPE"]})
		case "CDS_BEHAVIOR":
			if e.kids["CDS_ELE_PARENT_NAME"] == "" {
				s.Groups = append(s.Groups, Group{Name: e.kids["CDS_ELE_NAME"], Exclusive: e.kids["CDS_ELE_MUT_EXCLUSIVE"] == "Y"})
			} else {
				behaviors = append(behaviors, e)
			}
		}
	}
	for _, e := range behaviors {
		b := Behavior{ID: e.kids["CDS_ELE_ID"], Name: e.kids["CDS_ELE_NAME"], Description: e.kids["CDS_ELE_DESCRIPTION"],
			Key: e.kids["CDS_ELE_START_KEYCODE"], StopKey: e.kids["CDS_ELE_STOP_KEYCODE"], Group: e.kids["CDS_ELE_PARENT_NAME"],
			ModifierGroups: conn[e.kids["CDS_ELE_ID"]]}
		if b.Name == "" {
			return nil, fmt.Errorf("%s:%d: %w: a behaviour without CDS_ELE_NAME", name, e.line, ErrMalformed)
		}
		g := s.group(b.Group)
		if e.kids["CDS_ELE_MUT_EXCLUSIVE"] == "Y" && g != nil {
			g.Exclusive = true
		}
		b.State, b.Inferred = kindOf(e, b, g)
		s.Behaviors = append(s.Behaviors, b)
	}
	for i := range s.Behaviors { // a flag met on a later behaviour
		if g := s.group(s.Behaviors[i].Group); g != nil && g.Exclusive && s.Behaviors[i].Inferred {
			s.Behaviors[i].State = true
		}
	}
	if len(s.Behaviors) == 0 {
		return nil, fmt.Errorf("%s: %w: no behaviours (CDS_BEHAVIOR with a group); is this an Observer XT coding scheme export?", name, ErrMalformed)
	}
	return s, nil
}

func (s *Scheme) addModifier(e element) {
	if p := e.kids["CDS_ELE_PARENT_ID"]; p != "" {
		for i := range s.Modifiers {
			if s.Modifiers[i].ID == p {
				s.Modifiers[i].Values = append(s.Modifiers[i].Values, e.kids["CDS_ELE_NAME"])
				return
			}
		}
		return
	}
	s.Modifiers = append(s.Modifiers, ModifierGroup{ID: e.kids["CDS_ELE_ID"], Name: e.kids["CDS_ELE_NAME"], Description: e.kids["CDS_ELE_DESCRIPTION"], Key: e.kids["CDS_ELE_START_KEYCODE"]})
}

func (s *Scheme) group(name string) *Group {
	for i := range s.Groups {
		if s.Groups[i].Name == name {
			return &s.Groups[i]
		}
	}
	return nil
}

// kindOf reads an explicit type element when the export has one, else
// infers it (see the package comment).
func kindOf(e element, b Behavior, g *Group) (state, inferred bool) {
	for k, v := range e.kids {
		if strings.Contains(k, "TYPE") {
			switch lv := strings.ToLower(v); {
			case strings.Contains(lv, "state"):
				return true, false
			case strings.Contains(lv, "point"):
				return false, false
			}
		}
	}
	return b.StopKey != "" || (g != nil && g.Exclusive), true
}

// Modifier returns the modifier group with the given ID.
func (s *Scheme) Modifier(id string) (ModifierGroup, bool) {
	for _, m := range s.Modifiers {
		if m.ID == id {
			return m, true
		}
	}
	return ModifierGroup{}, false
}
