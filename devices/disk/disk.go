// Package disk opens, creates, inspects and checks host disk images in the
// raw and qcow2 formats. It is the back end shared by virtio-blk, the CFI
// pflash and `mimic img`, and knows nothing of devices, boards or the CPU.
//
// An open image is an Image: a virtual block device of Size() bytes with
// positioned reads and writes, flush, discard and write-zeroes. Images are
// safe for concurrent use.
//
// Interoperation with QEMU is the point: qcow2 images follow QEMU's
// docs/interop/qcow2.txt (versions 2 and 3), backing files are resolved as
// QEMU resolves them, and image files are locked with the byte-range lock
// scheme of QEMU's file-posix driver, so that Mimic and QEMU processes
// exclude each other from an image one of them is writing.
//
// Entry points: Open (an Image for I/O), Create, Info and InfoChain
// (what qemu-img info shows), Check (qemu-img check, read-only) and Resize.
//
// Crash safety of qcow2 (see qcow2.go): a refcount is always written
// before the L2 entry that references its cluster, guest data before the
// L2 entry that points at it, and a refcount is only lowered once the
// reference it counted is gone from the disk. A process killed at any
// moment leaves an image that `qemu-img check` finds free of corruption
// (leaked clusters are possible, as with QEMU); after Flush returns,
// everything written so far is durable.
//
// Deliberate deviations from QEMU:
//   - qcow2 images with extended L2 entries (subclusters), an external data
//     file, zstd compression or encryption are refused with a clear error.
//   - A qcow2 image whose dirty bit is set (lazy refcounts left
//     unrepaired) opens read-only only; QEMU repairs it on a read-write
//     open.
//   - Freed clusters are reused only within the session that freed them;
//     other allocations grow the file (QEMU searches for free clusters
//     from the start of the file).
//   - Writing compressed clusters and creating or applying internal
//     snapshots are not implemented; existing snapshots are preserved.
package disk

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Image is an open disk image: a virtual block device of Size() bytes.
// All methods are safe for concurrent use.
type Image interface {
	// ReadAt reads len(p) bytes at off. A read that is not wholly within
	// [0, Size()) fails with ErrOutOfRange and reads nothing. Unallocated
	// regions read as zeros, or from the backing file.
	ReadAt(p []byte, off int64) (int, error)
	// WriteAt writes len(p) bytes at off, within [0, Size()). It fails
	// with ErrReadOnly on a read-only image.
	WriteAt(p []byte, off int64) (int, error)
	// Size is the virtual size in bytes.
	Size() int64
	// Flush returns once everything written so far, data and metadata,
	// is on stable storage (with cache "unsafe" it does nothing).
	Flush() error
	// Discard tells the image that [off, off+n) is no longer needed. It
	// may deallocate the host storage; afterwards the range reads as zeros.
	Discard(off, n int64) error
	// WriteZeroes makes [off, off+n) read as zeros, deallocating the host
	// storage where it can if mayUnmap is set.
	WriteZeroes(off, n int64, mayUnmap bool) error
	// ReadOnly reports whether writes are refused.
	ReadOnly() bool
	// Format is "raw" or "qcow2": the format of the file that was opened
	// (with Snapshot, that of the image, not of the temporary overlay).
	Format() string
	// Close flushes metadata, releases the locks and closes the files.
	// Further calls on the image fail.
	Close() error
}

// Format names.
const (
	FormatRaw   = "raw"
	FormatQcow2 = "qcow2"
)

// Cache modes, QEMU's cache= option.
const (
	CacheWriteback    = "writeback"    // host page cache; Flush is fsync (the default)
	CacheNone         = "none"         // O_DIRECT where the file system allows it
	CacheDirectSync   = "directsync"   // O_DIRECT, and every write is flushed
	CacheWritethrough = "writethrough" // every write is flushed before it completes
	CacheUnsafe       = "unsafe"       // Flush does nothing
)

// OpenOptions says how Open opens an image.
type OpenOptions struct {
	// Format is "raw", "qcow2", or "" to probe: a file starting with the
	// qcow2 magic is qcow2, anything else raw, as QEMU probes.
	Format string
	// ReadOnly refuses writes and opens the file read-only.
	ReadOnly bool
	// Snapshot is QEMU's -snapshot: writes go to a temporary qcow2
	// overlay whose backing file is the image, and which is deleted when
	// the image is closed. The image itself is opened read-only and is
	// left byte-identical.
	Snapshot bool
	// NoLock skips the byte-range locks (QEMU's file.locking=off).
	NoLock bool
	// Cache is one of the Cache* modes; "" means writeback.
	Cache string
}

// Sentinel errors. Errors returned by this package wrap one of them
// (errors.Is) and read as one line naming the file and the problem.
var (
	ErrReadOnly           = errors.New("image is read-only")
	ErrOutOfRange         = errors.New("access beyond the end of the image")
	ErrCorrupt            = errors.New("image is corrupt")
	ErrUnsupported        = errors.New("unsupported image")
	ErrLocked             = errors.New("image is in use by another process")
	ErrBackingLoop        = errors.New("backing file chain has a loop")
	ErrNoBacking          = errors.New("backing file not found")
	ErrRefcountOverflow   = errors.New("refcount overflow")
	ErrClosed             = errors.New("image is closed")
	ErrInvalidArgument    = errors.New("invalid argument")
	errNotSupportedByHost = errors.New("not supported by the host file system")
)

// diskError is an error with a complete one-line message that matches a
// sentinel (kind) and, optionally, an underlying cause.
type diskError struct {
	msg   string
	kind  error
	cause error
}

func (e *diskError) Error() string { return e.msg }

func (e *diskError) Unwrap() []error {
	if e.cause != nil {
		return []error{e.kind, e.cause}
	}
	return []error{e.kind}
}

// errorf makes an error of the given kind. The message is formatted from
// format and args; the last %w-free argument that is an error becomes the
// cause.
func errorf(kind error, format string, args ...any) error {
	var cause error
	for _, a := range args {
		if e, ok := a.(error); ok {
			cause = e
		}
	}
	return &diskError{msg: fmt.Sprintf(format, args...), kind: kind, cause: cause}
}

// maxChainDepth bounds a backing chain (QEMU has no fixed bound; a loop is
// reported as such, this only keeps a pathological chain from exhausting
// file descriptors).
const maxChainDepth = 64

// Open opens the image at path.
func Open(path string, o OpenOptions) (Image, error) {
	cache, err := parseCache(o.Cache)
	if err != nil {
		return nil, err
	}
	if o.Snapshot {
		return openSnapshot(path, o, cache)
	}
	return openChain(path, o.Format, o.ReadOnly, o.NoLock, cache, nil)
}

// openChain opens path and, for qcow2, its backing chain. seen holds the
// identities of the images above it in the chain, for loop detection.
func openChain(path, format string, readOnly, noLock bool, cache cacheMode, seen []fileID) (Image, error) {
	if len(seen) >= maxChainDepth {
		return nil, errorf(ErrBackingLoop, "%s: backing chain deeper than %d images", path, maxChainDepth)
	}
	f, err := openHostFile(path, readOnly, cache)
	if err != nil {
		return nil, err
	}
	id := f.id()
	for _, s := range seen {
		if s == id && id != (fileID{}) {
			f.close()
			return nil, errorf(ErrBackingLoop, "%s: backing file chain has a loop (the image is its own backing file)", path)
		}
	}
	if format == "" {
		format, err = probe(f)
		if err != nil {
			f.close()
			return nil, err
		}
	}
	if format != FormatRaw && format != FormatQcow2 {
		f.close()
		return nil, errorf(ErrUnsupported, "%s: unknown image format %q (want raw or qcow2)", path, format)
	}
	if !noLock {
		if err := f.lockAs(format); err != nil {
			f.close()
			return nil, err
		}
	}
	switch format {
	case FormatRaw:
		size, err := f.size()
		if err != nil {
			f.close()
			return nil, err
		}
		return &rawImage{f: f, size: size}, nil
	case FormatQcow2:
		q, err := openQcow2(f, qcow2Options{noLock: noLock, cache: cache}, append(seen, id))
		if err != nil {
			f.close()
			return nil, err
		}
		return q, nil
	}
	panic("BUG: unreachable")
}

// probe guesses the format of an open file as QEMU does for the formats
// Mimic knows: the qcow2 magic makes it qcow2, anything else is raw.
func probe(f *hostFile) (string, error) {
	var magic [4]byte
	n, err := f.readAtMost(magic[:], 0)
	if err != nil {
		return "", err
	}
	if n == 4 && string(magic[:]) == qcow2Magic {
		return FormatQcow2, nil
	}
	return FormatRaw, nil
}

// ProbeFormat returns the format Open would probe for the file at path.
func ProbeFormat(path string) (string, error) {
	f, err := openHostFile(path, true, cacheMode{})
	if err != nil {
		return "", err
	}
	defer f.close()
	return probe(f)
}

// resolveBacking returns the path of a backing file named by the image at
// imagePath: a relative name is relative to the directory of the image
// that names it, not to the working directory. Like QEMU's path_combine,
// it keeps the image path up to its last slash and appends the name, so
// the result reads as QEMU's "full-backing-filename".
func resolveBacking(imagePath, name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	return imagePath[:strings.LastIndexByte(imagePath, '/')+1] + name
}

// openSnapshot implements OpenOptions.Snapshot: the image is opened
// read-only as the backing file of a temporary qcow2 overlay that is
// unlinked as soon as it is open.
func openSnapshot(path string, o OpenOptions, cache cacheMode) (Image, error) {
	base, err := openChain(path, o.Format, true, o.NoLock, cache, nil)
	if err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp("", "mimic-snapshot-*.qcow2")
	if err != nil {
		base.Close()
		return nil, errorf(ErrInvalidArgument, "%s: creating the snapshot overlay: %v", path, err)
	}
	name := tmp.Name()
	tmp.Close()
	defer os.Remove(name)
	abs, err := filepath.Abs(path)
	if err != nil {
		base.Close()
		return nil, err
	}
	err = Create(name, CreateOptions{Format: FormatQcow2, Size: base.Size(), BackingFile: abs, BackingFormat: base.Format()})
	if err != nil {
		base.Close()
		return nil, err
	}
	// The overlay is private to this process: it needs no lock, and its
	// backing file is the image already open above.
	f, err := openHostFile(name, false, cacheMode{mode: CacheUnsafe, noFlush: true})
	if err != nil {
		base.Close()
		return nil, err
	}
	q, err := openQcow2WithBacking(f, base)
	if err != nil {
		f.close()
		base.Close()
		return nil, err
	}
	q.formatName = base.Format()
	return q, nil
}

// checkRange validates an access of n bytes at off against size.
func checkRange(path string, off, n, size int64) error {
	if off < 0 || n < 0 || off > size || n > size-off {
		return errorf(ErrOutOfRange, "%s: access of %d bytes at offset %d is beyond the end of the image (%d bytes)", path, n, off, size)
	}
	return nil
}
