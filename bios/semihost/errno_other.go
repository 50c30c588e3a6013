//go:build !(unix || windows)

package semihost

// hostErrno has no errno table on hosts without syscall.Errno numbers;
// errnoOf falls back to the io/fs sentinels and EIO.
func hostErrno(error) (uint32, bool) { return 0, false }
