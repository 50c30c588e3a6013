package boot

import (
	"errors"
	"testing"

	"mimic/bios/fdt"
)

// FuzzLoad: no kernel or initrd file makes Load panic, and every error is
// an ErrImage.
func FuzzLoad(f *testing.F) {
	f.Add(makeZImage(0x100), []byte{})
	f.Add([]byte{0xfe, 0xff, 0xff, 0xea}, []byte("070701"))
	f.Add(makeUImage(2, 5, 0x40008000, 0x40008000, []byte{1, 2, 3, 4}), []byte{0x1f, 0x8b, 8, 0})
	f.Add(makeELF(f, 0x40100000, 0x40100000, []byte{0, 0, 0, 0}), []byte(nil))
	f.Fuzz(func(t *testing.T, kernel, initrd []byte) {
		b, err := Load(Config{RAMBase: ramBase, RAMSize: 1 << 20, BoardID: MachineDT, Kernel: kernel, Initrd: initrd})
		if err != nil {
			if !errors.Is(err, ErrImage) {
				t.Fatalf("error %v is not an ErrImage", err)
			}
			return
		}
		b.PlaceDTB(make([]byte, 64))
		root := fdt.NewNode("")
		root.SetU32("#address-cells", 2)
		root.SetU32("#size-cells", 2)
		if err := b.PatchDT(root, "x"); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzCheckInitrd: CheckInitrd never panics or loops.
func FuzzCheckInitrd(f *testing.F) {
	f.Add([]byte("070701"))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		CheckInitrd(data)
	})
}
