//go:build !unix

package bus

// NewRAM returns size bytes of zeroed guest RAM; Go's large allocations
// are lazily backed by the OS.
func NewRAM(owner *Bus, size uint64) ([]byte, error) { return make([]byte, size), nil }
