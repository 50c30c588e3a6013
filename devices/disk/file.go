package disk

import (
	"errors"
	"io"
	"os"
	"sync/atomic"
)

// cacheMode is a parsed OpenOptions.Cache.
type cacheMode struct {
	mode string
	// direct asks for O_DIRECT.
	direct bool
	// writeThrough makes every write flush before it completes.
	writeThrough bool
	// noFlush makes Flush a no-op.
	noFlush bool
}

func parseCache(s string) (cacheMode, error) {
	switch s {
	case "", CacheWriteback:
		return cacheMode{mode: CacheWriteback}, nil
	case CacheNone:
		return cacheMode{mode: s, direct: true}, nil
	case CacheDirectSync:
		return cacheMode{mode: s, direct: true, writeThrough: true}, nil
	case CacheWritethrough:
		return cacheMode{mode: s, writeThrough: true}, nil
	case CacheUnsafe:
		return cacheMode{mode: s, noFlush: true}, nil
	}
	return cacheMode{}, errorf(ErrInvalidArgument, "invalid cache mode %q (want writeback, none, directsync, writethrough or unsafe)", s)
}

// fileID identifies a file across paths (for backing-chain loops).
type fileID struct{ dev, ino uint64 }

// hostFile is an image file on the host: positioned I/O, sync, locks.
// Its methods are safe for concurrent use.
type hostFile struct {
	path     string
	f        *os.File
	readOnly bool
	cache    cacheMode
	// direct is a second descriptor opened with O_DIRECT (cache=none and
	// directsync), used for requests whose buffer, offset and length are
	// aligned; nil if the file system refused O_DIRECT. The kernel keeps
	// the two descriptors coherent (a direct write invalidates cached
	// pages, a direct read first writes back dirty ones).
	direct *os.File
	lock   *imageLock
	fid    fileID
	closed atomic.Bool
}

// openHostFile opens an image file. It takes no lock: call lock once the
// format is known.
func openHostFile(path string, readOnly bool, cache cacheMode) (*hostFile, error) {
	flag := os.O_RDWR
	if readOnly {
		flag = os.O_RDONLY
	}
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		return nil, openError(path, err)
	}
	h := &hostFile{path: path, f: f, readOnly: readOnly, cache: cache}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, errorf(ErrInvalidArgument, "%s: %v", path, err)
	}
	if st.IsDir() {
		f.Close()
		return nil, errorf(ErrInvalidArgument, "%s: is a directory, not an image", path)
	}
	h.fid = statID(st)
	if cache.direct {
		h.direct = openDirect(path, flag)
	}
	return h, nil
}

func openError(path string, err error) error {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return errorf(os.ErrNotExist, "%s: no such file", path)
	case errors.Is(err, os.ErrPermission):
		return errorf(os.ErrPermission, "%s: permission denied", path)
	}
	return errorf(ErrInvalidArgument, "%s: %v", path, err)
}

// lockAs takes the lock bytes QEMU takes for an image of the given format
// opened as h is (see lock.go).
func (h *hostFile) lockAs(format string) error {
	perm, shared := lockPerms(format, h.readOnly)
	l, err := lockFile(h.f, h.path, perm, shared)
	if err != nil {
		return err
	}
	h.lock = l
	return nil
}

func (h *hostFile) id() fileID { return h.fid }

// readAtMost reads up to len(p) bytes at off, stopping early only at the
// end of the file.
func (h *hostFile) readAtMost(p []byte, off int64) (int, error) {
	n, err := h.pick(p, off).ReadAt(p, off)
	if err == io.EOF {
		err = nil
	}
	if err != nil {
		return n, errorf(ErrInvalidArgument, "%s: read of %d bytes at %d: %v", h.path, len(p), off, err)
	}
	return n, nil
}

// pread reads len(p) bytes at off; what lies beyond the end of the file
// reads as zeros (as QEMU's file-posix driver does for short reads).
func (h *hostFile) pread(p []byte, off int64) error {
	n, err := h.readAtMost(p, off)
	if err != nil {
		return err
	}
	clear(p[n:])
	return nil
}

// pwrite writes all of p at off.
func (h *hostFile) pwrite(p []byte, off int64) error {
	if h.readOnly {
		return errorf(ErrReadOnly, "%s: image is read-only", h.path)
	}
	_, err := h.pick(p, off).WriteAt(p, off)
	if err != nil {
		return errorf(ErrInvalidArgument, "%s: write of %d bytes at %d: %v", h.path, len(p), off, err)
	}
	return nil
}

// pick returns the descriptor for a request: the O_DIRECT one when the
// request is aligned for it.
func (h *hostFile) pick(p []byte, off int64) *os.File {
	if h.direct != nil && directAligned(p, off) {
		return h.direct
	}
	return h.f
}

// sync makes the file's data and metadata durable, unless the cache mode
// is unsafe.
func (h *hostFile) sync() error {
	if h.cache.noFlush || h.readOnly {
		return nil
	}
	if err := h.f.Sync(); err != nil {
		return errorf(ErrInvalidArgument, "%s: fsync: %v", h.path, err)
	}
	return nil
}

func (h *hostFile) size() (int64, error) {
	st, err := h.f.Stat()
	if err != nil {
		return 0, errorf(ErrInvalidArgument, "%s: %v", h.path, err)
	}
	return st.Size(), nil
}

func (h *hostFile) truncate(n int64) error {
	if err := h.f.Truncate(n); err != nil {
		return errorf(ErrInvalidArgument, "%s: truncate to %d bytes: %v", h.path, n, err)
	}
	return nil
}

// allocatedBytes is the host storage the file occupies (st_blocks).
func (h *hostFile) allocatedBytes() int64 {
	st, err := h.f.Stat()
	if err != nil {
		return 0
	}
	return statBlocks(st)
}

func (h *hostFile) close() error {
	if h.closed.Swap(true) {
		return nil
	}
	if h.direct != nil {
		h.direct.Close()
	}
	// Closing the descriptor drops its open-file-description locks.
	return h.f.Close()
}

// writeZeroesFallback writes explicit zeros over [off, off+n).
func (h *hostFile) writeZeroesFallback(off, n int64) error {
	buf := make([]byte, min(n, 1<<20))
	for n > 0 {
		c := min(n, int64(len(buf)))
		if err := h.pwrite(buf[:c], off); err != nil {
			return err
		}
		off += c
		n -= c
	}
	return nil
}
