//go:build !linux

package disk

import "os"

// Hosts other than Linux: no O_DIRECT, no hole punching, no OFD locks
// (images are not locked there).

func statID(st os.FileInfo) fileID { return fileID{} }

func statBlocks(st os.FileInfo) int64 { return st.Size() }

func openDirect(path string, flag int) *os.File { return nil }

func directAligned(p []byte, off int64) bool { return false }

func (h *hostFile) punchHole(off, n int64) error { return errNotSupportedByHost }

func (h *hostFile) zeroRange(off, n int64) error { return errNotSupportedByHost }

type imageLock struct{}

func lockFile(f *os.File, path string, perm, shared uint64) (*imageLock, error) {
	return &imageLock{}, nil
}
