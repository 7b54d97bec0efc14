package agreement

import (
	"fmt"
	"iter"
	"math"
	"math/bits"
	"slices"
	"strings"

	"dyadcode/annotate"
)

// Defaults of Options.
const (
	DefaultSlice     = 100 * annotate.Millisecond
	DefaultTolerance = 500 * annotate.Millisecond
	// ExactOnsets as Options.Tolerance requires identical onsets (a
	// tolerance of zero; 0 itself means the default).
	ExactOnsets annotate.Time = -1
	// MaxSlices bounds the timeline (a day at 0.01 s is 8.6 million), so
	// a typo in a duration or slice width cannot exhaust memory.
	MaxSlices = 20_000_000
)

// Options controls Compare.
type Options struct {
	Slice     annotate.Time // slice width w; 0 = DefaultSlice
	Tolerance annotate.Time // onset tolerance; 0 = DefaultTolerance, ExactOnsets = 0 s
	// End is T, the end of the window [0, T): the video's duration. 0 =
	// the largest time in the inputs.
	End annotate.Time
	// Scale declares the range of every rating scale for weighted κ,
	// overriding the scheme's. nil: the scheme's Min–Max when the scheme
	// has the scale, else the values the coders used.
	Scale *[2]int
}

// Compare computes every agreement statistic between the observations,
// which must be codings of the same video; coders names them (empty: each
// observation's Coder). The first observation is coder A, the reference:
// omissions, precision and recall are relative to it, the two-coder
// statistics compare it with the second, and its episode marks define the
// episodes. s may be nil; it supplies behaviour kinds and subjects and
// rating scales.
func Compare(obs []*annotate.Observation, coders []string, s *annotate.Scheme, opt Options) (*Report, error) {
	if len(obs) < 2 {
		return nil, fmt.Errorf("%w: got %d", ErrTooFewCoders, len(obs))
	}
	for i, o := range obs {
		if o == nil {
			return nil, fmt.Errorf("%w: observation %d is nil", ErrInput, i+1)
		}
	}
	names, err := coderNames(obs, coders)
	if err != nil {
		return nil, err
	}
	c := &comparison{obs: obs, coders: names, scheme: s}
	if err := c.setup(opt); err != nil {
		return nil, err
	}
	c.identify()
	c.occupy()
	return c.report(), nil
}

func coderNames(obs []*annotate.Observation, coders []string) ([]string, error) {
	if len(coders) != 0 && len(coders) != len(obs) {
		return nil, fmt.Errorf("%w: %d coder names for %d observations", ErrInput, len(coders), len(obs))
	}
	names := make([]string, len(obs))
	for i, o := range obs {
		switch {
		case len(coders) != 0 && coders[i] != "":
			names[i] = coders[i]
		case o.Coder != "":
			names[i] = o.Coder
		default:
			names[i] = fmt.Sprintf("coder %d", i+1)
		}
	}
	return names, nil
}

// comparison is the working state of one Compare call.
type comparison struct {
	obs    []*annotate.Observation
	coders []string
	scheme *annotate.Scheme

	w, tol, end annotate.Time
	n           int // number of slices
	scale       *[2]int
	warnings    []string
	// confusionWarned: the too-many-categories warning is given once.
	confusionWarned bool

	// res resolves an event's identity and kind.
	res *resolver
	// ids are the behaviour identities in alphabetical order: bit order
	// and the order of codes inside a composite category.
	ids   []string
	index map[string]int
	// points says which identities are point behaviours.
	points map[string]bool
	// order is the display order: scheme order, then alphabetical.
	order []string
	// evs[c] are coder c's events with resolved identity and kind.
	evs [][]event
	// on[c][b] are coder c's sorted onsets of behaviour b inside the
	// window: points in [0, T], states in [0, T).
	on [][][]annotate.Time
	// occ[c][b] is the slice bitset of behaviour b for coder c.
	occ [][][]uint64
	// cat[c][i] is the composite category of slice i for coder c, an
	// index into catNames.
	cat      [][]int32
	catNames []string
}

type event struct {
	id         int // index into ids
	point      bool
	start, end annotate.Time // end already closed for running states
}

func (c *comparison) warnf(format string, a ...any) {
	c.warnings = append(c.warnings, fmt.Sprintf(format, a...))
}

func (c *comparison) setup(opt Options) error {
	c.w = opt.Slice
	if c.w == 0 {
		c.w = DefaultSlice
	}
	if c.w < 0 {
		return fmt.Errorf("%w: slice width %s s is negative", ErrInput, c.w.Seconds())
	}
	switch {
	case opt.Tolerance == ExactOnsets:
		c.tol = 0
	case opt.Tolerance == 0:
		c.tol = DefaultTolerance
	case opt.Tolerance < 0:
		return fmt.Errorf("%w: tolerance %s s is negative", ErrInput, opt.Tolerance.Seconds())
	default:
		c.tol = opt.Tolerance
	}
	c.scale = opt.Scale
	c.end = opt.End
	if c.end < 0 {
		return fmt.Errorf("%w: duration %s s is negative", ErrInput, c.end.Seconds())
	}
	if c.end == 0 {
		for _, o := range c.obs {
			c.end = max(c.end, o.LastTime())
		}
		if c.end == 0 {
			return fmt.Errorf("%w: nothing is coded and no duration is given, so there is no timeline to compare", ErrInput)
		}
	}
	// 2·T and (2i+1)·w must not overflow int64.
	if c.end > math.MaxInt64/4 || c.w > math.MaxInt64/4 {
		return fmt.Errorf("%w: duration %s s or slice %s s is too large", ErrInput, c.end.Seconds(), c.w.Seconds())
	}
	n := (c.end + c.w - 1) / c.w // N = ceil(T / w)
	if n > MaxSlices {
		return fmt.Errorf("%w: %s s at a slice of %s s is %d slices, more than %d; use a wider slice", ErrInput, c.end.Seconds(), c.w.Seconds(), n, MaxSlices)
	}
	c.n = int(n)
	return nil
}

// identify resolves each event's behaviour identity and kind with the
// resolver (docs/agreement.md §1) and collects the onsets in the window.
func (c *comparison) identify() {
	c.res = newResolver(c.obs, c.scheme)
	names := map[string]bool{}
	raw := make([][]string, len(c.obs))
	point := make([][]bool, len(c.obs))
	for k, o := range c.obs {
		raw[k] = make([]string, len(o.Events))
		point[k] = make([]bool, len(o.Events))
		for j, e := range o.Events {
			raw[k][j], point[k][j] = c.res.resolve(e)
			names[raw[k][j]] = true
		}
	}
	for id := range names {
		c.ids = append(c.ids, id)
	}
	slices.Sort(c.ids)
	c.index = make(map[string]int, len(c.ids))
	for i, id := range c.ids {
		c.index[id] = i
	}
	// Display order: the scheme's behaviour order, then alphabetical.
	rank := func(id string) int {
		code := id[strings.LastIndexByte(id, ':')+1:]
		if c.scheme != nil {
			for i, b := range c.scheme.Behaviors {
				if b.Code == code {
					return i
				}
			}
		}
		return math.MaxInt
	}
	c.order = slices.Clone(c.ids)
	slices.SortStableFunc(c.order, func(x, y string) int { return rank(x) - rank(y) })

	// An identity is a point behaviour when every event of it counts as
	// a point: its agreement is judged by onset matching, not slices.
	c.points = make(map[string]bool, len(c.ids))
	for id := range names {
		c.points[id] = true
	}
	for k := range c.obs {
		for j := range raw[k] {
			if !point[k][j] {
				c.points[raw[k][j]] = false
			}
		}
	}
	c.evs = make([][]event, len(c.obs))
	for k, o := range c.obs {
		c.evs[k] = make([]event, 0, len(o.Events))
		for j, e := range o.Events {
			ev := event{id: c.index[raw[k][j]], point: point[k][j], start: e.Start, end: e.End}
			if ev.point {
				ev.end = ev.start
			} else if e.Open {
				ev.end = e.EndOr(c.end)
				c.warnf("%s: state %s starting at %s s is still running; closed at the end, %s s", c.coders[k], raw[k][j], e.Start.Seconds(), c.end.Seconds())
			}
			c.evs[k] = append(c.evs[k], ev)
		}
	}
	c.on = make([][][]annotate.Time, len(c.obs))
	for k := range c.obs {
		c.on[k] = make([][]annotate.Time, len(c.ids))
		for _, ev := range c.evs[k] {
			if ev.start >= 0 && (ev.start < c.end || ev.point && ev.start == c.end) {
				c.on[k][ev.id] = append(c.on[k][ev.id], ev.start)
			}
		}
		for b := range c.on[k] {
			slices.Sort(c.on[k][b])
		}
	}
}

// midpointRange and pointSlice are the shared midpoint rule of
// annotate.MidpointSlices and annotate.PointSlice.
func midpointRange(s, e, w annotate.Time, n int) (int, int) {
	return annotate.MidpointSlices(s, e, w, n)
}

func pointSlice(t, w annotate.Time, n int) int { return annotate.PointSlice(t, w, n) }

// occupy builds every coder's slice bitsets and composite categories and
// warns about what falls outside the window or covers no slice.
func (c *comparison) occupy() {
	words := (c.n + 63) / 64
	c.occ = make([][][]uint64, len(c.obs))
	for k := range c.obs {
		c.occ[k] = make([][]uint64, len(c.ids))
		for b := range c.ids {
			c.occ[k][b] = make([]uint64, words)
		}
		for _, ev := range c.evs[k] {
			id := c.ids[ev.id]
			set := c.occ[k][ev.id]
			if ev.point {
				if ev.start < 0 || ev.start > c.end {
					c.warnf("%s: point %s at %s s is outside the window [0, %s] and is ignored", c.coders[k], id, ev.start.Seconds(), c.end.Seconds())
					continue
				}
				i := pointSlice(ev.start, c.w, c.n)
				set[i/64] |= 1 << (i % 64)
				continue
			}
			if ev.start >= c.end || ev.end < 0 || ev.start < 0 && ev.end <= 0 {
				c.warnf("%s: state %s [%s, %s) s is outside the window [0, %s) and is ignored", c.coders[k], id, ev.start.Seconds(), ev.end.Seconds(), c.end.Seconds())
				continue
			}
			s, e := ev.start, ev.end
			if s < 0 || e > c.end {
				c.warnf("%s: state %s [%s, %s) s reaches outside the window [0, %s); the part outside is ignored", c.coders[k], id, s.Seconds(), e.Seconds(), c.end.Seconds())
				s, e = max(s, 0), min(e, c.end)
			}
			i0, i1 := midpointRange(s, e, c.w, c.n)
			if i0 >= i1 {
				c.warnf("%s: state %s [%s, %s) s covers no slice midpoint at a slice of %s s and counts in no slice", c.coders[k], id, s.Seconds(), e.Seconds(), c.w.Seconds())
				continue
			}
			setRange(set, i0, i1)
		}
	}
	// Composite categories: slices with the same behaviour set share an
	// index. Consecutive slices mostly share it, so the key is only
	// rebuilt where the set changes.
	catIndex := map[string]int32{}
	buf := make([]uint64, (len(c.ids)+63)/64)
	prev := make([]uint64, len(buf))
	key := make([]byte, 0, 8*len(buf))
	c.cat = make([][]int32, len(c.obs))
	for k := range c.obs {
		cats := make([]int32, c.n)
		last := int32(-1)
		for i := range c.n {
			clear(buf)
			for b := range c.ids {
				if c.occ[k][b][i/64]&(1<<(i%64)) != 0 {
					buf[b/64] |= 1 << (b % 64)
				}
			}
			if last >= 0 && slices.Equal(buf, prev) {
				cats[i] = last
				continue
			}
			key = key[:0]
			for _, wd := range buf {
				for s := 0; s < 64; s += 8 {
					key = append(key, byte(wd>>s))
				}
			}
			id, ok := catIndex[string(key)]
			if !ok {
				id = int32(len(c.catNames))
				catIndex[string(key)] = id
				c.catNames = append(c.catNames, c.composite(buf))
			}
			cats[i], last = id, id
			copy(prev, buf)
		}
		c.cat[k] = cats
	}
}

// composite names a behaviour set: "none", or the identities joined by +
// in alphabetical order.
func (c *comparison) composite(set []uint64) string {
	var parts []string
	for b := range c.ids {
		if set[b/64]&(1<<(b%64)) != 0 {
			parts = append(parts, c.ids[b])
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "+")
}

// wordMasks yields, for each 64-bit word that bits [i0, i1) touch, its
// index and the mask of the bits of the range in it, so the bitset
// operations below work a word at a time.
func wordMasks(i0, i1 int) iter.Seq2[int, uint64] {
	return func(yield func(int, uint64) bool) {
		for i0 < i1 {
			wd, off := i0/64, i0%64
			n := min(64-off, i1-i0)
			mask := ^uint64(0)
			if n < 64 {
				mask = (uint64(1)<<n - 1) << off
			}
			if !yield(wd, mask) {
				return
			}
			i0 += n
		}
	}
}

// setRange sets bits [i0, i1).
func setRange(set []uint64, i0, i1 int) {
	for wd, mask := range wordMasks(i0, i1) {
		set[wd] |= mask
	}
}

// countRange returns n11, n10, n01, n00 of two bitsets over slices
// [i0, i1), with word-wide popcounts.
func countRange(a, b []uint64, i0, i1 int) (n11, n10, n01, n00 int64) {
	for wd, mask := range wordMasks(i0, i1) {
		x, y := a[wd]&mask, b[wd]&mask
		n11 += int64(bits.OnesCount64(x & y))
		n10 += int64(bits.OnesCount64(x &^ y))
		n01 += int64(bits.OnesCount64(y &^ x))
		n00 += int64(bits.OnesCount64(mask &^ (x | y)))
	}
	return
}

// countOnes returns the set bits of a over [i0, i1).
func countOnes(a []uint64, i0, i1 int) int64 {
	var ones int64
	for wd, mask := range wordMasks(i0, i1) {
		ones += int64(bits.OnesCount64(a[wd] & mask))
	}
	return ones
}
