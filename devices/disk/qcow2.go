package disk

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"sync"
	"sync/atomic"
)

// qcow2 is an open qcow2 image.
//
// Concurrency: one mutex serialises every operation on the image,
// metadata and data I/O alike. Requests are large (virtio-blk hands over
// whole scatter lists) and the host file is the bottleneck, so the
// simplicity is worth more than parallel reads.
//
// Metadata: the L1 table and the refcount table are held whole (their
// sizes are bounded at open, see parseHeader). L2 tables and refcount
// blocks live in two small LRU caches written back at Flush or eviction.
// Guest data is never cached.
//
// Update ordering (what makes a crash safe, "Host cluster management"):
//   - Refcount increases are made in the refcount cache when a cluster is
//     allocated; data is written to the new cluster at once; the L2 entry
//     pointing at it is changed in the L2 cache.
//   - A dirty L2 table is written only after every dirty refcount block
//     has been written and the file synced (barrier), so a reference
//     never reaches the disk before its refcount or its data.
//   - The L1 table is written after the L2 tables and another barrier, so
//     it never points at an L2 table whose contents are not on disk.
//   - Refcount decreases (a cluster copied on write, discarded, a table
//     replaced) wait in pending until the L2/L1 changes that dropped the
//     reference are durable; only then are they applied, written and
//     synced, and the clusters become reusable.
//   - New refcount blocks and a new refcount table are written and synced
//     before the refcount table entry or the header that points at them.
//
// A crash (even a power loss, given barriers) at any point leaves every
// refcount at least as high as the number of references: at worst
// clusters leak.
type qcow2 struct {
	mu sync.Mutex

	f       *hostFile
	path    string
	hdr     *header
	ro      bool
	size    atomic.Int64
	backing Image

	// formatName is what Format reports (the base format for a Snapshot
	// overlay).
	formatName string

	clusterBits uint
	cs          int64 // cluster size
	l2Entries   int64 // entries per L2 table
	l2Bits      uint
	refOrder    uint
	refMax      uint64
	rbEntries   int64 // refcounts per refcount block
	rbBits      uint

	l1                 []uint64
	l1Offset           int64
	l1DirtyLo, l1Dirty int64 // dirty entries [l1DirtyLo, l1Dirty)
	refTable           []uint64
	refTableOffset     int64
	refTableClusters   int64

	l2Cache  *metaCache
	refCache *metaCache

	// end is the cluster index at which clusters are allocated when the
	// free list has none: the end of the file as far as this image knows.
	end int64
	// free lists clusters whose refcount fell to zero in this session
	// (durably), for reuse.
	free []clusterRun
	// pending lists refcount decreases waiting for the barrier after the
	// L2/L1 writes that dropped the references (see the type comment).
	pending []clusterRun
	// unsynced is set by every write to the file and cleared by barrier.
	unsynced bool

	// scratch is a cluster-sized buffer for partial-cluster writes.
	scratch []byte
	// zbuf holds decompressed data for the compressed cluster at zoff.
	zbuf     []byte
	zoff     int64
	zvalid   bool
	inflater io.ReadCloser
	cbuf     []byte

	closed bool
}

var _ Image = (*qcow2)(nil)

// clusterRun is n clusters from cluster index first.
type clusterRun struct{ first, n int64 }

// Limits on the bookkeeping lists: past them, pending decreases are
// applied early (by a flush) and freed clusters are simply not reused.
const (
	maxPendingRuns = 4096
	maxFreeRuns    = 4096
)

// Cache budgets: QEMU's default L2 cache is 1 MiB; a little more covers
// 16 GiB of guest with 64 KiB clusters.
const (
	l2CacheBytes  = 2 << 20
	refCacheBytes = 1 << 20
	minCacheItems = 4
	maxCacheItems = 256
)

// qcow2Options are what openQcow2 needs besides the file.
type qcow2Options struct {
	noLock    bool
	cache     cacheMode
	noBacking bool // metadata only: do not open the backing file (Info, Check)
}

// cluster kinds an L2 entry describes ("Cluster mapping").
type clusterKind uint8

const (
	kindUnallocated clusterKind = iota // reads from the backing file, or zeros
	kindZero                           // reads as zeros (v3 zero flag), host offset may be set
	kindNormal                         // data at the host offset
	kindCompressed                     // deflate-compressed data
)

func openQcow2(f *hostFile, o qcow2Options, seen []fileID) (*qcow2, error) {
	q, err := loadQcow2(f)
	if err != nil {
		return nil, err
	}
	if q.hdr.backingFile != "" && !o.noBacking {
		bpath := resolveBacking(f.path, q.hdr.backingFile)
		b, err := openChain(bpath, q.hdr.backingFormat, true, o.noLock, o.cache, seen)
		if err != nil {
			if isNotExist(err) {
				return nil, errorf(ErrNoBacking, "%s: backing file %s not found", f.path, bpath)
			}
			return nil, err
		}
		q.backing = b
	}
	if err := q.prepareWrites(); err != nil {
		if q.backing != nil {
			q.backing.Close()
		}
		return nil, err
	}
	return q, nil
}

// openQcow2WithBacking opens a qcow2 image whose backing image is already
// open (the Snapshot overlay).
func openQcow2WithBacking(f *hostFile, backing Image) (*qcow2, error) {
	q, err := loadQcow2(f)
	if err != nil {
		return nil, err
	}
	q.backing = backing
	if err := q.prepareWrites(); err != nil {
		return nil, err
	}
	return q, nil
}

// loadQcow2 reads and validates the header, the L1 table and the refcount
// table.
func loadQcow2(f *hostFile) (*qcow2, error) {
	fileSize, err := f.size()
	if err != nil {
		return nil, err
	}
	// Read the fixed part to learn the cluster size, then the first
	// cluster, which holds the header extensions and the backing name.
	var fixed [hdrV3MinLength]byte
	n, err := f.readAtMost(fixed[:], 0)
	if err != nil {
		return nil, err
	}
	cbits := uint32(minClusterBits)
	if n >= hdrClusterBits+4 {
		cbits = min(max(binary.BigEndian.Uint32(fixed[hdrClusterBits:]), minClusterBits), maxClusterBits)
	}
	first := make([]byte, min(int64(1)<<cbits, fileSize))
	n, err = f.readAtMost(first, 0)
	if err != nil {
		return nil, err
	}
	h, err := parseHeader(f.path, first[:n], fileSize)
	if err != nil {
		return nil, err
	}
	q := &qcow2{
		f:                f,
		path:             f.path,
		hdr:              h,
		ro:               f.readOnly,
		formatName:       FormatQcow2,
		clusterBits:      uint(h.clusterBits),
		cs:               h.clusterSize(),
		l2Bits:           uint(h.clusterBits - 3),
		refOrder:         uint(h.refcountOrder),
		l1Offset:         int64(h.l1Offset),
		refTableOffset:   int64(h.refTableOffset),
		refTableClusters: int64(h.refTableClusters),
	}
	q.size.Store(int64(h.size))
	q.l2Entries = 1 << q.l2Bits
	q.rbBits = q.clusterBits + 3 - q.refOrder
	q.rbEntries = 1 << q.rbBits
	if q.refOrder == 6 {
		q.refMax = ^uint64(0)
	} else {
		q.refMax = 1<<(1<<q.refOrder) - 1
	}
	q.l1 = make([]uint64, h.l1Size)
	if err := q.readTable(q.l1, q.l1Offset); err != nil {
		return nil, err
	}
	q.refTable = make([]uint64, q.refTableClusters*q.cs/8)
	if err := q.readTable(q.refTable, q.refTableOffset); err != nil {
		return nil, err
	}
	q.l2Cache = newMetaCache(cacheItems(l2CacheBytes, q.cs))
	q.refCache = newMetaCache(cacheItems(refCacheBytes, q.cs))
	q.scratch = make([]byte, q.cs)
	q.end = (fileSize + q.cs - 1) >> q.clusterBits
	return q, nil
}

func cacheItems(budget, cs int64) int {
	return int(min(max(budget/cs, minCacheItems), maxCacheItems))
}

// readTable reads a table of big-endian 64-bit entries at off.
func (q *qcow2) readTable(t []uint64, off int64) error {
	if len(t) == 0 {
		return nil
	}
	buf := make([]byte, len(t)*8)
	if err := q.f.pread(buf, off); err != nil {
		return err
	}
	for i := range t {
		t[i] = binary.BigEndian.Uint64(buf[i*8:])
	}
	return nil
}

// prepareWrites refuses read-write opens of images QEMU would not write
// and clears autoclear feature bits, as the spec requires of a writer
// that does not maintain what they describe ("Header", autoclear).
func (q *qcow2) prepareWrites() error {
	if q.ro {
		return nil
	}
	h := q.hdr
	if h.incompatible&incompatCorrupt != 0 {
		return errorf(ErrCorrupt, "%s: image is marked corrupt and can only be opened read-only (repair it with qemu-img check -r)", q.path)
	}
	if h.incompatible&incompatDirty != 0 {
		return errorf(ErrUnsupported, "%s: image is dirty (lazy refcounts were not flushed); repair it with qemu-img check -r all, or open it read-only", q.path)
	}
	if h.autoclear != 0 {
		var b [8]byte
		if err := q.write(b[:], hdrAutoclear); err != nil {
			return err
		}
		h.autoclear = 0
		if err := q.barrier(); err != nil {
			return err
		}
	}
	return nil
}

func isNotExist(err error) bool { return errors.Is(err, os.ErrNotExist) }

// Image methods.

func (q *qcow2) Size() int64 { return q.size.Load() }

func (q *qcow2) ReadOnly() bool { return q.ro }

func (q *qcow2) Format() string { return q.formatName }

func (q *qcow2) lock() error {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return errorf(ErrClosed, "%s: image is closed", q.path)
	}
	return nil
}

func (q *qcow2) ReadAt(p []byte, off int64) (int, error) {
	if err := q.lock(); err != nil {
		return 0, err
	}
	defer q.mu.Unlock()
	if err := checkRange(q.path, off, int64(len(p)), q.Size()); err != nil {
		return 0, err
	}
	if err := q.readLocked(p, off); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (q *qcow2) WriteAt(p []byte, off int64) (int, error) {
	if err := q.lock(); err != nil {
		return 0, err
	}
	defer q.mu.Unlock()
	if q.ro {
		return 0, errorf(ErrReadOnly, "%s: image is read-only", q.path)
	}
	if err := checkRange(q.path, off, int64(len(p)), q.Size()); err != nil {
		return 0, err
	}
	if err := q.writeLocked(p, off); err != nil {
		return 0, err
	}
	if err := q.afterWrite(); err != nil {
		return 0, err
	}
	return len(p), nil
}

// afterWrite implements writethrough caching and bounds the pending list.
func (q *qcow2) afterWrite() error {
	if q.f.cache.writeThrough || len(q.pending) > maxPendingRuns {
		return q.flushLocked()
	}
	return nil
}

func (q *qcow2) Flush() error {
	if err := q.lock(); err != nil {
		return err
	}
	defer q.mu.Unlock()
	return q.flushLocked()
}

func (q *qcow2) Discard(off, n int64) error {
	return q.zeroes(off, n, true)
}

func (q *qcow2) WriteZeroes(off, n int64, mayUnmap bool) error {
	return q.zeroes(off, n, mayUnmap)
}

func (q *qcow2) zeroes(off, n int64, unmap bool) error {
	if err := q.lock(); err != nil {
		return err
	}
	defer q.mu.Unlock()
	if q.ro {
		return errorf(ErrReadOnly, "%s: image is read-only", q.path)
	}
	if err := checkRange(q.path, off, n, q.Size()); err != nil {
		return err
	}
	if err := q.zeroLocked(off, n, unmap); err != nil {
		return err
	}
	return q.afterWrite()
}

func (q *qcow2) Close() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return errorf(ErrClosed, "%s: image is closed", q.path)
	}
	q.closed = true
	var err error
	if !q.ro {
		err = q.flushLocked()
	}
	if e := q.f.close(); err == nil {
		err = e
	}
	if q.backing != nil {
		if e := q.backing.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Low-level file access.

// write writes to the file, refusing to overwrite the header, the L1
// table or the refcount table with anything but their own updates (a
// hostile image could point a data cluster at them; QEMU's overlap checks
// do the same).
func (q *qcow2) write(p []byte, off int64) error {
	q.unsynced = true
	return q.f.pwrite(p, off)
}

// writeData writes guest data or a metadata cluster at a host offset
// taken from a table, after checking that it overlaps none of the
// metadata that is always at a fixed place.
func (q *qcow2) writeData(p []byte, off int64) error {
	end := off + int64(len(p))
	overlaps := func(a, n int64) bool { return n > 0 && off < a+n && a < end }
	if off < q.cs || overlaps(q.l1Offset, int64(len(q.l1))*8) || overlaps(q.refTableOffset, q.refTableClusters*q.cs) {
		return errorf(ErrCorrupt, "%s: write at host offset %#x would overwrite qcow2 metadata (corrupt table entry)", q.path, off)
	}
	// Every cluster in use lies below q.end; a table entry pointing
	// further is corrupt, and following it could grow the file without
	// bound.
	if end > q.end<<q.clusterBits {
		return errorf(ErrCorrupt, "%s: table entry points beyond the end of the file (host offset %#x)", q.path, off)
	}
	return q.write(p, off)
}

// barrier makes everything written so far durable before anything written
// after it.
func (q *qcow2) barrier() error {
	if !q.unsynced {
		return nil
	}
	q.unsynced = false
	return q.f.sync()
}

// L2 entries.

// classify returns the kind of an L2 entry and, for normal and zero
// clusters, its host offset.
func (q *qcow2) classify(e uint64) (clusterKind, int64) {
	if e&oflagCompressed != 0 {
		return kindCompressed, 0
	}
	host := int64(e & l2OffsetMask)
	if e&oflagZero != 0 {
		return kindZero, host
	}
	if host == 0 {
		return kindUnallocated, 0
	}
	return kindNormal, host
}

// compressedExtent returns the host byte range of a compressed cluster
// ("Compressed Clusters Descriptor").
func (q *qcow2) compressedExtent(e uint64) (off, n int64) {
	x := 62 - (q.clusterBits - 8)
	off = int64(e & (1<<x - 1))
	sectors := int64((e>>x)&(1<<(q.clusterBits-8)-1)) + 1
	n = (off&^511 + sectors*512) - off
	return off, n
}

// l2Table returns the cached L2 table for L1 index i, or nil if the L1
// entry is empty.
func (q *qcow2) l2Table(i int64) (*metaEntry, error) {
	off := int64(q.l1[i] & l1OffsetMask)
	if off == 0 {
		return nil, nil
	}
	if off&(q.cs-1) != 0 {
		return nil, errorf(ErrCorrupt, "%s: L2 table offset %#x (L1 index %d) is not cluster aligned", q.path, off, i)
	}
	return q.loadMeta(q.l2Cache, off, true)
}

func l2Get(t *metaEntry, i int64) uint64 {
	return binary.BigEndian.Uint64(t.buf[i*8:])
}

func l2Set(t *metaEntry, i int64, v uint64) {
	binary.BigEndian.PutUint64(t.buf[i*8:], v)
	t.dirty = true
}

// setL1 changes an L1 entry in memory; flushLocked writes it.
func (q *qcow2) setL1(i int64, v uint64) {
	q.l1[i] = v
	if q.l1Dirty == 0 {
		q.l1DirtyLo, q.l1Dirty = i, i+1
		return
	}
	q.l1DirtyLo = min(q.l1DirtyLo, i)
	q.l1Dirty = max(q.l1Dirty, i+1)
}

// Reading.

func (q *qcow2) readLocked(p []byte, off int64) error {
	for len(p) > 0 {
		l1i := off >> (q.clusterBits + q.l2Bits)
		l2i := (off >> q.clusterBits) & (q.l2Entries - 1)
		in := off & (q.cs - 1)
		t, err := q.l2Table(l1i)
		if err != nil {
			return err
		}
		entry := func(i int64) uint64 {
			if t == nil {
				return 0
			}
			return l2Get(t, i)
		}
		kind, host := q.classify(entry(l2i))
		n := min(q.cs-in, int64(len(p)))
		if kind != kindCompressed {
			// Merge following clusters of the same kind (and, for normal
			// clusters, contiguous on the host) into one request.
			for k := int64(1); n < int64(len(p)) && l2i+k < q.l2Entries; k++ {
				k2, h2 := q.classify(entry(l2i + k))
				if k2 != kind || (kind == kindNormal && h2 != host+k*q.cs) {
					break
				}
				n += min(q.cs, int64(len(p))-n)
			}
		}
		chunk := p[:n]
		switch kind {
		case kindUnallocated:
			err = q.readBacking(chunk, off)
		case kindZero:
			clear(chunk)
		case kindNormal:
			if host&(q.cs-1) != 0 {
				return errorf(ErrCorrupt, "%s: data cluster offset %#x is not cluster aligned", q.path, host)
			}
			err = q.f.pread(chunk, host+in)
		case kindCompressed:
			var data []byte
			data, err = q.decompress(entry(l2i))
			if err == nil {
				copy(chunk, data[in:])
			}
		}
		if err != nil {
			return err
		}
		p = p[n:]
		off += n
	}
	return nil
}

// readBacking reads guest data from the backing file; what lies beyond
// the backing file's size reads as zeros ("Cluster mapping").
func (q *qcow2) readBacking(p []byte, off int64) error {
	if q.backing == nil {
		clear(p)
		return nil
	}
	bs := q.backing.Size()
	if off >= bs {
		clear(p)
		return nil
	}
	n := min(int64(len(p)), bs-off)
	if _, err := q.backing.ReadAt(p[:n], off); err != nil {
		return err
	}
	clear(p[n:])
	return nil
}

// decompress returns the data of a compressed cluster (raw deflate, the
// zlib compression type), caching the last one for sequential readers.
func (q *qcow2) decompress(e uint64) ([]byte, error) {
	off, n := q.compressedExtent(e)
	if q.zvalid && q.zoff == off {
		return q.zbuf, nil
	}
	if q.zbuf == nil {
		q.zbuf = make([]byte, q.cs)
		q.cbuf = make([]byte, 2*q.cs)
	}
	q.zvalid = false
	// The descriptor bounds n by two clusters.
	src := q.cbuf[:n]
	if err := q.f.pread(src, off); err != nil {
		return nil, err
	}
	if q.inflater == nil {
		q.inflater = flate.NewReader(bytes.NewReader(src))
	} else if err := q.inflater.(flate.Resetter).Reset(bytes.NewReader(src), nil); err != nil {
		return nil, err
	}
	if _, err := io.ReadFull(q.inflater, q.zbuf); err != nil {
		return nil, errorf(ErrCorrupt, "%s: compressed cluster at host offset %#x does not decompress: %v", q.path, off, err)
	}
	q.zoff, q.zvalid = off, true
	return q.zbuf, nil
}

// readOld fills buf (one cluster) with the current contents of the guest
// cluster at goff whose L2 entry is e: the source of a copy on write.
func (q *qcow2) readOld(e uint64, goff int64, buf []byte) error {
	kind, host := q.classify(e)
	switch kind {
	case kindUnallocated:
		return q.readBacking(buf, goff)
	case kindZero:
		clear(buf)
		return nil
	case kindCompressed:
		data, err := q.decompress(e)
		if err != nil {
			return err
		}
		copy(buf, data)
		return nil
	}
	if host&(q.cs-1) != 0 {
		return errorf(ErrCorrupt, "%s: data cluster offset %#x is not cluster aligned", q.path, host)
	}
	return q.f.pread(buf, host)
}

// Writing.

// inPlace reports whether the cluster of L2 entry i of t can be written
// in place: a normal cluster whose refcount is one. It repairs a missing
// COPIED flag ("L2 table entry", bit 63) when the refcount says so.
func (q *qcow2) inPlace(t *metaEntry, i int64) (bool, int64, error) {
	e := l2Get(t, i)
	kind, host := q.classify(e)
	if kind != kindNormal {
		return false, 0, nil
	}
	if host&(q.cs-1) != 0 {
		return false, 0, errorf(ErrCorrupt, "%s: data cluster offset %#x is not cluster aligned", q.path, host)
	}
	if e&oflagCopied != 0 {
		return true, host, nil
	}
	rc, err := q.refcount(host >> q.clusterBits)
	if err != nil {
		return false, 0, err
	}
	switch rc {
	case 0:
		return false, 0, errorf(ErrCorrupt, "%s: data cluster at %#x is in use but its refcount is 0", q.path, host)
	case 1:
		l2Set(t, i, e|oflagCopied)
		return true, host, nil
	}
	return false, 0, nil
}

func (q *qcow2) writeLocked(p []byte, off int64) error {
	for len(p) > 0 {
		l1i := off >> (q.clusterBits + q.l2Bits)
		l2i := (off >> q.clusterBits) & (q.l2Entries - 1)
		in := off & (q.cs - 1)
		t, err := q.l2ForWrite(l1i)
		if err != nil {
			return err
		}
		ok, host, err := q.inPlace(t, l2i)
		if err != nil {
			return err
		}
		n := min(q.cs-in, int64(len(p)))
		k := int64(1)
		for ; n < int64(len(p)) && l2i+k < q.l2Entries; k++ {
			ok2, h2, err := q.inPlace(t, l2i+k)
			if err != nil {
				return err
			}
			if ok2 != ok || (ok && h2 != host+k*q.cs) {
				break
			}
			n += min(q.cs, int64(len(p))-n)
		}
		if ok {
			if err := q.writeData(p[:n], host+in); err != nil {
				return err
			}
		} else if err := q.allocWrite(t, l2i, k, p[:n], off); err != nil {
			return err
		}
		p = p[n:]
		off += n
	}
	return nil
}

// allocWrite writes p at guest offset off into k fresh clusters that
// replace entries l2i.. of L2 table t, copying what p does not cover from
// the old contents.
func (q *qcow2) allocWrite(t *metaEntry, l2i, k int64, p []byte, off int64) error {
	host, err := q.allocClusters(k)
	if err != nil {
		return err
	}
	g0 := off &^ (q.cs - 1) // guest offset of the first cluster
	end := off + int64(len(p))
	full := func(i int64) bool { c := g0 + i*q.cs; return c >= off && c+q.cs <= end }
	partial := func(i int64) error {
		c := g0 + i*q.cs
		if err := q.readOld(l2Get(t, l2i+i), c, q.scratch); err != nil {
			return err
		}
		lo, hi := max(c, off), min(c+q.cs, end)
		copy(q.scratch[lo-c:hi-c], p[lo-off:hi-off])
		return q.writeData(q.scratch, host+i*q.cs)
	}
	i0, i1 := int64(0), k
	if !full(0) {
		if err := partial(0); err != nil {
			return err
		}
		i0 = 1
	}
	if i1 > i0 && !full(k-1) {
		if err := partial(k - 1); err != nil {
			return err
		}
		i1 = k - 1
	}
	if i1 > i0 {
		lo, hi := g0+i0*q.cs-off, g0+i1*q.cs-off
		if err := q.writeData(p[lo:hi], host+i0*q.cs); err != nil {
			return err
		}
	}
	for i := range k {
		old := l2Get(t, l2i+i)
		l2Set(t, l2i+i, uint64(host+i*q.cs)|oflagCopied)
		q.release(old)
	}
	return nil
}

// release queues the refcount decrease for what an L2 entry that is being
// replaced pointed at.
func (q *qcow2) release(e uint64) {
	kind, host := q.classify(e)
	switch kind {
	case kindNormal, kindZero:
		if host != 0 {
			q.queueFree(host>>q.clusterBits, 1)
		}
	case kindCompressed:
		off, n := q.compressedExtent(e)
		first := off >> q.clusterBits
		last := (off + n - 1) >> q.clusterBits
		q.queueFree(first, last-first+1)
	}
}

func (q *qcow2) queueFree(first, n int64) {
	if l := len(q.pending); l > 0 && q.pending[l-1].first+q.pending[l-1].n == first {
		q.pending[l-1].n += n
		return
	}
	q.pending = append(q.pending, clusterRun{first, n})
}

// l2ForWrite returns the L2 table for L1 index i, allocating it, or
// copying it if it is shared with a snapshot, so that it can be changed.
func (q *qcow2) l2ForWrite(i int64) (*metaEntry, error) {
	e := q.l1[i]
	off := int64(e & l1OffsetMask)
	if off == 0 {
		noff, err := q.allocClusters(1)
		if err != nil {
			return nil, err
		}
		t, err := q.newMeta(q.l2Cache, noff, true)
		if err != nil {
			return nil, err
		}
		t.dirty = true
		q.setL1(i, uint64(noff)|oflagCopied)
		return t, nil
	}
	if off&(q.cs-1) != 0 {
		return nil, errorf(ErrCorrupt, "%s: L2 table offset %#x (L1 index %d) is not cluster aligned", q.path, off, i)
	}
	if e&oflagCopied == 0 {
		rc, err := q.refcount(off >> q.clusterBits)
		if err != nil {
			return nil, err
		}
		switch rc {
		case 0:
			return nil, errorf(ErrCorrupt, "%s: L2 table at %#x is in use but its refcount is 0", q.path, off)
		case 1:
			q.setL1(i, e|oflagCopied)
		default:
			return q.copyL2(i, off)
		}
	}
	return q.loadMeta(q.l2Cache, off, true)
}

// copyL2 copies the shared L2 table at off (L1 index i) to a new cluster
// ("Snapshots": a write must not be visible in other snapshots). The data
// clusters it points at already count one reference per L1 table that
// reaches them, so their refcounts do not change.
func (q *qcow2) copyL2(i, off int64) (*metaEntry, error) {
	old, err := q.loadMeta(q.l2Cache, off, true)
	if err != nil {
		return nil, err
	}
	content := bytes.Clone(old.buf)
	noff, err := q.allocClusters(1)
	if err != nil {
		return nil, err
	}
	t, err := q.newMeta(q.l2Cache, noff, true)
	if err != nil {
		return nil, err
	}
	copy(t.buf, content)
	// Bit 63 is accurate only in tables reachable from the active L1;
	// recompute it from the refcounts.
	for j := range q.l2Entries {
		e := l2Get(t, j)
		kind, host := q.classify(e)
		if (kind != kindNormal && kind != kindZero) || host == 0 {
			continue
		}
		rc, err := q.refcount(host >> q.clusterBits)
		if err != nil {
			return nil, err
		}
		if rc == 1 {
			e |= oflagCopied
		} else {
			e &^= oflagCopied
		}
		l2Set(t, j, e)
	}
	t.dirty = true
	q.setL1(i, uint64(noff)|oflagCopied)
	q.queueFree(off>>q.clusterBits, 1)
	return t, nil
}

// zeroLocked implements Discard and WriteZeroes: whole clusters are
// changed in the L2 tables, partial ones at either end written with zeros.
// The last cluster of a disk whose size is not a cluster multiple counts as
// whole when the range runs to the end of the disk.
func (q *qcow2) zeroLocked(off, n int64, unmap bool) error {
	end := off + n
	a := (off + q.cs - 1) &^ (q.cs - 1)
	b := end &^ (q.cs - 1)
	if end == q.Size() {
		b = (end + q.cs - 1) &^ (q.cs - 1)
	}
	if a >= b {
		return q.writeZeroBytes(off, n)
	}
	if off < a {
		if err := q.writeZeroBytes(off, a-off); err != nil {
			return err
		}
	}
	if b < end {
		if err := q.writeZeroBytes(b, end-b); err != nil {
			return err
		}
	}
	for off = a; off < b; {
		l1i := off >> (q.clusterBits + q.l2Bits)
		l2i := (off >> q.clusterBits) & (q.l2Entries - 1)
		cnt := min(q.l2Entries-l2i, (b-off)>>q.clusterBits)
		if err := q.zeroClusters(l1i, l2i, cnt, off, unmap); err != nil {
			return err
		}
		off += cnt << q.clusterBits
	}
	return nil
}

// zeroClusters makes cnt whole clusters from L2 index l2i of L1 entry l1i
// (guest offset off) read as zeros.
func (q *qcow2) zeroClusters(l1i, l2i, cnt, off int64, unmap bool) error {
	v3 := q.hdr.version >= 3
	if q.l1[l1i]&l1OffsetMask == 0 && q.backing == nil {
		return nil // unallocated without a backing file: zeros already
	}
	if !v3 && !(unmap && q.backing == nil) {
		// Version 2 has no zero flag: write zeros.
		return q.writeZeroBytes(off, min(cnt<<q.clusterBits, q.Size()-off))
	}
	t, err := q.l2ForWrite(l1i)
	if err != nil {
		return err
	}
	for i := l2i; i < l2i+cnt; i++ {
		e := l2Get(t, i)
		kind, _ := q.classify(e)
		var want uint64
		switch {
		case unmap && q.backing == nil:
			want = 0
		case unmap:
			want = oflagZero
		default:
			ok, host, err := q.inPlace(t, i)
			if err != nil {
				return err
			}
			if ok {
				// Keep the allocation, as !mayUnmap asks.
				l2Set(t, i, uint64(host)|oflagZero|oflagCopied)
				continue
			}
			if kind == kindZero || (kind == kindUnallocated && q.backing == nil) {
				continue
			}
			want = oflagZero
		}
		if e == want {
			continue
		}
		l2Set(t, i, want)
		q.release(e)
	}
	return nil
}

// writeZeroBytes writes explicit zeros (through the normal write path,
// so copy-on-write rules apply).
func (q *qcow2) writeZeroBytes(off, n int64) error {
	zeros := make([]byte, min(n, 1<<20))
	for n > 0 {
		c := min(n, int64(len(zeros)))
		if err := q.writeLocked(zeros[:c], off); err != nil {
			return err
		}
		off += c
		n -= c
	}
	return nil
}

// Flush.

// flushLocked writes back the metadata caches in the order the type
// comment explains, then applies pending refcount decreases.
func (q *qcow2) flushLocked() error {
	if q.ro {
		return nil
	}
	if err := q.writeDirty(q.refCache); err != nil {
		return err
	}
	if err := q.barrier(); err != nil {
		return err
	}
	if err := q.writeDirty(q.l2Cache); err != nil {
		return err
	}
	if q.l1Dirty > q.l1DirtyLo {
		if err := q.barrier(); err != nil {
			return err
		}
		if err := q.writeL1(); err != nil {
			return err
		}
	}
	if err := q.barrier(); err != nil {
		return err
	}
	if len(q.pending) > 0 {
		freed, err := q.applyPending()
		if err != nil {
			return err
		}
		if err := q.writeDirty(q.refCache); err != nil {
			return err
		}
		if err := q.barrier(); err != nil {
			return err
		}
		for _, r := range freed {
			// Give the space back to the host; the clusters read as
			// zeros if reused partially. Best effort.
			q.f.punchHole(r.first<<q.clusterBits, r.n<<q.clusterBits)
		}
	}
	return nil
}

// writeL1 writes the dirty part of the L1 table.
func (q *qcow2) writeL1() error {
	lo, hi := q.l1DirtyLo, q.l1Dirty
	buf := make([]byte, (hi-lo)*8)
	for i := lo; i < hi; i++ {
		binary.BigEndian.PutUint64(buf[(i-lo)*8:], q.l1[i])
	}
	if err := q.write(buf, q.l1Offset+lo*8); err != nil {
		return err
	}
	q.l1DirtyLo, q.l1Dirty = 0, 0
	return nil
}

// applyPending applies the queued refcount decreases and returns the runs
// of clusters that became free.
func (q *qcow2) applyPending() ([]clusterRun, error) {
	var freed []clusterRun
	for _, r := range q.pending {
		for c := r.first; c < r.first+r.n; c++ {
			rc, err := q.refcount(c)
			if err != nil {
				return nil, err
			}
			if rc == 0 {
				q.pending = nil
				return nil, errorf(ErrCorrupt, "%s: refcount of cluster %d would drop below zero", q.path, c)
			}
			if err := q.setRefcount(c, rc-1); err != nil {
				return nil, err
			}
			if rc == 1 {
				freed = appendRun(freed, c)
			}
		}
	}
	q.pending = q.pending[:0]
	if len(freed) > 0 {
		// A freed cluster may be reused: forget decompressed data that
		// could have come from it.
		q.zvalid = false
	}
	for _, r := range freed {
		if len(q.free) < maxFreeRuns {
			q.free = append(q.free, r)
		}
	}
	return freed, nil
}

func appendRun(runs []clusterRun, c int64) []clusterRun {
	if l := len(runs); l > 0 && runs[l-1].first+runs[l-1].n == c {
		runs[l-1].n++
		return runs
	}
	return append(runs, clusterRun{c, 1})
}
