package media

import "github.com/asticode/go-astiav"

// frameCache keeps decoded frames (as references to the decoder's buffers,
// in their compact YUV form, not RGBA) around the playhead within a byte
// budget. When full it evicts the frame farthest from the playhead, so after
// a back-step refill the frames just behind the playhead stay.
type frameCache struct {
	budget   int64
	used     int64
	playhead int64
	frames   map[int64]*astiav.Frame
	sizes    map[int64]int64
}

func newFrameCache(budget int64) *frameCache {
	return &frameCache{budget: budget, frames: map[int64]*astiav.Frame{}, sizes: map[int64]int64{}}
}

func (c *frameCache) get(n int64) *astiav.Frame { return c.frames[n] }

// put stores a new reference to f as frame n (f itself stays the caller's).
func (c *frameCache) put(n int64, f *astiav.Frame) {
	if c.budget <= 0 {
		return
	}
	if _, ok := c.frames[n]; ok {
		return
	}
	size := frameBytes(f)
	if size > c.budget {
		return
	}
	for c.used+size > c.budget {
		if !c.evictFarthest(n) {
			return // everything left is nearer the playhead than n
		}
	}
	r := astiav.AllocFrame()
	if err := r.Ref(f); err != nil {
		r.Free()
		return
	}
	c.frames[n] = r
	c.sizes[n] = size
	c.used += size
}

// evictFarthest drops the frame farthest from the playhead if it is farther
// than n; it reports whether it dropped one.
func (c *frameCache) evictFarthest(n int64) bool {
	dist := func(i int64) int64 {
		if i > c.playhead {
			return i - c.playhead
		}
		return c.playhead - i
	}
	far, farD := int64(-1), int64(-1)
	for i := range c.frames {
		if d := dist(i); d > farD {
			far, farD = i, d
		}
	}
	if far < 0 || farD < dist(n) {
		return false
	}
	c.drop(far)
	return true
}

func (c *frameCache) drop(i int64) {
	if f, ok := c.frames[i]; ok {
		f.Free()
		c.used -= c.sizes[i]
		delete(c.frames, i)
		delete(c.sizes, i)
	}
}

func (c *frameCache) clear() {
	for i := range c.frames {
		c.drop(i)
	}
}

// Len is the number of cached frames.
func (c *frameCache) Len() int { return len(c.frames) }
