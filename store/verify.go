package store

// Checks of the raw file, done before bbolt maps it and again by Check:
// bbolt trusts its pages, so damage that its checksummed header does not
// cover (a truncated file, a bad free list, a page pointing back at its
// parent, an element running off its page) crashes it, or makes it loop
// or allocate without end. Here the same structures are read with bounds
// checks into plain byte slices, so damage becomes an error.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// bbolt's on-disk constants (go.etcd.io/bbolt/internal/common).
const (
	boltMagic        = 0xED0CDAED
	boltVersion      = 2
	pageHeaderSize   = 16
	elementSize      = 16 // branch and leaf element headers are both 16 bytes
	branchPageFlag   = 0x01
	leafPageFlag     = 0x02
	freelistPageFlag = 0x10
	bucketLeafFlag   = 0x01
	noFreelist       = ^uint64(0)
)

type boltMeta struct {
	pageSize             uint32
	root, freelist, pgid uint64
	txid                 uint64
}

// parseMeta decodes and validates one bbolt meta block (magic, format 2,
// FNV-64a checksum over the first 56 bytes). bbolt writes it in the
// machine's byte order; every platform dyadcode ships on is little-endian.
func parseMeta(b []byte) (boltMeta, bool) {
	le := binary.LittleEndian
	if le.Uint32(b[0:]) != boltMagic || le.Uint32(b[4:]) != boltVersion {
		return boltMeta{}, false
	}
	h := fnv.New64a()
	h.Write(b[:56])
	if h.Sum64() != le.Uint64(b[56:]) {
		return boltMeta{}, false
	}
	m := boltMeta{pageSize: le.Uint32(b[8:]), root: le.Uint64(b[16:]), freelist: le.Uint64(b[32:]), pgid: le.Uint64(b[40:]), txid: le.Uint64(b[48:])}
	if m.pageSize < 512 || m.pageSize > 1<<20 {
		return boltMeta{}, false
	}
	return m, true
}

// verifyFile checks an unmapped project file: a bbolt header, not shorter
// than its high-water mark, a sound free list and page tree. Called with
// the file locked, so no writer changes it meanwhile.
func verifyFile(f *os.File, name string) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("open %s: %w", name, err)
	}
	size := fi.Size()
	if size == 0 {
		return errorf(ErrNotProject, "open %s: the file is empty, not a dyadcode project", name)
	}
	buf := make([]byte, pageHeaderSize+64)
	readMeta := func(off int64) (m boltMeta, ok bool) {
		if _, err := f.ReadAt(buf, off); err != nil {
			return m, false
		}
		return parseMeta(buf[pageHeaderSize:])
	}
	m0, ok0 := readMeta(0)
	pageSize := int64(os.Getpagesize()) // bbolt's guess when meta 0 is bad
	if ok0 {
		pageSize = int64(m0.pageSize)
	}
	m1, ok1 := readMeta(pageSize)
	if !ok0 && !ok1 {
		return errorf(ErrNotProject, "open %s: not a dyadcode project (no valid bbolt header)", name)
	}
	// bbolt uses the valid meta with the higher transaction ID.
	m := m0
	if !ok0 || (ok1 && m1.txid > m0.txid) {
		m = m1
	}
	if need := int64(m.pgid) * int64(m.pageSize); size < need {
		return errorf(ErrNotProject, "open %s: the file is truncated (%d bytes, the project needs %d); restore a copy from %s", name, size, need, backupDir(name))
	}
	damaged := func(err error) error {
		return errorf(ErrNotProject, "open %s: the file is damaged (%v); restore a copy from %s", name, err, backupDir(name))
	}
	if m.root < 2 || m.root >= m.pgid || (m.freelist != noFreelist && (m.freelist < 2 || m.freelist >= m.pgid)) {
		return damaged(errors.New("root or free list outside the file"))
	}
	c := &treeChecker{r: f, ps: int64(m.pageSize), hwm: m.pgid, seen: map[uint64]bool{}, free: map[uint64]bool{}}
	if m.freelist != noFreelist {
		if err := c.freelist(m.freelist); err != nil {
			return damaged(err)
		}
	}
	if err := c.page(m.root); err != nil {
		return damaged(err)
	}
	return nil
}

// treeChecker walks bbolt's page tree from the file.
type treeChecker struct {
	r    io.ReaderAt
	ps   int64           // page size
	hwm  uint64          // pages in use: 0 .. hwm-1
	seen map[uint64]bool // pages reached (cycles, double use)
	free map[uint64]bool // pages the free list names
}

func (c *treeChecker) read(id, n uint64) ([]byte, error) {
	buf := make([]byte, n)
	if _, err := c.r.ReadAt(buf, int64(id)*c.ps); err != nil {
		return nil, fmt.Errorf("page %d unreadable: %v", id, err)
	}
	return buf, nil
}

// freelist checks the free-list page the way bbolt reads it and records
// the free pages, which must lie inside the file (or bbolt would hand out
// pages beyond its end).
func (c *treeChecker) freelist(id uint64) error {
	le := binary.LittleEndian
	hdr, err := c.read(id, pageHeaderSize+8)
	if err != nil {
		return err
	}
	flags, count, overflow := le.Uint16(hdr[8:]), uint64(le.Uint16(hdr[10:])), uint64(le.Uint32(hdr[12:]))
	if self := le.Uint64(hdr); self != id {
		return fmt.Errorf("free list page %d calls itself page %d", id, self)
	}
	if flags != freelistPageFlag {
		return fmt.Errorf("free list page %d has type %#x", id, flags)
	}
	if id+overflow >= c.hwm {
		return errors.New("free list runs past the end of the file")
	}
	idx := uint64(0)
	if count == 0xFFFF {
		idx, count = 1, le.Uint64(hdr[pageHeaderSize:])
	}
	span := (overflow + 1) * uint64(c.ps)
	if count > span/8 || pageHeaderSize+(idx+count)*8 > span {
		return fmt.Errorf("free list claims %d pages, more than it holds", count)
	}
	buf, err := c.read(id, pageHeaderSize+(idx+count)*8)
	if err != nil {
		return err
	}
	ids := buf[pageHeaderSize+idx*8:]
	for i := uint64(0); i < count; i++ {
		pg := le.Uint64(ids[i*8:])
		if pg < 2 || pg >= c.hwm {
			return fmt.Errorf("free list names page %d, outside the file", pg)
		}
		c.free[pg] = true
	}
	for i := id; i <= id+overflow; i++ {
		c.seen[i] = true
	}
	return nil
}

// page checks a branch or leaf page and everything below it.
func (c *treeChecker) page(id uint64) error {
	if id < 2 || id >= c.hwm {
		return fmt.Errorf("a page points to page %d, outside the file", id)
	}
	if c.seen[id] {
		return fmt.Errorf("page %d is reached twice", id)
	}
	hdr, err := c.read(id, pageHeaderSize)
	if err != nil {
		return err
	}
	// bbolt asserts (panics) that a page knows its own ID.
	if self := binary.LittleEndian.Uint64(hdr); self != id {
		return fmt.Errorf("page %d calls itself page %d", id, self)
	}
	overflow := uint64(binary.LittleEndian.Uint32(hdr[12:]))
	if id+overflow >= c.hwm {
		return fmt.Errorf("page %d runs past the end of the file", id)
	}
	for i := id; i <= id+overflow; i++ {
		if c.free[i] {
			return fmt.Errorf("page %d is in use and also listed free", i)
		}
		c.seen[i] = true
	}
	buf, err := c.read(id, (overflow+1)*uint64(c.ps))
	if err != nil {
		return err
	}
	return c.elements(buf, fmt.Sprintf("page %d", id))
}

// elements checks the elements of a page held in buf (a page read from the
// file, or an inline bucket's page inside a value).
func (c *treeChecker) elements(buf []byte, where string) error {
	le := binary.LittleEndian
	if len(buf) < pageHeaderSize {
		return fmt.Errorf("%s: shorter than a page header", where)
	}
	flags, count := le.Uint16(buf[8:]), uint64(le.Uint16(buf[10:]))
	if pageHeaderSize+count*elementSize > uint64(len(buf)) {
		return fmt.Errorf("%s: %d elements do not fit", where, count)
	}
	var prev []byte
	for i := uint64(0); i < count; i++ {
		e := pageHeaderSize + i*elementSize
		var key, val []byte
		var child uint64
		var isBucket bool
		switch flags {
		case branchPageFlag:
			pos, ksize := uint64(le.Uint32(buf[e:])), uint64(le.Uint32(buf[e+4:]))
			child = le.Uint64(buf[e+8:])
			if e+pos+ksize > uint64(len(buf)) {
				return fmt.Errorf("%s: element %d runs off the page", where, i)
			}
			key = buf[e+pos : e+pos+ksize]
		case leafPageFlag:
			lflags, pos := le.Uint32(buf[e:]), uint64(le.Uint32(buf[e+4:]))
			ksize, vsize := uint64(le.Uint32(buf[e+8:])), uint64(le.Uint32(buf[e+12:]))
			if e+pos+ksize+vsize > uint64(len(buf)) {
				return fmt.Errorf("%s: element %d runs off the page", where, i)
			}
			key = buf[e+pos : e+pos+ksize]
			val = buf[e+pos+ksize : e+pos+ksize+vsize]
			isBucket = lflags&bucketLeafFlag != 0
		default:
			return fmt.Errorf("%s: not a branch or leaf page (type %#x)", where, flags)
		}
		if len(key) == 0 {
			return fmt.Errorf("%s: element %d has an empty key", where, i)
		}
		if prev != nil && bytes.Compare(prev, key) >= 0 {
			return fmt.Errorf("%s: keys out of order at element %d", where, i)
		}
		prev = key
		switch {
		case flags == branchPageFlag:
			if err := c.page(child); err != nil {
				return err
			}
		case isBucket:
			if len(val) < 16 {
				return fmt.Errorf("%s: bucket %q has a short header", where, key)
			}
			root := le.Uint64(val)
			if root == 0 { // inline bucket: its page follows the header
				inline := val[16:]
				if len(inline) < pageHeaderSize || le.Uint16(inline[8:]) != leafPageFlag {
					return fmt.Errorf("%s: inline bucket %q is damaged", where, key)
				}
				if err := c.elements(inline, fmt.Sprintf("%s, bucket %q", where, key)); err != nil {
					return err
				}
			} else if err := c.page(root); err != nil {
				return err
			}
		}
	}
	if flags == branchPageFlag && count == 0 {
		return fmt.Errorf("%s: empty branch page", where)
	}
	return nil
}

// IsProjectFile reports whether path starts with a valid bbolt header, that
// is, whether it is (or was) a project rather than some other file. The
// commands that write exports use it to refuse replacing a project with a
// CSV or report (`export P.dyad --format csv -o P.dyad` would otherwise
// lose every coding). It reads two small blocks and takes no lock.
func IsProjectFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	buf := make([]byte, pageHeaderSize+64)
	readMeta := func(off int64) (boltMeta, bool) {
		if _, err := f.ReadAt(buf, off); err != nil {
			return boltMeta{}, false
		}
		return parseMeta(buf[pageHeaderSize:])
	}
	if _, ok := readMeta(0); ok {
		return true
	}
	_, ok := readMeta(int64(os.Getpagesize()))
	return ok
}
