package disk

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
	"strings"
)

// The qcow2 on-disk format, from QEMU's docs/interop/qcow2.txt. Section
// names below ("Header", "Cluster mapping", ...) are that document's.

const qcow2Magic = "QFI\xfb"

// Header field offsets ("Header").
const (
	hdrMagic             = 0
	hdrVersion           = 4
	hdrBackingOffset     = 8
	hdrBackingSize       = 16
	hdrClusterBits       = 20
	hdrSize              = 24
	hdrCryptMethod       = 32
	hdrL1Size            = 36
	hdrL1Offset          = 40
	hdrRefcountOffset    = 48
	hdrRefcountClusters  = 56
	hdrNbSnapshots       = 60
	hdrSnapshotsOffset   = 64
	hdrIncompatible      = 72
	hdrCompatible        = 80
	hdrAutoclear         = 88
	hdrRefcountOrder     = 96
	hdrHeaderLength      = 100
	hdrCompressionType   = 104
	hdrV2Length          = 72
	hdrV3MinLength       = 104
	hdrV3Length          = 112 // what Mimic (and QEMU) writes: with compression_type, padded to 8
	minClusterBits       = 9
	maxClusterBits       = 21 // QEMU's implementation limit (2 MiB)
	maxBackingNameLength = 1023
)

// Feature bits ("Header", bytes 72-95).
const (
	incompatDirty       = 1 << 0
	incompatCorrupt     = 1 << 1
	incompatDataFile    = 1 << 2
	incompatCompression = 1 << 3
	incompatExtendedL2  = 1 << 4

	compatLazyRefcounts = 1 << 0

	autoclearBitmaps = 1 << 0
)

// Header extension types ("Header extensions").
const (
	extEnd           = 0x00000000
	extBackingFormat = 0xe2792aca
	extFeatureTable  = 0x6803f857
	extBitmaps       = 0x23852875
	extCrypto        = 0x0537be77
	extDataFile      = 0x44415441
)

// Limits on what a header may make us allocate, as QEMU has them: they
// keep a hostile header from asking for absurd amounts of memory.
const (
	maxL1Bytes       = 32 << 20 // QEMU: "implementation limit of 32 MB as the maximum L1 table size"
	maxRefTableBytes = 8 << 20  // QEMU: "implementation limit of 8 MB as the maximum refcount table size"
	maxSnapshots     = 65536    // QEMU's QCOW_MAX_SNAPSHOTS
	maxSnapTableSize = 64 << 20 // QEMU's QCOW_MAX_SNAPSHOTS_SIZE
	maxBitmaps       = 65535
	maxBitmapDirSize = 64 << 20
	maxVirtualSize   = 1 << 61 // keeps every offset computation within int64
)

// Table entry bits ("Cluster mapping", "Host cluster management").
const (
	oflagCopied     = uint64(1) << 63 // refcount is exactly one (active tables only)
	oflagCompressed = uint64(1) << 62
	oflagZero       = uint64(1) << 0 // standard cluster descriptor: reads as zeros (v3)
	l1OffsetMask    = uint64(0x00fffffffffffe00)
	l2OffsetMask    = uint64(0x00fffffffffffe00)
	refTableMask    = ^uint64(0x1ff)
)

// featureNames are the names of the known feature bits, as QEMU's feature
// name table gives them: [type][bit] (type 0 incompatible, 1 compatible,
// 2 autoclear).
var featureNames = map[[2]uint8]string{
	{0, 0}: "dirty bit",
	{0, 1}: "corrupt bit",
	{0, 2}: "external data file",
	{0, 3}: "compression type",
	{0, 4}: "extended L2 entries",
	{1, 0}: "lazy refcounts",
	{2, 0}: "bitmaps",
	{2, 1}: "raw external data",
}

// header is a parsed qcow2 header with its extensions.
type header struct {
	version          uint32
	backingOffset    uint64
	backingSize      uint32
	clusterBits      uint32
	size             uint64
	cryptMethod      uint32
	l1Size           uint32
	l1Offset         uint64
	refTableOffset   uint64
	refTableClusters uint32
	nbSnapshots      uint32
	snapshotsOffset  uint64
	incompatible     uint64
	compatible       uint64
	autoclear        uint64
	refcountOrder    uint32
	headerLength     uint32
	compressionType  uint8

	backingFile   string
	backingFormat string
	// names from the image's own feature name table, for messages about
	// features Mimic does not know.
	imageFeatureNames map[[2]uint8]string
	bitmaps           *bitmapsExt
}

// bitmapsExt is the bitmaps extension ("Bitmaps extension").
type bitmapsExt struct {
	nbBitmaps uint32
	dirSize   uint64
	dirOffset uint64
}

func (h *header) clusterSize() int64 { return 1 << h.clusterBits }

// l1Needed is how many L1 entries a virtual size needs.
func l1Needed(size uint64, clusterBits uint32) uint64 {
	l2Bits := clusterBits - 3
	shift := clusterBits + l2Bits
	return (size + (1 << shift) - 1) >> shift
}

// parseHeader parses and validates the header in first, which holds the
// first cluster of the file (or all of the file if it is shorter), against
// the file size. Every offset it accepts lies within the file and every
// table it accepts is within the limits above.
func parseHeader(path string, first []byte, fileSize int64) (*header, error) {
	bad := func(format string, args ...any) error {
		return errorf(ErrCorrupt, "%s: "+format, append([]any{path}, args...)...)
	}
	if len(first) < 4 || string(first[:4]) != qcow2Magic {
		return nil, bad("not a qcow2 image (bad magic)")
	}
	if len(first) < hdrV2Length {
		return nil, bad("truncated qcow2 header (%d bytes)", len(first))
	}
	be := binary.BigEndian
	h := &header{
		version:          be.Uint32(first[hdrVersion:]),
		backingOffset:    be.Uint64(first[hdrBackingOffset:]),
		backingSize:      be.Uint32(first[hdrBackingSize:]),
		clusterBits:      be.Uint32(first[hdrClusterBits:]),
		size:             be.Uint64(first[hdrSize:]),
		cryptMethod:      be.Uint32(first[hdrCryptMethod:]),
		l1Size:           be.Uint32(first[hdrL1Size:]),
		l1Offset:         be.Uint64(first[hdrL1Offset:]),
		refTableOffset:   be.Uint64(first[hdrRefcountOffset:]),
		refTableClusters: be.Uint32(first[hdrRefcountClusters:]),
		nbSnapshots:      be.Uint32(first[hdrNbSnapshots:]),
		snapshotsOffset:  be.Uint64(first[hdrSnapshotsOffset:]),
		refcountOrder:    4,
		headerLength:     hdrV2Length,
	}
	switch h.version {
	case 2:
	case 3:
		if len(first) < hdrV3MinLength {
			return nil, bad("truncated qcow2 version 3 header (%d bytes)", len(first))
		}
		h.incompatible = be.Uint64(first[hdrIncompatible:])
		h.compatible = be.Uint64(first[hdrCompatible:])
		h.autoclear = be.Uint64(first[hdrAutoclear:])
		h.refcountOrder = be.Uint32(first[hdrRefcountOrder:])
		h.headerLength = be.Uint32(first[hdrHeaderLength:])
	default:
		return nil, errorf(ErrUnsupported, "%s: unsupported qcow2 version %d", path, h.version)
	}
	if h.clusterBits < minClusterBits || h.clusterBits > maxClusterBits {
		return nil, errorf(ErrUnsupported, "%s: unsupported cluster size 2^%d (want 512 bytes to 2 MiB)", path, h.clusterBits)
	}
	cs := h.clusterSize()
	if int64(len(first)) > cs {
		first = first[:cs]
	}
	if h.version == 3 {
		if h.headerLength < hdrV3MinLength || h.headerLength%8 != 0 || int64(h.headerLength) > cs {
			return nil, bad("invalid qcow2 header length %d", h.headerLength)
		}
		if int(h.headerLength) > len(first) {
			return nil, bad("truncated qcow2 header (%d of %d bytes)", len(first), h.headerLength)
		}
		if h.headerLength > hdrCompressionType {
			h.compressionType = first[hdrCompressionType]
		}
	}
	if err := h.parseExtensions(path, first); err != nil {
		return nil, err
	}
	if unknown := h.incompatible &^ (incompatDirty | incompatCorrupt | incompatDataFile | incompatCompression | incompatExtendedL2); unknown != 0 {
		return nil, errorf(ErrUnsupported, "%s: unsupported incompatible qcow2 feature(s): %s", path, h.featureList(0, unknown))
	}
	if h.incompatible&incompatDataFile != 0 {
		return nil, errorf(ErrUnsupported, "%s: qcow2 images with an external data file are not supported", path)
	}
	if h.incompatible&incompatExtendedL2 != 0 {
		return nil, errorf(ErrUnsupported, "%s: qcow2 images with extended L2 entries (subclusters) are not supported", path)
	}
	if h.incompatible&incompatCompression != 0 || h.compressionType != 0 {
		return nil, errorf(ErrUnsupported, "%s: qcow2 compression type %d is not supported (only zlib)", path, h.compressionType)
	}
	if h.cryptMethod != 0 {
		return nil, errorf(ErrUnsupported, "%s: encrypted qcow2 images are not supported", path)
	}
	if h.refcountOrder > 6 {
		return nil, bad("invalid refcount order %d", h.refcountOrder)
	}
	if h.size > maxVirtualSize {
		return nil, errorf(ErrUnsupported, "%s: virtual size %d is too large", path, h.size)
	}
	if h.size%512 != 0 {
		// QEMU: "Virtual size is not a multiple of 512".
		return nil, bad("virtual size %d is not a multiple of 512", h.size)
	}
	// "Cluster mapping": the L1 table must cover the virtual size and lie
	// within the file.
	if uint64(h.l1Size) < l1Needed(h.size, h.clusterBits) {
		return nil, bad("L1 table is too small for the virtual size (%d entries)", h.l1Size)
	}
	if uint64(h.l1Size)*8 > maxL1Bytes {
		return nil, errorf(ErrUnsupported, "%s: L1 table too large (%d entries)", path, h.l1Size)
	}
	if h.l1Size > 0 {
		if h.l1Offset%uint64(cs) != 0 {
			return nil, bad("L1 table offset %#x is not cluster aligned", h.l1Offset)
		}
		if !within(h.l1Offset, uint64(h.l1Size)*8, fileSize) {
			return nil, bad("L1 table (offset %#x, %d entries) beyond the end of the file", h.l1Offset, h.l1Size)
		}
	}
	// "Host cluster management": the refcount table.
	if h.refTableClusters == 0 {
		return nil, bad("image has no refcount table")
	}
	if uint64(h.refTableClusters)*uint64(cs) > maxRefTableBytes {
		return nil, errorf(ErrUnsupported, "%s: refcount table too large (%d clusters)", path, h.refTableClusters)
	}
	if h.refTableOffset%uint64(cs) != 0 || h.refTableOffset == 0 {
		return nil, bad("refcount table offset %#x is invalid", h.refTableOffset)
	}
	if !within(h.refTableOffset, uint64(h.refTableClusters)*uint64(cs), fileSize) {
		return nil, bad("refcount table (offset %#x, %d clusters) beyond the end of the file", h.refTableOffset, h.refTableClusters)
	}
	if h.nbSnapshots > maxSnapshots {
		return nil, bad("too many snapshots (%d)", h.nbSnapshots)
	}
	if h.nbSnapshots > 0 && (h.snapshotsOffset%uint64(cs) != 0 || !within(h.snapshotsOffset, 40*uint64(h.nbSnapshots), fileSize)) {
		return nil, bad("snapshot table (offset %#x) beyond the end of the file or unaligned", h.snapshotsOffset)
	}
	if h.backingOffset != 0 {
		if h.backingSize > maxBackingNameLength {
			return nil, bad("backing file name too long (%d bytes)", h.backingSize)
		}
		if h.backingOffset > uint64(len(first)) || uint64(h.backingSize) > uint64(len(first))-h.backingOffset {
			return nil, bad("backing file name beyond the first cluster")
		}
		h.backingFile = string(first[h.backingOffset : h.backingOffset+uint64(h.backingSize)])
	}
	return h, nil
}

// within reports whether [off, off+n) lies within a file of size bytes.
func within(off, n uint64, size int64) bool {
	return size >= 0 && off <= uint64(size) && n <= uint64(size)-off
}

// parseExtensions reads the header extensions that follow the header in
// the first cluster ("Header extensions"). Unknown ones are skipped.
func (h *header) parseExtensions(path string, first []byte) error {
	be := binary.BigEndian
	off := uint64(h.headerLength)
	end := uint64(len(first))
	if h.backingOffset != 0 && h.backingOffset < end {
		end = h.backingOffset
	}
	seen := map[uint32]bool{}
	for off+8 <= end {
		typ := be.Uint32(first[off:])
		n := uint64(be.Uint32(first[off+4:]))
		if typ == extEnd {
			return nil
		}
		data := off + 8
		if n > end-data {
			return errorf(ErrCorrupt, "%s: qcow2 header extension %#x overflows the first cluster", path, typ)
		}
		ext := first[data : data+n]
		if seen[typ] && typ != 0 {
			return errorf(ErrCorrupt, "%s: duplicate qcow2 header extension %#x", path, typ)
		}
		seen[typ] = true
		switch typ {
		case extBackingFormat:
			h.backingFormat = string(ext)
		case extFeatureTable:
			h.imageFeatureNames = map[[2]uint8]string{}
			for i := 0; i+48 <= len(ext); i += 48 {
				name := string(ext[i+2 : i+48])
				if j := strings.IndexByte(name, 0); j >= 0 {
					name = name[:j]
				}
				h.imageFeatureNames[[2]uint8{ext[i], ext[i+1]}] = name
			}
		case extBitmaps:
			if len(ext) < 24 {
				return errorf(ErrCorrupt, "%s: qcow2 bitmaps extension too short", path)
			}
			h.bitmaps = &bitmapsExt{
				nbBitmaps: be.Uint32(ext[0:]),
				dirSize:   be.Uint64(ext[8:]),
				dirOffset: be.Uint64(ext[16:]),
			}
		case extDataFile:
			// Meaningful only with the external data file bit, refused.
		}
		off = data + (n+7)&^7
	}
	return nil
}

// featureList names the bits of a feature bitmap of the given type.
func (h *header) featureList(typ uint8, mask uint64) string {
	var names []string
	for mask != 0 {
		b := bits.TrailingZeros64(mask)
		mask &^= 1 << b
		name := h.imageFeatureNames[[2]uint8{typ, uint8(b)}]
		if name == "" {
			name = featureNames[[2]uint8{typ, uint8(b)}]
		}
		if name == "" {
			name = fmt.Sprintf("unknown feature bit %d", b)
		}
		names = append(names, name)
	}
	return strings.Join(names, ", ")
}

// snapshot is one entry of the snapshot table ("Snapshots").
type snapshot struct {
	l1Offset    uint64
	l1Size      uint32
	id, name    string
	dateSec     uint32
	dateNsec    uint32
	vmClockNsec uint64
	vmStateSize uint64
	diskSize    uint64
	hasDiskSize bool
	icount      int64 // -1 if absent
}

// readSnapshots reads and validates the snapshot table. It also returns
// the size of the table in bytes.
func readSnapshots(path string, f *hostFile, h *header, fileSize int64) ([]snapshot, int64, error) {
	if h.nbSnapshots == 0 {
		return nil, 0, nil
	}
	bad := func(format string, args ...any) error {
		return errorf(ErrCorrupt, "%s: snapshot table: "+format, append([]any{path}, args...)...)
	}
	limit := min(int64(maxSnapTableSize), fileSize-int64(h.snapshotsOffset))
	r := bufio.NewReaderSize(io.NewSectionReader(f.f, int64(h.snapshotsOffset), limit), 64<<10)
	be := binary.BigEndian
	cs := uint64(h.clusterSize())
	var snaps []snapshot
	var tableBytes int64
	var fixed [40]byte
	for i := range h.nbSnapshots {
		if _, err := io.ReadFull(r, fixed[:]); err != nil {
			return nil, 0, bad("entry %d truncated", i)
		}
		s := snapshot{
			l1Offset:    be.Uint64(fixed[0:]),
			l1Size:      be.Uint32(fixed[8:]),
			dateSec:     be.Uint32(fixed[16:]),
			dateNsec:    be.Uint32(fixed[20:]),
			vmClockNsec: be.Uint64(fixed[24:]),
			vmStateSize: uint64(be.Uint32(fixed[32:])),
			icount:      -1,
		}
		idLen := int(be.Uint16(fixed[12:]))
		nameLen := int(be.Uint16(fixed[14:]))
		extraLen := be.Uint32(fixed[36:])
		if extraLen > 1024 {
			return nil, 0, bad("entry %d: extra data too large (%d bytes)", i, extraLen)
		}
		rest := make([]byte, int(extraLen)+idLen+nameLen)
		if _, err := io.ReadFull(r, rest); err != nil {
			return nil, 0, bad("entry %d truncated", i)
		}
		extra := rest[:extraLen]
		if len(extra) >= 8 {
			s.vmStateSize = be.Uint64(extra[0:])
		}
		if len(extra) >= 16 {
			s.diskSize = be.Uint64(extra[8:])
			s.hasDiskSize = true
		}
		if len(extra) >= 24 {
			s.icount = int64(be.Uint64(extra[16:]))
		}
		s.id = string(rest[extraLen : int(extraLen)+idLen])
		s.name = string(rest[int(extraLen)+idLen:])
		total := 40 + len(rest)
		pad := (8 - total%8) % 8
		tableBytes += int64(total + pad)
		// QEMU does not pad the last entry up to the end of the file.
		r.Discard(pad)
		if uint64(s.l1Size)*8 > maxL1Bytes || s.l1Offset%cs != 0 || !within(s.l1Offset, uint64(s.l1Size)*8, fileSize) {
			return nil, 0, bad("snapshot %q: L1 table (offset %#x, %d entries) invalid or beyond the end of the file", s.name, s.l1Offset, s.l1Size)
		}
		snaps = append(snaps, s)
	}
	return snaps, tableBytes, nil
}
