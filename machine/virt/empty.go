package virt

import (
	"os"

	"mimic/devices/bus"
)

// emptyVirtioMMIO is a virtio-mmio transport with no device behind it, as
// QEMU presents one (hw/virtio/virtio-mmio.c): the magic value, the
// version and the vendor ID read as usual and every other register reads
// as zero, so Linux's virtio_mmio driver sees DeviceID 0 and skips the
// slot without complaint. Writes are ignored.
//
// QEMU 7.2's virt creates its transports with force-legacy on, so the
// version register reads 1 (the legacy interface), not 2.
type emptyVirtioMMIO struct{}

// virtio-mmio registers (virtio 1.2 §4.2.2) and QEMU's values.
const (
	virtioMagicValue = 0x000
	virtioVersion    = 0x004
	virtioVendorID   = 0x00c

	virtioMagic         = 0x74726976 // "virt"
	virtioVersionLegacy = 1
	virtioVendorQEMU    = 0x554d4551 // "QEMU"
)

var _ bus.Device = emptyVirtioMMIO{}

func (emptyVirtioMMIO) Read(off uint64, size int) uint64 {
	if size != 4 {
		return 0
	}
	switch off {
	case virtioMagicValue:
		return virtioMagic
	case virtioVersion:
		return virtioVersionLegacy
	case virtioVendorID:
		return virtioVendorQEMU
	}
	return 0
}

func (emptyVirtioMMIO) Write(uint64, int, uint64) {}

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
