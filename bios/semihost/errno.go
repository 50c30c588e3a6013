package semihost

import (
	"errors"
	"io/fs"
)

// Errno values SYS_ERRNO reports. The specification leaves them
// host-specific (SYS_ERRNO: "entirely host-specific"); these are the Linux
// numbers, which qemu-system-arm on a Linux host reports and which newlib
// and picolibc share for every value below except ENAMETOOLONG, ENOSYS,
// ENOTEMPTY and EOVERFLOW. They are the same on every host Mimic runs on,
// so a guest sees the same errno everywhere.
const (
	EPERM        = 1
	ENOENT       = 2
	EIO          = 5
	E2BIG        = 7
	EBADF        = 9
	EACCES       = 13
	EFAULT       = 14
	EEXIST       = 17
	EXDEV        = 18
	ENOTDIR      = 20
	EISDIR       = 21
	EINVAL       = 22
	EMFILE       = 24
	ENOSPC       = 28
	ESPIPE       = 29
	EROFS        = 30
	ENAMETOOLONG = 36
	ENOSYS       = 38
	ENOTEMPTY    = 39
	EOVERFLOW    = 75
)

// errnoOf maps a host error to the errno the guest sees, EIO when there is
// no better match.
func errnoOf(err error) uint32 {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, fs.ErrNotExist):
		return ENOENT
	case errors.Is(err, fs.ErrPermission):
		return EACCES
	case errors.Is(err, fs.ErrExist):
		return EEXIST
	case errors.Is(err, fs.ErrClosed):
		return EBADF
	}
	if e, ok := hostErrno(err); ok {
		return e
	}
	return EIO
}
