//go:build unix

package bus

import (
	"runtime"

	"golang.org/x/sys/unix"
)

// NewRAM returns size bytes of zeroed guest RAM that owner keeps alive.
//
// The memory is an anonymous mapping, not a Go allocation: the OS backs a
// page only when the guest first touches it, Go never zeroes it, and it
// does not count towards the heap the garbage collector paces itself by
// (a 512 MiB Go slice would let garbage grow to as much again before a
// collection). The mapping is released once owner is unreachable, so
// owner must be reachable from everything that can address the RAM (the
// Bus, which the CPU and devices hold).
func NewRAM(owner *Bus, size uint64) ([]byte, error) {
	mem, err := unix.Mmap(-1, 0, int(size), unix.PROT_READ|unix.PROT_WRITE,
		unix.MAP_PRIVATE|unix.MAP_ANON|unix.MAP_NORESERVE)
	if err != nil {
		return nil, err
	}
	runtime.AddCleanup(owner, func(m []byte) { unix.Munmap(m) }, mem)
	return mem, nil
}
