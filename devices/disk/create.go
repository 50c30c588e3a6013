package disk

import (
	"encoding/binary"
	"math/bits"
	"os"
)

// CreateOptions describe a new image.
type CreateOptions struct {
	// Format is "raw" or "qcow2" ("" means raw, as qemu-img create).
	Format string
	// Size is the virtual size in bytes, rounded up to a multiple of 512
	// as QEMU does. With a backing file, 0 means the backing file's size.
	Size int64
	// BackingFile (qcow2 only) is recorded as given; a relative name is
	// relative to the new image's directory.
	BackingFile string
	// BackingFormat is recorded in the image; "" probes the backing file.
	BackingFormat string
	// ClusterSize (qcow2) is a power of two from 512 to 2 MiB; 0 means
	// 64 KiB.
	ClusterSize int64
	// Compat (qcow2) is "1.1" (version 3, the default) or "0.10"
	// (version 2).
	Compat string
	// RefcountBits (qcow2, version 3) is a power of two from 1 to 64; 0
	// means 16.
	RefcountBits int
	// NoLock skips image locking.
	NoLock bool
}

const defaultClusterSize = 64 << 10

// Create creates (or truncates and rewrites) an image file.
func Create(path string, o CreateOptions) error {
	format := o.Format
	if format == "" {
		format = FormatRaw
	}
	if format != FormatRaw && format != FormatQcow2 {
		return errorf(ErrUnsupported, "%s: unknown image format %q (want raw or qcow2)", path, format)
	}
	if o.Size < 0 || o.Size > maxVirtualSize {
		return errorf(ErrInvalidArgument, "%s: invalid image size %d", path, o.Size)
	}
	if format == FormatRaw && (o.BackingFile != "" || o.ClusterSize != 0 || o.Compat != "" || o.RefcountBits != 0) {
		return errorf(ErrInvalidArgument, "%s: raw images take no backing file, cluster size, compat or refcount bits", path)
	}
	size := o.Size
	if o.BackingFile != "" {
		bpath := resolveBacking(path, o.BackingFile)
		bfmt := o.BackingFormat
		if bfmt == "" || size == 0 {
			b, err := Open(bpath, OpenOptions{Format: bfmt, ReadOnly: true, NoLock: true})
			if err != nil {
				if isNotExist(err) {
					return errorf(ErrNoBacking, "%s: backing file %s not found", path, bpath)
				}
				return err
			}
			if bfmt == "" {
				bfmt = b.Format()
			}
			if size == 0 {
				size = b.Size()
			}
			b.Close()
		}
		o.BackingFormat = bfmt
	}
	size = (size + 511) &^ 511
	var content func(h *hostFile) error
	if format == FormatRaw {
		content = func(h *hostFile) error { return h.truncate(size) }
	} else {
		layout, err := qcow2Layout(path, o, size)
		if err != nil {
			return err
		}
		content = layout.write
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return openError(path, err)
	}
	h := &hostFile{path: path, f: f, cache: cacheMode{mode: CacheWriteback}}
	defer h.close()
	if !o.NoLock {
		if err := h.lockAs(format); err != nil {
			return err
		}
	}
	if err := h.truncate(0); err != nil {
		return err
	}
	if err := content(h); err != nil {
		return err
	}
	return h.sync()
}

// newQcow2 is the layout of a new, empty qcow2 image: the header cluster,
// the refcount table, the refcount blocks that count every cluster of the
// layout, then the (empty) L1 table, as QEMU lays it out.
type newQcow2 struct {
	header        []byte
	clusterBits   uint32
	refOrder      uint32
	refTableAt    int64 // cluster indexes
	refTableLen   int64
	refBlocksAt   int64
	refBlocksLen  int64
	l1At, l1Len   int64
	l1Size        int64
	totalClusters int64
}

func qcow2Layout(path string, o CreateOptions, size int64) (*newQcow2, error) {
	cs := o.ClusterSize
	if cs == 0 {
		cs = defaultClusterSize
	}
	if cs < 1<<minClusterBits || cs > 1<<maxClusterBits || cs&(cs-1) != 0 {
		return nil, errorf(ErrInvalidArgument, "%s: cluster size %d must be a power of two between 512 and 2097152", path, cs)
	}
	version := uint32(3)
	switch o.Compat {
	case "", "1.1", "v3":
		version = 3
	case "0.10", "v2":
		version = 2
	default:
		return nil, errorf(ErrInvalidArgument, "%s: invalid compat level %q (want 0.10 or 1.1)", path, o.Compat)
	}
	refBits := o.RefcountBits
	if refBits == 0 {
		refBits = 16
	}
	if refBits < 1 || refBits > 64 || refBits&(refBits-1) != 0 {
		return nil, errorf(ErrInvalidArgument, "%s: refcount bits %d must be a power of two from 1 to 64", path, refBits)
	}
	if version == 2 && refBits != 16 {
		return nil, errorf(ErrInvalidArgument, "%s: version 2 (compat 0.10) images have 16-bit refcounts only", path)
	}
	if len(o.BackingFile) > maxBackingNameLength {
		return nil, errorf(ErrInvalidArgument, "%s: backing file name too long (%d bytes)", path, len(o.BackingFile))
	}
	l := &newQcow2{
		clusterBits: uint32(bits.TrailingZeros64(uint64(cs))),
		refOrder:    uint32(bits.TrailingZeros(uint(refBits))),
	}
	l.l1Size = int64(l1Needed(uint64(size), l.clusterBits))
	if l.l1Size*8 > maxL1Bytes {
		return nil, errorf(ErrInvalidArgument, "%s: size %d too large for cluster size %d", path, size, cs)
	}
	l.l1Len = max(1, (l.l1Size*8+cs-1)/cs)
	perBlock := cs * 8 / int64(refBits)
	l.refTableLen, l.refBlocksLen = 1, 1
	for {
		total := 1 + l.refTableLen + l.refBlocksLen + l.l1Len
		blocks := (total + perBlock - 1) / perBlock
		table := max(1, (blocks*8+cs-1)/cs)
		if blocks == l.refBlocksLen && table == l.refTableLen {
			l.totalClusters = total
			break
		}
		l.refBlocksLen, l.refTableLen = blocks, table
	}
	if l.refTableLen*cs > maxRefTableBytes {
		return nil, errorf(ErrInvalidArgument, "%s: size %d too large for cluster size %d", path, size, cs)
	}
	l.refTableAt = 1
	l.refBlocksAt = l.refTableAt + l.refTableLen
	l.l1At = l.refBlocksAt + l.refBlocksLen

	// The header cluster ("Header", "Header extensions").
	hdr := make([]byte, cs)
	be := binary.BigEndian
	copy(hdr, qcow2Magic)
	be.PutUint32(hdr[hdrVersion:], version)
	be.PutUint32(hdr[hdrClusterBits:], l.clusterBits)
	be.PutUint64(hdr[hdrSize:], uint64(size))
	be.PutUint32(hdr[hdrL1Size:], uint32(l.l1Size))
	be.PutUint64(hdr[hdrL1Offset:], uint64(l.l1At*cs))
	be.PutUint64(hdr[hdrRefcountOffset:], uint64(l.refTableAt*cs))
	be.PutUint32(hdr[hdrRefcountClusters:], uint32(l.refTableLen))
	off := int64(hdrV2Length)
	if version == 3 {
		be.PutUint32(hdr[hdrRefcountOrder:], l.refOrder)
		be.PutUint32(hdr[hdrHeaderLength:], hdrV3Length)
		off = hdrV3Length
	}
	type ext struct {
		typ  uint32
		data []byte
	}
	var exts []ext
	if o.BackingFile != "" && o.BackingFormat != "" {
		exts = append(exts, ext{extBackingFormat, []byte(o.BackingFormat)})
	}
	if version == 3 {
		// The feature name table, as QEMU writes it, so that tools that
		// do not know a feature can name it.
		var table []byte
		for _, k := range [][2]uint8{{0, 0}, {0, 1}, {0, 2}, {0, 3}, {0, 4}, {1, 0}, {2, 0}, {2, 1}} {
			var e [48]byte
			e[0], e[1] = k[0], k[1]
			copy(e[2:], featureNames[k])
			table = append(table, e[:]...)
		}
		exts = append(exts, ext{extFeatureTable, table})
	}
	fits := func(exts []ext) bool {
		n := off + 8 + int64(len(o.BackingFile))
		for _, e := range exts {
			n += 8 + (int64(len(e.data))+7)&^7
		}
		return n <= cs
	}
	if !fits(exts) && version == 3 {
		exts = exts[:len(exts)-1] // drop the feature table (512-byte clusters)
	}
	if !fits(exts) {
		return nil, errorf(ErrInvalidArgument, "%s: backing file name does not fit in the header cluster", path)
	}
	for _, e := range exts {
		be.PutUint32(hdr[off:], e.typ)
		be.PutUint32(hdr[off+4:], uint32(len(e.data)))
		copy(hdr[off+8:], e.data)
		off += 8 + (int64(len(e.data))+7)&^7
	}
	off += 8 // end of the extension area
	if o.BackingFile != "" {
		be.PutUint64(hdr[hdrBackingOffset:], uint64(off))
		be.PutUint32(hdr[hdrBackingSize:], uint32(len(o.BackingFile)))
		copy(hdr[off:], o.BackingFile)
	}
	l.header = hdr
	return l, nil
}

// write writes the layout into an empty file.
func (l *newQcow2) write(h *hostFile) error {
	cs := int64(1) << l.clusterBits
	if err := h.pwrite(l.header, 0); err != nil {
		return err
	}
	table := make([]byte, l.refTableLen*cs)
	for i := range l.refBlocksLen {
		binary.BigEndian.PutUint64(table[i*8:], uint64((l.refBlocksAt+i)*cs))
	}
	if err := h.pwrite(table, l.refTableAt*cs); err != nil {
		return err
	}
	blocks := make([]byte, l.refBlocksLen*cs)
	for c := range l.totalClusters {
		setRef(blocks, c, uint(l.refOrder), 1)
	}
	if err := h.pwrite(blocks, l.refBlocksAt*cs); err != nil {
		return err
	}
	// The L1 table is all zeros: extending the file writes it.
	return h.truncate(l.totalClusters * cs)
}

// Resize changes the virtual size of the image at path. Growing works for
// both formats (qcow2 grows its L1 table if needed). Shrinking is refused
// unless shrink is set, as qemu-img resize refuses it without --shrink,
// and is supported for raw images only.
func Resize(path string, format string, newSize int64, shrink bool) error {
	img, err := Open(path, OpenOptions{Format: format})
	if err != nil {
		return err
	}
	if newSize < 0 {
		img.Close()
		return errorf(ErrInvalidArgument, "%s: invalid size %d", path, newSize)
	}
	switch im := img.(type) {
	case *rawImage:
		if newSize < im.size && !shrink {
			im.Close()
			return errorf(ErrInvalidArgument, "%s: shrinking would discard data; use --shrink to shrink the image", path)
		}
		err = im.f.truncate(newSize)
		if err == nil {
			err = im.f.sync()
		}
	case *qcow2:
		newSize = (newSize + 511) &^ 511
		if newSize < im.Size() && !shrink {
			im.Close()
			return errorf(ErrInvalidArgument, "%s: shrinking would discard data; use --shrink to shrink the image", path)
		}
		im.mu.Lock()
		err = im.resizeLocked(newSize)
		im.mu.Unlock()
	}
	if e := img.Close(); err == nil {
		err = e
	}
	return err
}
