package disk

import (
	"errors"
	"sync"
)

// rawImage is a raw image: the file is the disk, byte for byte. Reads and
// writes go straight to pread/pwrite, which are safe concurrently; mu only
// orders Close against the rest.
type rawImage struct {
	f *hostFile
	// size is the file size at open: the virtual size.
	size   int64
	mu     sync.RWMutex
	closed bool
}

var _ Image = (*rawImage)(nil)

func (r *rawImage) begin() (func(), error) {
	r.mu.RLock()
	if r.closed {
		r.mu.RUnlock()
		return nil, errorf(ErrClosed, "%s: image is closed", r.f.path)
	}
	return r.mu.RUnlock, nil
}

func (r *rawImage) Size() int64 { return r.size }

func (r *rawImage) ReadOnly() bool { return r.f.readOnly }

func (r *rawImage) Format() string { return FormatRaw }

func (r *rawImage) ReadAt(p []byte, off int64) (int, error) {
	done, err := r.begin()
	if err != nil {
		return 0, err
	}
	defer done()
	if err := checkRange(r.f.path, off, int64(len(p)), r.Size()); err != nil {
		return 0, err
	}
	if err := r.f.pread(p, off); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (r *rawImage) WriteAt(p []byte, off int64) (int, error) {
	done, err := r.begin()
	if err != nil {
		return 0, err
	}
	defer done()
	if r.f.readOnly {
		return 0, errorf(ErrReadOnly, "%s: image is read-only", r.f.path)
	}
	if err := checkRange(r.f.path, off, int64(len(p)), r.Size()); err != nil {
		return 0, err
	}
	if err := r.f.pwrite(p, off); err != nil {
		return 0, err
	}
	if r.f.cache.writeThrough {
		if err := r.f.sync(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

func (r *rawImage) Flush() error {
	done, err := r.begin()
	if err != nil {
		return err
	}
	defer done()
	return r.f.sync()
}

// Discard punches a hole where the file system can; elsewhere it writes
// zeros, since the range must read as zeros afterwards.
func (r *rawImage) Discard(off, n int64) error {
	return r.zero(off, n, true)
}

func (r *rawImage) WriteZeroes(off, n int64, mayUnmap bool) error {
	return r.zero(off, n, mayUnmap)
}

func (r *rawImage) zero(off, n int64, unmap bool) error {
	done, err := r.begin()
	if err != nil {
		return err
	}
	defer done()
	if r.f.readOnly {
		return errorf(ErrReadOnly, "%s: image is read-only", r.f.path)
	}
	if err := checkRange(r.f.path, off, n, r.Size()); err != nil {
		return err
	}
	if n == 0 {
		return nil
	}
	if unmap {
		err = r.f.punchHole(off, n)
	} else {
		err = r.f.zeroRange(off, n)
	}
	if errors.Is(err, errNotSupportedByHost) {
		err = r.f.writeZeroesFallback(off, n)
	}
	if err == nil && r.f.cache.writeThrough {
		err = r.f.sync()
	}
	return err
}

func (r *rawImage) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return errorf(ErrClosed, "%s: image is closed", r.f.path)
	}
	r.closed = true
	// As QEMU's bdrv_close, flush before closing.
	err := r.f.sync()
	if e := r.f.close(); err == nil {
		err = e
	}
	return err
}
