//go:build linux

package disk

import (
	"errors"
	"os"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// directAlign is the alignment O_DIRECT requests keep. QEMU probes the
// smallest that works; 4096 works on every file system that supports
// O_DIRECT at all.
const directAlign = 4096

func statID(st os.FileInfo) fileID {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return fileID{dev: uint64(s.Dev), ino: uint64(s.Ino)}
	}
	return fileID{}
}

func statBlocks(st os.FileInfo) int64 {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return int64(s.Blocks) * 512
	}
	return st.Size()
}

// openDirect opens a second descriptor with O_DIRECT, or returns nil if
// the file system refuses it (tmpfs does). (Mimic) cache=none then falls
// back to the page cache where QEMU would refuse to open the image.
func openDirect(path string, flag int) *os.File {
	f, err := os.OpenFile(path, flag|syscall.O_DIRECT, 0)
	if err != nil {
		return nil
	}
	return f
}

func directAligned(p []byte, off int64) bool {
	if len(p) == 0 || len(p)%directAlign != 0 || off%directAlign != 0 {
		return false
	}
	return uintptr(unsafe.Pointer(unsafe.SliceData(p)))%directAlign == 0
}

// punchHole deallocates [off, off+n) keeping the file size; the range then
// reads as zeros.
func (h *hostFile) punchHole(off, n int64) error {
	if h.readOnly {
		return errorf(ErrReadOnly, "%s: image is read-only", h.path)
	}
	err := unix.Fallocate(int(h.f.Fd()), unix.FALLOC_FL_PUNCH_HOLE|unix.FALLOC_FL_KEEP_SIZE, off, n)
	if err != nil {
		return errNotSupportedByHost
	}
	return nil
}

// zeroRange makes [off, off+n) read as zeros without writing them, where
// the file system can.
func (h *hostFile) zeroRange(off, n int64) error {
	if h.readOnly {
		return errorf(ErrReadOnly, "%s: image is read-only", h.path)
	}
	err := unix.Fallocate(int(h.f.Fd()), unix.FALLOC_FL_ZERO_RANGE|unix.FALLOC_FL_KEEP_SIZE, off, n)
	if err != nil {
		return errNotSupportedByHost
	}
	return nil
}

// imageLock is the set of lock bytes held on an image file.
type imageLock struct{}

// lockFile applies and then checks QEMU's lock bytes (see lock.go) for a
// user holding perm and sharing shared.
func lockFile(f *os.File, path string, perm, shared uint64) (*imageLock, error) {
	fd := int(f.Fd())
	for i := range len(permNames) {
		bit := uint64(1) << i
		if perm&bit != 0 {
			if err := ofdLock(fd, lockPermBase+int64(i)); err != nil {
				return nil, lockError(path, err)
			}
		}
		if shared&bit == 0 {
			if err := ofdLock(fd, lockSharedBase+int64(i)); err != nil {
				return nil, lockError(path, err)
			}
		}
	}
	for i := range len(permNames) {
		bit := uint64(1) << i
		if perm&bit != 0 {
			held, err := ofdTest(fd, lockSharedBase+int64(i))
			if err != nil {
				return nil, lockError(path, err)
			}
			if held {
				// Someone refuses to share what we want.
				return nil, errorf(ErrLocked, "image %s is in use by another process (%s lock)", path, permNames[i])
			}
		}
	}
	for i := range len(permNames) {
		bit := uint64(1) << i
		if shared&bit == 0 {
			held, err := ofdTest(fd, lockPermBase+int64(i))
			if err != nil {
				return nil, lockError(path, err)
			}
			if held {
				// Someone holds what we refuse to share.
				return nil, errorf(ErrLocked, "image %s is in use by another process (shared %s lock)", path, permNames[i])
			}
		}
	}
	return &imageLock{}, nil
}

func lockError(path string, err error) error {
	if errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EACCES) {
		return errorf(ErrLocked, "image %s is in use by another process (lock byte taken)", path)
	}
	return errorf(ErrLocked, "%s: cannot lock the image (%v); use locking=off on file systems without OFD locks", path, err)
}

// ofdLock takes a shared lock on one byte with an open file description
// lock, which belongs to the descriptor (not the process) and is dropped
// when it is closed.
func ofdLock(fd int, off int64) error {
	lk := unix.Flock_t{Type: unix.F_RDLCK, Whence: 0, Start: off, Len: 1}
	return unix.FcntlFlock(uintptr(fd), unix.F_OFD_SETLK, &lk)
}

// ofdTest reports whether another descriptor holds a lock on the byte at
// off that an exclusive lock would conflict with.
func ofdTest(fd int, off int64) (bool, error) {
	lk := unix.Flock_t{Type: unix.F_WRLCK, Whence: 0, Start: off, Len: 1}
	if err := unix.FcntlFlock(uintptr(fd), unix.F_OFD_GETLK, &lk); err != nil {
		return false, err
	}
	return lk.Type != unix.F_UNLCK, nil
}
