package disk

import (
	"encoding/binary"
	"fmt"
	"math"
)

// CheckResult is what `qemu-img check` reports, with the JSON field names
// of `qemu-img check --output=json` (QEMU's qapi ImageCheck). Zero counts
// are omitted from JSON as QEMU omits them.
type CheckResult struct {
	ImageEndOffset     int64  `json:"image-end-offset,omitempty"`
	TotalClusters      int64  `json:"total-clusters,omitempty"`
	CheckErrors        int64  `json:"check-errors"`
	AllocatedClusters  int64  `json:"allocated-clusters,omitempty"`
	Filename           string `json:"filename"`
	Format             string `json:"format"`
	FragmentedClusters int64  `json:"fragmented-clusters,omitempty"`
	CompressedClusters int64  `json:"compressed-clusters,omitempty"`
	Corruptions        int64  `json:"corruptions,omitempty"`
	Leaks              int64  `json:"leaks,omitempty"`

	// Messages are the problems found, one line each, worded as QEMU's
	// ("Leaked cluster 5 refcount=1 reference=0", "ERROR cluster ...").
	Messages []string `json:"-"`
}

// CheckOptions say how Check opens the image.
type CheckOptions struct {
	Format string // "qcow2" or "" to probe; raw images cannot be checked
	NoLock bool   // qemu-img's -U
}

// maxCheckClusters bounds the reference-count array Check builds (4 bytes
// per host cluster): 2^28 clusters is a 16 TiB file of 64 KiB clusters.
const maxCheckClusters = 1 << 28

// Check checks the consistency of a qcow2 image as `qemu-img check`
// does, without changing it: every reference from the L1/L2 tables (active
// and of every snapshot), the refcount structures, the snapshot table and
// bitmaps is counted and compared with the stored refcounts, and the
// COPIED flags of the active tables are compared with the refcounts.
func Check(path string, o CheckOptions) (*CheckResult, error) {
	f, err := openHostFile(path, true, cacheMode{mode: CacheWriteback})
	if err != nil {
		return nil, err
	}
	defer f.close()
	format := o.Format
	if format == "" {
		if format, err = probe(f); err != nil {
			return nil, err
		}
	}
	if format != FormatQcow2 {
		return nil, errorf(ErrUnsupported, "%s: this image format (%s) does not support checks", path, format)
	}
	if !o.NoLock {
		if err := f.lockAs(format); err != nil {
			return nil, err
		}
	}
	q, err := loadQcow2(f)
	if err != nil {
		return nil, err
	}
	fileSize, err := f.size()
	if err != nil {
		return nil, err
	}
	c := &checker{q: q, res: &CheckResult{Filename: path, Format: FormatQcow2}}
	nclusters := (fileSize + q.cs - 1) >> q.clusterBits
	if nclusters > maxCheckClusters {
		return nil, errorf(ErrUnsupported, "%s: image file too large to check (%d clusters)", path, nclusters)
	}
	c.refs = make([]uint32, nclusters)
	if err := c.run(fileSize); err != nil {
		return nil, err
	}
	return c.res, nil
}

// maxCheckEntries bounds the table entries (L1 and L2, of the active
// table and all snapshots) one check visits. A real image stays far below
// (2^30 L2 entries map 64 PB with 64 KiB clusters); a hostile one could
// otherwise make every snapshot's L1 table point at the same L2 tables
// again and again and the check run for hours.
var maxCheckEntries int64 = 1 << 30

type checker struct {
	q       *qcow2
	res     *CheckResult
	refs    []uint32 // references counted per host cluster
	buf     []byte
	entries int64 // table entries visited, against maxCheckEntries
}

// spend counts n visited entries and reports whether the budget allows
// going on; the first time it does not, the check records an error.
func (c *checker) spend(n int64) bool {
	c.entries += n
	if c.entries > maxCheckEntries {
		if c.res.CheckErrors == 0 {
			c.res.CheckErrors++
			c.res.Messages = append(c.res.Messages, fmt.Sprintf("ERROR check stopped after %d table entries (L1 tables reference too many L2 tables)", maxCheckEntries))
		}
		return false
	}
	return true
}

func (c *checker) corrupt(format string, args ...any) {
	c.res.Corruptions++
	c.res.Messages = append(c.res.Messages, fmt.Sprintf(format, args...))
}

// ref counts one reference to each cluster of the host byte range
// [off, off+n).
func (c *checker) ref(off, n int64) {
	q := c.q
	if n <= 0 {
		return
	}
	if off < 0 || off > math.MaxInt64-n {
		c.corrupt("ERROR: counting reference for region beyond the maximum file size: offset %#x size %#x", uint64(off), n)
		return
	}
	first, last := off>>q.clusterBits, (off+n-1)>>q.clusterBits
	if last >= int64(len(c.refs)) {
		c.corrupt("ERROR: counting reference for region exceeding the end of the file by one cluster or more: offset %#x size %#x", off, n)
		last = int64(len(c.refs)) - 1
	}
	for i := first; i <= last; i++ {
		if c.refs[i] < ^uint32(0) {
			c.refs[i]++
		}
	}
}

func (c *checker) run(fileSize int64) error {
	q, res := c.q, c.res
	h := q.hdr
	c.buf = make([]byte, q.cs)
	c.ref(0, q.cs) // the header cluster
	c.ref(q.l1Offset, int64(len(q.l1))*8)
	c.ref(q.refTableOffset, q.refTableClusters*q.cs)
	res.TotalClusters = (q.Size() + q.cs - 1) >> q.clusterBits

	// Guest clusters of the active L1 table, then of every snapshot.
	if err := c.walkL1(q.l1, true); err != nil {
		return err
	}
	snaps, tableBytes, err := readSnapshots(q.path, q.f, h, fileSize)
	if err != nil {
		c.corrupt("ERROR %v", err)
	} else {
		c.ref(int64(h.snapshotsOffset), tableBytes)
		for _, s := range snaps {
			c.ref(int64(s.l1Offset), int64(s.l1Size)*8)
			l1 := make([]uint64, s.l1Size)
			if err := q.readTable(l1, int64(s.l1Offset)); err != nil {
				return err
			}
			if err := c.walkL1(l1, false); err != nil {
				return err
			}
		}
	}
	if h.bitmaps != nil {
		c.walkBitmaps(h.bitmaps, fileSize)
	}

	// The refcount blocks themselves.
	for i, e := range q.refTable {
		off := int64(e & refTableMask)
		if off == 0 {
			continue
		}
		if off < 0 || off&(q.cs-1) != 0 {
			c.corrupt("ERROR refcount block %d is not cluster aligned; refcount table entry corrupted", i)
			continue
		}
		if off >= fileSize {
			c.corrupt("ERROR refcount block %d is outside image", i)
			continue
		}
		c.ref(off, q.cs)
	}

	// Compare ("Leaked cluster" / "ERROR cluster", as QEMU words them).
	var highest int64 = -1
	for i := range int64(len(c.refs)) {
		rc, err := q.refcount(i)
		if err != nil {
			return err
		}
		ref := uint64(c.refs[i])
		switch {
		case rc > ref:
			res.Leaks++
			res.Messages = append(res.Messages, fmt.Sprintf("Leaked cluster %d refcount=%d reference=%d", i, rc, ref))
		case rc < ref:
			c.corrupt("ERROR cluster %d refcount=%d reference=%d", i, rc, ref)
		}
		if rc > 0 || ref > 0 {
			highest = i
		}
	}
	res.ImageEndOffset = (highest + 1) * q.cs

	// COPIED flags of the active tables ("L1 table entry" and "L2 table
	// entry", bit 63).
	return c.checkCopied()
}

// walkL1 counts the references of an L1 table's L2 tables and their data
// clusters. For the active table it also gathers the allocation
// statistics.
func (c *checker) walkL1(l1 []uint64, active bool) error {
	q := c.q
	var nextContiguous int64
	if !c.spend(int64(len(l1))) {
		return nil
	}
	for i, e := range l1 {
		off := int64(e & l1OffsetMask)
		if off == 0 {
			continue
		}
		if !c.spend(q.l2Entries) {
			return nil
		}
		if off&(q.cs-1) != 0 {
			c.corrupt("ERROR l2_offset=%x: Table is not cluster aligned; L1 entry corrupted", off)
			continue
		}
		if off >= int64(len(c.refs))<<q.clusterBits {
			c.corrupt("ERROR l2_offset=%x: L2 table beyond the end of the file; L1 entry corrupted", off)
			continue
		}
		c.ref(off, q.cs)
		if err := q.f.pread(c.buf, off); err != nil {
			return err
		}
		for j := range q.l2Entries {
			le := binary.BigEndian.Uint64(c.buf[j*8:])
			kind, host := q.classify(le)
			guest := (int64(i)<<q.l2Bits + j) << q.clusterBits
			counted := active && guest < q.Size()
			switch kind {
			case kindCompressed:
				coff, n := q.compressedExtent(le)
				c.ref(coff&^511, (coff&511)+n)
				if counted {
					// QEMU counts every compressed cluster as fragmented.
					c.res.AllocatedClusters++
					c.res.CompressedClusters++
					c.res.FragmentedClusters++
				}
			case kindNormal, kindZero:
				if host == 0 {
					continue
				}
				if host&(q.cs-1) != 0 {
					c.corrupt("ERROR offset=%x: Cluster is not properly aligned; L2 entry corrupted.", host)
					continue
				}
				c.ref(host, q.cs)
				if counted && kind == kindNormal {
					c.res.AllocatedClusters++
					if nextContiguous != 0 && host != nextContiguous {
						c.res.FragmentedClusters++
					}
					nextContiguous = host + q.cs
				}
			}
		}
	}
	return nil
}

// walkBitmaps counts the clusters of the bitmap directory, the bitmap
// tables and the bitmap data ("Bitmaps").
func (c *checker) walkBitmaps(b *bitmapsExt, fileSize int64) {
	q := c.q
	if b.nbBitmaps > maxBitmaps || b.dirSize > maxBitmapDirSize || !within(b.dirOffset, b.dirSize, fileSize) {
		c.corrupt("ERROR bitmap directory (offset %#x, %d bytes) invalid", b.dirOffset, b.dirSize)
		return
	}
	c.ref(int64(b.dirOffset), int64(b.dirSize))
	dir := make([]byte, b.dirSize)
	if err := q.f.pread(dir, int64(b.dirOffset)); err != nil {
		return
	}
	be := binary.BigEndian
	for off, i := 0, uint32(0); i < b.nbBitmaps && off+24 <= len(dir); i++ {
		tableOff := be.Uint64(dir[off:])
		tableSize := uint64(be.Uint32(dir[off+8:]))
		nameSize := int(be.Uint16(dir[off+18:]))
		extra := int(be.Uint32(dir[off+20:]))
		if within(tableOff, tableSize*8, fileSize) {
			c.ref(int64(tableOff), int64(tableSize)*8)
			table := make([]uint64, tableSize)
			if q.readTable(table, int64(tableOff)) == nil {
				for _, e := range table {
					if d := int64(e & l2OffsetMask); d != 0 {
						c.ref(d, q.cs)
					}
				}
			}
		} else {
			c.corrupt("ERROR bitmap table (offset %#x) beyond the end of the file", tableOff)
		}
		off += (24 + extra + nameSize + 7) &^ 7
	}
}

// checkCopied compares bit 63 of the active L1 and L2 entries with the
// refcounts: it must be set exactly when the refcount is one.
func (c *checker) checkCopied() error {
	q := c.q
	for i, e := range q.l1 {
		off := int64(e & l1OffsetMask)
		if off == 0 || off&(q.cs-1) != 0 || off >= int64(len(c.refs))<<q.clusterBits {
			continue
		}
		if !c.spend(q.l2Entries) {
			return nil
		}
		rc, err := q.refcount(off >> q.clusterBits)
		if err != nil {
			return err
		}
		if (rc == 1) != (e&oflagCopied != 0) {
			c.corrupt("ERROR OFLAG_COPIED L2 cluster: l1_index=%d l1_entry=%x refcount=%d", i, e, rc)
		}
		if err := q.f.pread(c.buf, off); err != nil {
			return err
		}
		for j := range q.l2Entries {
			le := binary.BigEndian.Uint64(c.buf[j*8:])
			kind, host := q.classify(le)
			if (kind != kindNormal && kind != kindZero) || host == 0 || host&(q.cs-1) != 0 {
				continue
			}
			rc, err := q.refcount(host >> q.clusterBits)
			if err != nil {
				return err
			}
			if (rc == 1) != (le&oflagCopied != 0) {
				c.corrupt("ERROR OFLAG_COPIED data cluster: l2_entry=%x refcount=%d", le, rc)
			}
		}
	}
	return nil
}
