package disk

import (
	"encoding/binary"
	"slices"
)

// metaEntry is one cached metadata cluster (an L2 table or a refcount
// block) at host offset off.
type metaEntry struct {
	off   int64
	buf   []byte
	dirty bool
	used  uint64 // LRU clock
}

// metaCache is a small LRU cache of metadata clusters. The entry used
// last is never chosen for eviction, so a caller may hold the entry it
// just got while it loads one other.
type metaCache struct {
	max     int
	entries map[int64]*metaEntry
	clock   uint64
}

func newMetaCache(max int) *metaCache {
	return &metaCache{max: max, entries: make(map[int64]*metaEntry, max)}
}

func (c *metaCache) get(off int64) *metaEntry {
	e := c.entries[off]
	if e != nil {
		c.clock++
		e.used = c.clock
	}
	return e
}

func (c *metaCache) put(e *metaEntry) {
	c.clock++
	e.used = c.clock
	c.entries[e.off] = e
}

// victim returns the least recently used entry.
func (c *metaCache) victim() *metaEntry {
	var v *metaEntry
	for _, e := range c.entries {
		if v == nil || e.used < v.used {
			v = e
		}
	}
	return v
}

// sortedDirty returns the dirty entries in file order (fewer seeks).
func (c *metaCache) sortedDirty() []*metaEntry {
	var d []*metaEntry
	for _, e := range c.entries {
		if e.dirty {
			d = append(d, e)
		}
	}
	slices.SortFunc(d, func(a, b *metaEntry) int { return int(a.off>>9 - b.off>>9) })
	return d
}

// room returns a cluster buffer for a new entry of c, evicting (and
// writing back) the least recently used entry if c is full.
func (q *qcow2) room(c *metaCache) ([]byte, error) {
	if len(c.entries) < c.max {
		return make([]byte, q.cs), nil
	}
	v := c.victim()
	if v.dirty {
		if c == q.l2Cache {
			// An L2 table may reach the disk only after the refcounts
			// and data it refers to (see qcow2). Write back every dirty
			// table behind the one barrier: the next evictions are then
			// free.
			if err := q.writeDirty(q.refCache); err != nil {
				return nil, err
			}
			if err := q.barrier(); err != nil {
				return nil, err
			}
			if err := q.writeDirty(q.l2Cache); err != nil {
				return nil, err
			}
		} else if err := q.writeBack(v); err != nil {
			return nil, err
		}
	}
	delete(c.entries, v.off)
	return v.buf, nil
}

// loadMeta returns the metadata cluster at off through cache c.
func (q *qcow2) loadMeta(c *metaCache, off int64, isL2 bool) (*metaEntry, error) {
	if e := c.get(off); e != nil {
		return e, nil
	}
	buf, err := q.room(c)
	if err != nil {
		return nil, err
	}
	if err := q.f.pread(buf, off); err != nil {
		return nil, err
	}
	e := &metaEntry{off: off, buf: buf}
	c.put(e)
	return e, nil
}

// newMeta puts a zeroed metadata cluster for off into cache c (for a newly
// allocated table; the caller marks it dirty).
func (q *qcow2) newMeta(c *metaCache, off int64, isL2 bool) (*metaEntry, error) {
	if e := c.get(off); e != nil {
		clear(e.buf)
		return e, nil
	}
	buf, err := q.room(c)
	if err != nil {
		return nil, err
	}
	clear(buf)
	e := &metaEntry{off: off, buf: buf}
	c.put(e)
	return e, nil
}

func (q *qcow2) writeBack(e *metaEntry) error {
	if err := q.writeData(e.buf, e.off); err != nil {
		return err
	}
	e.dirty = false
	return nil
}

func (q *qcow2) writeDirty(c *metaCache) error {
	for _, e := range c.sortedDirty() {
		if err := q.writeBack(e); err != nil {
			return err
		}
	}
	return nil
}

// Refcounts ("Host cluster management").

// getRef reads refcount i of a block of 2^order-bit entries. Sub-byte
// entries count bit 0 as the least significant bit.
func getRef(b []byte, i int64, order uint) uint64 {
	switch order {
	case 3:
		return uint64(b[i])
	case 4:
		return uint64(binary.BigEndian.Uint16(b[i*2:]))
	case 5:
		return uint64(binary.BigEndian.Uint32(b[i*4:]))
	case 6:
		return binary.BigEndian.Uint64(b[i*8:])
	}
	w := int64(1) << order
	bit := i * w
	return uint64(b[bit/8]>>(bit%8)) & (1<<w - 1)
}

func setRef(b []byte, i int64, order uint, v uint64) {
	switch order {
	case 3:
		b[i] = byte(v)
		return
	case 4:
		binary.BigEndian.PutUint16(b[i*2:], uint16(v))
		return
	case 5:
		binary.BigEndian.PutUint32(b[i*4:], uint32(v))
		return
	case 6:
		binary.BigEndian.PutUint64(b[i*8:], v)
		return
	}
	w := int64(1) << order
	bit := i * w
	mask := byte(1<<w-1) << (bit % 8)
	b[bit/8] = b[bit/8]&^mask | byte(v)<<(bit%8)&mask
}

// refBlockOffset returns the host offset of the refcount block with
// refcount table index i, 0 if it has none.
func (q *qcow2) refBlockOffset(i int64) (int64, error) {
	if i >= int64(len(q.refTable)) {
		return 0, nil
	}
	off := int64(q.refTable[i] & refTableMask)
	if off < 0 || off >= 1<<56 || off&(q.cs-1) != 0 {
		return 0, errorf(ErrCorrupt, "%s: refcount block %d offset %#x is invalid (unaligned or beyond 64 PB)", q.path, i, uint64(off))
	}
	return off, nil
}

// refcount returns the refcount of host cluster c.
func (q *qcow2) refcount(c int64) (uint64, error) {
	off, err := q.refBlockOffset(c >> q.rbBits)
	if err != nil || off == 0 {
		return 0, err
	}
	b, err := q.loadMeta(q.refCache, off, false)
	if err != nil {
		return 0, err
	}
	return getRef(b.buf, c&(q.rbEntries-1), q.refOrder), nil
}

// setRefcount sets the refcount of host cluster c, creating the refcount
// block (and growing the refcount table) if needed. The block is written
// back later (flushLocked, eviction).
func (q *qcow2) setRefcount(c int64, v uint64) error {
	if v > q.refMax {
		return errorf(ErrRefcountOverflow, "%s: refcount of cluster %d would exceed the maximum %d", q.path, c, q.refMax)
	}
	ti := c >> q.rbBits
	if ti >= int64(len(q.refTable)) {
		if err := q.growRefTable(ti); err != nil {
			return err
		}
	}
	off, err := q.refBlockOffset(ti)
	if err != nil {
		return err
	}
	if off == 0 {
		if off, err = q.newRefBlock(ti); err != nil {
			return err
		}
	}
	b, err := q.loadMeta(q.refCache, off, false)
	if err != nil {
		return err
	}
	setRef(b.buf, c&(q.rbEntries-1), q.refOrder, v)
	b.dirty = true
	return nil
}

// maxSkip bounds the search for free clusters past q.end: refcounts there
// are normally zero (or a few leaked by a crash); a hostile refcount table
// must not make the search endless.
const maxSkip = 1 << 22

// findEnd returns the first cluster index from q.end at which n clusters
// have refcount zero, and moves q.end past them.
func (q *qcow2) findEnd(n int64) (int64, error) {
	c := q.end
	skipped := int64(0)
	for i := c; i < c+n; {
		ti := i >> q.rbBits
		off, err := q.refBlockOffset(ti)
		if err != nil {
			return 0, err
		}
		if off == 0 {
			// No block: the whole range of this table entry is free.
			i = (ti + 1) << q.rbBits
			continue
		}
		rc, err := q.refcount(i)
		if err != nil {
			return 0, err
		}
		if rc != 0 {
			skipped += i + 1 - c
			if skipped > maxSkip {
				return 0, errorf(ErrCorrupt, "%s: no free cluster found past the end of the file (refcounts set beyond it)", q.path)
			}
			c = i + 1
		}
		i++
	}
	if c+n > 1<<(56-q.clusterBits) {
		return 0, errorf(ErrUnsupported, "%s: image file would grow beyond 64 PB", q.path)
	}
	q.end = c + n
	return c, nil
}

// allocClusters allocates n contiguous clusters with refcount one and
// returns the host offset of the first.
func (q *qcow2) allocClusters(n int64) (int64, error) {
	for i, r := range q.free {
		if r.n >= n {
			q.free[i].first += n
			q.free[i].n -= n
			if q.free[i].n == 0 {
				q.free = slices.Delete(q.free, i, i+1)
			}
			if err := q.setRefs(r.first, n, 1); err != nil {
				return 0, err
			}
			return r.first << q.clusterBits, nil
		}
	}
	c, err := q.findEnd(n)
	if err != nil {
		return 0, err
	}
	if err := q.setRefs(c, n, 1); err != nil {
		return 0, err
	}
	return c << q.clusterBits, nil
}

func (q *qcow2) setRefs(first, n int64, v uint64) error {
	for c := first; c < first+n; c++ {
		if err := q.setRefcount(c, v); err != nil {
			return err
		}
	}
	return nil
}

// newRefBlock creates the refcount block for refcount table index ti and
// returns its host offset. The block goes at the end of the file; if it
// falls within the range it describes it counts itself, otherwise its
// refcount is set in the block that describes it. Either way the block and
// its refcount are written and synced before the refcount table entry
// that points at it.
func (q *qcow2) newRefBlock(ti int64) (int64, error) {
	b, err := q.findEnd(1)
	if err != nil {
		return 0, err
	}
	buf := make([]byte, q.cs)
	if b>>q.rbBits == ti {
		setRef(buf, b&(q.rbEntries-1), q.refOrder, 1)
	} else {
		if err := q.setRefcount(b, 1); err != nil {
			return 0, err
		}
		if err := q.writeDirty(q.refCache); err != nil {
			return 0, err
		}
	}
	off := b << q.clusterBits
	if err := q.writeData(buf, off); err != nil {
		return 0, err
	}
	if err := q.barrier(); err != nil {
		return 0, err
	}
	var ent [8]byte
	binary.BigEndian.PutUint64(ent[:], uint64(off))
	if err := q.write(ent[:], q.refTableOffset+ti*8); err != nil {
		return 0, err
	}
	q.refTable[ti] = uint64(off)
	return off, nil
}

// growRefTable replaces the refcount table with a larger one that has an
// entry ti. The new table and the refcount blocks it needs for itself go
// at the end of the file, beyond what the old table can describe, so none
// of them has a refcount yet. They are written and synced, then the
// header is switched to the new table and synced; the old table's
// clusters are freed once that is durable.
func (q *qcow2) growRefTable(ti int64) error {
	old := int64(len(q.refTable))
	entries := max(ti+1, old+old/2)
	t0 := max(q.end, old<<q.rbBits)
	var ranges []int64 // table indexes that get a new block
	var tableClusters int64
	for {
		tableClusters = (entries*8 + q.cs - 1) >> q.clusterBits
		total := tableClusters + int64(len(ranges))
		need := map[int64]bool{ti: true}
		for r := t0 >> q.rbBits; r <= (t0+total-1)>>q.rbBits; r++ {
			need[r] = true
		}
		var next []int64
		for r := range need {
			if r >= old {
				next = append(next, r)
			}
		}
		slices.Sort(next)
		e := max(entries, next[len(next)-1]+1)
		if len(next) == len(ranges) && e == entries {
			ranges = next
			break
		}
		ranges, entries = next, e
	}
	if entries*8 > maxRefTableBytes {
		return errorf(ErrUnsupported, "%s: refcount table would exceed %d bytes", q.path, maxRefTableBytes)
	}
	nb := int64(len(ranges))
	q.end = max(q.end, t0+nb+tableClusters)
	// Layout: blocks at t0.., then the table.
	blocks := make(map[int64][]byte, nb)
	for _, r := range ranges {
		blocks[r] = make([]byte, q.cs)
	}
	for c := t0; c < t0+nb+tableClusters; c++ {
		setRef(blocks[c>>q.rbBits], c&(q.rbEntries-1), q.refOrder, 1)
	}
	table := make([]uint64, tableClusters*q.cs/8)
	copy(table, q.refTable)
	for j, r := range ranges {
		off := (t0 + int64(j)) << q.clusterBits
		table[r] = uint64(off)
		if err := q.writeData(blocks[r], off); err != nil {
			return err
		}
	}
	tbuf := make([]byte, len(table)*8)
	for i, v := range table {
		binary.BigEndian.PutUint64(tbuf[i*8:], v)
	}
	toff := (t0 + nb) << q.clusterBits
	if err := q.writeData(tbuf, toff); err != nil {
		return err
	}
	if err := q.barrier(); err != nil {
		return err
	}
	var hdr [12]byte
	binary.BigEndian.PutUint64(hdr[0:], uint64(toff))
	binary.BigEndian.PutUint32(hdr[8:], uint32(tableClusters))
	if err := q.write(hdr[:], hdrRefcountOffset); err != nil {
		return err
	}
	if err := q.barrier(); err != nil {
		return err
	}
	oldOff, oldClusters := q.refTableOffset, q.refTableClusters
	q.refTable = table
	q.refTableOffset, q.refTableClusters = toff, tableClusters
	q.queueFree(oldOff>>q.clusterBits, oldClusters)
	return nil
}

// resizeLocked grows the virtual size ("Header", size; a larger L1 table
// when the old one cannot map the new size).
func (q *qcow2) resizeLocked(newSize int64) error {
	if newSize < q.Size() {
		return errorf(ErrUnsupported, "%s: shrinking qcow2 images is not supported", q.path)
	}
	if newSize > maxVirtualSize || newSize%512 != 0 {
		return errorf(ErrInvalidArgument, "%s: invalid size %d (must be a multiple of 512)", q.path, newSize)
	}
	if err := q.flushLocked(); err != nil {
		return err
	}
	need := int64(l1Needed(uint64(newSize), uint32(q.clusterBits)))
	var hdr [24]byte // size, crypt_method, l1_size, l1_table_offset: bytes 24-47
	binary.BigEndian.PutUint64(hdr[0:], uint64(newSize))
	binary.BigEndian.PutUint32(hdr[8:], q.hdr.cryptMethod)
	if need <= int64(len(q.l1)) {
		if err := q.write(hdr[:8], hdrSize); err != nil {
			return err
		}
		if err := q.barrier(); err != nil {
			return err
		}
		q.size.Store(newSize)
		return nil
	}
	if need*8 > maxL1Bytes {
		return errorf(ErrUnsupported, "%s: size %d needs an L1 table larger than %d bytes", q.path, newSize, maxL1Bytes)
	}
	clusters := (need*8 + q.cs - 1) >> q.clusterBits
	off, err := q.allocClusters(clusters)
	if err != nil {
		return err
	}
	l1 := make([]uint64, need)
	copy(l1, q.l1)
	buf := make([]byte, clusters<<q.clusterBits)
	for i, v := range l1 {
		binary.BigEndian.PutUint64(buf[i*8:], v)
	}
	if err := q.writeData(buf, off); err != nil {
		return err
	}
	if err := q.writeDirty(q.refCache); err != nil {
		return err
	}
	if err := q.barrier(); err != nil {
		return err
	}
	binary.BigEndian.PutUint32(hdr[12:], uint32(need))
	binary.BigEndian.PutUint64(hdr[16:], uint64(off))
	if err := q.write(hdr[:], hdrSize); err != nil {
		return err
	}
	if err := q.barrier(); err != nil {
		return err
	}
	oldOff, oldLen := q.l1Offset, int64(len(q.l1))
	q.l1, q.l1Offset = l1, off
	q.size.Store(newSize)
	if oldLen > 0 {
		q.queueFree(oldOff>>q.clusterBits, (oldLen*8+q.cs-1)>>q.clusterBits)
	}
	return q.flushLocked()
}
