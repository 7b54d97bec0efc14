package eaf

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// node is an XML element with the line it starts on, so every problem can
// be reported as FILE:LINE.
type node struct {
	name  string
	space string // namespace prefix as written, to match the end tag
	attrs map[string]string
	kids  []*node
	text  strings.Builder
	line  int
}

func (n *node) attr(k string) string { return n.attrs[k] }

func (n *node) all(name string) []*node {
	var out []*node
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
	}
	return out
}

func (n *node) first(name string) *node {
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

// Bounds on what a file may hold, so a hostile one cannot exhaust the
// stack or memory. EAF is four levels deep with at most a dozen attributes
// per element; a file of an hour's dense coding holds a few hundred
// thousand elements and a few megabytes.
const (
	maxDepth    = 64
	maxAttrs    = 64
	maxElements = 2_000_000
	maxBytes    = 256 << 20
)

// limitReader fails once more than n bytes were read, instead of
// io.LimitReader's silent EOF that would look like a truncated file.
var errTooBig = fmt.Errorf("larger than the %d MiB an EAF file may have", maxBytes>>20)

type limitReader struct {
	r io.Reader
	n int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, errTooBig
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

// parseTree reads the whole XML document into nodes. Go's decoder expands
// no entities beyond XML's five and character references, so an "XML
// bomb" of nested DTD entities fails on its first reference instead of
// growing; the limits above bound the rest.
func parseTree(r io.Reader, name string) (*node, error) { return parseTreeN(r, name, maxBytes) }

// parseTreeN is parseTree reading at most limit bytes.
func parseTreeN(r io.Reader, name string, limit int64) (*node, error) {
	dec := xml.NewDecoder(&limitReader{r: r, n: limit})
	dec.Strict = true
	var root *node
	var stack []*node
	elements := 0
	for {
		line, _ := dec.InputPos()
		// RawToken skips namespace resolution (a quarter of the time
		// Token takes, and EAF uses no namespaces beyond xsi); the end-tag
		// check Token would do is done below.
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			l, _ := dec.InputPos()
			return nil, fmt.Errorf("%s:%d: %w: %v", name, l, ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name.Local, space: t.Name.Space, attrs: map[string]string{}, line: line}
			if l, _ := dec.InputPos(); l > line {
				// The position before the token can sit at the end of the
				// previous line; use where the start tag ends instead
				// when it is a single-line tag.
				n.line = l
			}
			if elements++; elements > maxElements {
				return nil, fmt.Errorf("%s:%d: %w: more than %d elements", name, n.line, ErrMalformed, maxElements)
			}
			if len(t.Attr) > maxAttrs {
				return nil, fmt.Errorf("%s:%d: %w: <%s> has %d attributes (at most %d are read)", name, n.line, ErrMalformed, t.Name.Local, len(t.Attr), maxAttrs)
			}
			for _, a := range t.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			if len(stack) >= maxDepth {
				return nil, fmt.Errorf("%s:%d: %w: elements nested deeper than %d", name, n.line, ErrMalformed, maxDepth)
			}
			if len(stack) == 0 {
				if root != nil {
					return nil, fmt.Errorf("%s:%d: %w: more than one root element", name, n.line, ErrMalformed)
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			l, _ := dec.InputPos()
			if len(stack) == 0 {
				return nil, fmt.Errorf("%s:%d: %w: unexpected </%s>", name, l, ErrMalformed, t.Name.Local)
			}
			if open := stack[len(stack)-1]; open.name != t.Name.Local || t.Name.Space != open.space {
				return nil, fmt.Errorf("%s:%d: %w: element <%s> (line %d) closed by </%s>", name, l, ErrMalformed, open.name, open.line, t.Name.Local)
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		}
	}
	if len(stack) > 0 {
		l, _ := dec.InputPos()
		return nil, fmt.Errorf("%s:%d: %w: <%s> (line %d) is never closed", name, l, ErrMalformed, stack[len(stack)-1].name, stack[len(stack)-1].line)
	}
	if root == nil {
		return nil, fmt.Errorf("%s: %w: no XML element (empty file?)", name, ErrMalformed)
	}
	// .eaf and .etf (templates) share the root element.
	if root.name != "ANNOTATION_DOCUMENT" {
		return nil, fmt.Errorf("%s:%d: %w: root element is <%s>, not <ANNOTATION_DOCUMENT>", name, root.line, ErrMalformed, root.name)
	}
	return root, nil
}
