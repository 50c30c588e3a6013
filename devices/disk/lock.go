package disk

import "strings"

// Image locking follows QEMU's file-posix driver so that QEMU and Mimic
// processes see each other's locks. QEMU's block layer describes what a
// user of an image does as a set of permissions it holds and a set it
// shares with others. For each permission bit n the driver takes a shared
// (read) open-file-description lock on one byte of the image file:
//
//	byte 100+n: this user holds permission n
//	byte 200+n: this user does not share permission n
//
// Before using an image a new user tests, with F_OFD_GETLK and an
// exclusive lock type, the bytes 200+n of the permissions it wants (does
// someone refuse to share them?) and 100+n of the permissions it does not
// share (does someone hold them?). Locks are applied first and tested
// second, so two users racing for one image cannot both succeed. The
// bytes QEMU 7.2 locks for a virtio-blk drive, read from /proc/locks:
//
//	qcow2 read-write: 100 101 103, 201 203
//	qcow2 read-only (also a backing file): 100, 201 203
//	raw read-write: 100 101, 201
//	raw read-only: 100, 201
const (
	lockPermBase   = 100
	lockSharedBase = 200
)

// QEMU's BLK_PERM_* bits (include/block/block-common.h).
const (
	permConsistentRead = 1 << 0
	permWrite          = 1 << 1
	permWriteUnchanged = 1 << 2
	permResize         = 1 << 3
	permAll            = permConsistentRead | permWrite | permWriteUnchanged | permResize
)

// permNames are QEMU's names for the bits, as its messages show them.
var permNames = [...]string{"consistent read", "write", "write unchanged", "resize"}

// lockPerms returns what a user of an image of the given format holds and
// shares, as QEMU's qcow2 and raw drivers ask of the file below them.
func lockPerms(format string, readOnly bool) (perm, shared uint64) {
	perm = permConsistentRead
	if !readOnly {
		perm |= permWrite
	}
	shared = permAll &^ permWrite
	if format == FormatQcow2 {
		// Resizing the file under a qcow2 image would corrupt it.
		shared &^= permResize
		if !readOnly {
			perm |= permResize
		}
	}
	return perm, shared
}

// permString names the permissions in bits, comma-separated.
func permString(bits uint64) string {
	var names []string
	for i, n := range permNames {
		if bits&(1<<i) != 0 {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}
