package virt

import (
	"os"

	"mimic/devices/bus"
)

// blankFlash is a flash bank with nothing in it: reads as zero (what
// QEMU's flash holds without a -pflash image), ignores writes.
type blankFlash struct{}

var _ bus.Device = blankFlash{}

func (blankFlash) Read(uint64, int) uint64   { return 0 }
func (blankFlash) Write(uint64, int, uint64) {}

func readFile(what, path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, configErr("%s: %v", what, err)
	}
	return b, nil
}
