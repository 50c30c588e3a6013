//go:build unix || windows

package semihost

import (
	"errors"
	"syscall"
)

// hostErrnos maps the host's error numbers, which differ between host
// operating systems, onto the fixed numbers the guest sees.
var hostErrnos = map[syscall.Errno]uint32{
	syscall.EPERM:        EPERM,
	syscall.ENOENT:       ENOENT,
	syscall.EIO:          EIO,
	syscall.E2BIG:        E2BIG,
	syscall.EBADF:        EBADF,
	syscall.EACCES:       EACCES,
	syscall.EFAULT:       EFAULT,
	syscall.EEXIST:       EEXIST,
	syscall.EXDEV:        EXDEV,
	syscall.ENOTDIR:      ENOTDIR,
	syscall.EISDIR:       EISDIR,
	syscall.EINVAL:       EINVAL,
	syscall.EMFILE:       EMFILE,
	syscall.ENOSPC:       ENOSPC,
	syscall.ESPIPE:       ESPIPE,
	syscall.EROFS:        EROFS,
	syscall.ENAMETOOLONG: ENAMETOOLONG,
	syscall.ENOSYS:       ENOSYS,
	syscall.ENOTEMPTY:    ENOTEMPTY,
	syscall.EOVERFLOW:    EOVERFLOW,
}

func hostErrno(err error) (uint32, bool) {
	var e syscall.Errno
	if !errors.As(err, &e) {
		return 0, false
	}
	v, ok := hostErrnos[e]
	return v, ok
}
