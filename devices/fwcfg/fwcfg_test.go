package fwcfg

import (
	"encoding/binary"
	"testing"

	"github.com/google/go-cmp/cmp"

	"mimic/devices/bus"
)

const base = 0x09020000

func newBus(t *testing.T, d *Device) *bus.Bus {
	t.Helper()
	b := bus.New()
	if err := b.MapDevice("fw_cfg", base, WindowSize, d); err != nil {
		t.Fatal(err)
	}
	return b
}

// selectKey writes key the way Linux's iowrite16be does: high byte first.
func selectKey(t *testing.T, b *bus.Bus, key uint16) {
	t.Helper()
	var raw [2]byte
	binary.BigEndian.PutUint16(raw[:], key)
	if !b.Write(base+regSelector, 2, uint64(binary.LittleEndian.Uint16(raw[:]))) {
		t.Fatal("selector write failed")
	}
}

func readBytes(t *testing.T, b *bus.Bus, n, width int) []byte {
	t.Helper()
	var out []byte
	for len(out) < n {
		v, ok := b.Read(base+regData, width)
		if !ok {
			t.Fatal("data read failed")
		}
		for i := 0; i < width; i++ {
			out = append(out, byte(v>>(8*i)))
		}
	}
	return out[:n]
}

func TestSignatureAndID(t *testing.T) {
	d := New(128<<20, 1)
	b := newBus(t, d)
	for _, width := range []int{1, 2, 4, 8} {
		selectKey(t, b, KeySignature)
		if got := string(readBytes(t, b, 4, width)); got != "QEMU" {
			t.Errorf("width %d: signature %q, want QEMU", width, got)
		}
	}
	selectKey(t, b, KeyID)
	if got := binary.LittleEndian.Uint32(readBytes(t, b, 4, 4)); got != 1 {
		t.Errorf("ID = %#x, want 1 (traditional interface only)", got)
	}
	// Past the end of an item reads zero.
	if got := readBytes(t, b, 4, 4); !cmp.Equal(got, []byte{0, 0, 0, 0}) {
		t.Errorf("read past end = %v, want zeros", got)
	}
	selectKey(t, b, KeyRAMSize)
	if got := binary.LittleEndian.Uint64(readBytes(t, b, 8, 8)); got != 128<<20 {
		t.Errorf("RAM size = %#x", got)
	}
	if d.GuestErrors() != 0 {
		t.Errorf("guest errors = %d, want 0", d.GuestErrors())
	}
}

func TestFileDir(t *testing.T) {
	d := New(1<<30, 1)
	b := newBus(t, d)
	selectKey(t, b, KeyFileDir)
	if got := readBytes(t, b, 4, 4); !cmp.Equal(got, []byte{0, 0, 0, 0}) {
		t.Errorf("empty directory count = %v", got)
	}
	d.AddFile("etc/bootorder", []byte("/pl011\n"))
	selectKey(t, b, KeyFileDir)
	dir := readBytes(t, b, 4+64, 1)
	be := binary.BigEndian
	if n := be.Uint32(dir); n != 1 {
		t.Fatalf("count = %d, want 1", n)
	}
	e := dir[4:]
	if size, key := be.Uint32(e), be.Uint16(e[4:]); size != 7 || key != KeyFileFirst {
		t.Errorf("entry size %d key %#x, want 7, %#x", size, key, KeyFileFirst)
	}
	if name := string(e[8 : 8+len("etc/bootorder")]); name != "etc/bootorder" || e[8+len(name)] != 0 {
		t.Errorf("entry name %q", e[8:])
	}
	selectKey(t, b, KeyFileFirst|0x4000) // the obsolete write bit is ignored
	if got := string(readBytes(t, b, 7, 1)); got != "/pl011\n" {
		t.Errorf("file = %q", got)
	}
}

func TestGuestErrors(t *testing.T) {
	d := New(1<<30, 1)
	b := newBus(t, d)
	b.Write(base+regData, 4, 1)
	b.Write(base+regDMA, 8, 0x1000)
	if v, _ := b.Read(base+regDMA, 4); v != 0 {
		t.Errorf("DMA register reads %#x", v)
	}
	b.Write(base+regSelector, 4, 0)
	if d.GuestErrors() != 4 {
		t.Errorf("guest errors = %d, want 4", d.GuestErrors())
	}
}
