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

const (
	ramBase = 0x40000000
	ramSize = 1 << 20
	accAddr = ramBase + 0x100 // FWCfgDmaAccess
	bufAddr = ramBase + 0x1000
)

// dmaRig is a fw_cfg device with DMA over 1 MiB of RAM.
type dmaRig struct {
	t   *testing.T
	d   *Device
	b   *bus.Bus
	ram []byte
}

func newDMARig(t *testing.T) *dmaRig {
	t.Helper()
	r := &dmaRig{t: t, d: New(1<<30, 1), ram: make([]byte, ramSize)}
	r.b = newBus(t, r.d)
	if err := r.b.MapRAM("ram", ramBase, r.ram); err != nil {
		t.Fatal(err)
	}
	r.d.EnableDMA(r.b)
	return r
}

// dma runs one transfer the way Linux's fw_cfg driver starts it (two
// big-endian 32-bit writes, low half last) or, with wide, U-Boot's one
// 64-bit write, and returns the control word the device stored back.
func (r *dmaRig) dma(control, length uint32, addr uint64, wide bool) uint32 {
	r.t.Helper()
	acc := r.ram[accAddr-ramBase:]
	binary.BigEndian.PutUint32(acc, control)
	binary.BigEndian.PutUint32(acc[4:], length)
	binary.BigEndian.PutUint64(acc[8:], addr)
	var raw [8]byte
	binary.BigEndian.PutUint64(raw[:], accAddr)
	if wide {
		r.b.Write(base+regDMA, 8, binary.LittleEndian.Uint64(raw[:]))
	} else {
		r.b.Write(base+regDMA, 4, uint64(binary.LittleEndian.Uint32(raw[:4])))
		r.b.Write(base+regDMA+4, 4, uint64(binary.LittleEndian.Uint32(raw[4:])))
	}
	return binary.BigEndian.Uint32(acc)
}

func (r *dmaRig) buf(n int) []byte { return r.ram[bufAddr-ramBase:][:n] }

func TestDMASignatureAndID(t *testing.T) {
	r := newDMARig(t)
	v, _ := r.b.Read(base+regDMA, 8)
	var raw [8]byte
	binary.LittleEndian.PutUint64(raw[:], v)
	if string(raw[:]) != "QEMU CFG" {
		t.Errorf("DMA register reads %q", raw[:])
	}
	v, _ = r.b.Read(base+regDMA+4, 4)
	binary.LittleEndian.PutUint32(raw[:], uint32(v))
	if string(raw[:4]) != " CFG" {
		t.Errorf("DMA register low half reads %q", raw[:4])
	}
	selectKey(t, r.b, KeyID)
	if got := binary.LittleEndian.Uint32(readBytes(t, r.b, 4, 4)); got != 3 {
		t.Errorf("ID = %#x, want 3 (traditional + DMA)", got)
	}
}

func TestDMAReadSelectSkip(t *testing.T) {
	r := newDMARig(t)
	r.d.AddFile("etc/a", []byte("0123456789"))
	for _, wide := range []bool{false, true} {
		copy(r.buf(16), "xxxxxxxxxxxxxxxx")
		// Select the file, skip 2 bytes, read 4, then read 6 more: the
		// last 2 are past the end and read as zeros.
		if st := r.dma(uint32(KeyFileFirst)<<16|DMASelect|DMASkip, 2, 0, wide); st != 0 {
			t.Fatalf("select+skip: status %#x", st)
		}
		if st := r.dma(DMARead, 4, bufAddr, wide); st != 0 {
			t.Fatalf("read: status %#x", st)
		}
		if got := string(r.buf(4)); got != "2345" {
			t.Errorf("read %q, want 2345", got)
		}
		if st := r.dma(DMARead, 6, bufAddr, wide); st != 0 {
			t.Fatalf("read: status %#x", st)
		}
		if got := r.buf(7); string(got) != "6789\x00\x00x" {
			t.Errorf("read past end %q", got)
		}
	}
	// DMA and the data register share the offset.
	r.dma(uint32(KeyFileFirst)<<16|DMASelect|DMARead, 3, bufAddr, false)
	if got := string(readBytes(t, r.b, 2, 1)); got != "34" {
		t.Errorf("data register after DMA read %q", got)
	}
	// Reading into memory that is not RAM fails.
	if st := r.dma(DMARead, 4, 0x1000, false); st != DMAError {
		t.Errorf("read to non-RAM: status %#x", st)
	}
	// No operation bit: nothing happens, success.
	if st := r.dma(0, 4, bufAddr, false); st != 0 {
		t.Errorf("no-op: status %#x", st)
	}
}

func TestDMAWrite(t *testing.T) {
	r := newDMARig(t)
	r.d.AddFile("etc/ro", []byte("abcd"))
	var writes [][3]int
	var last []byte
	r.d.AddWritableFile("etc/rw", make([]byte, 8), func(c []byte, off, n int) {
		writes = append(writes, [3]int{off, n, len(c)})
		last = append([]byte(nil), c...)
	})
	copy(r.buf(8), "ABCDEFGH")
	rw := uint32(KeyFileFirst+1) << 16
	if st := r.dma(rw|DMASelect|DMASkip, 2, 0, false); st != 0 {
		t.Fatal(st)
	}
	if st := r.dma(DMAWrite, 3, bufAddr, false); st != 0 {
		t.Fatalf("write: status %#x", st)
	}
	if diff := cmp.Diff([][3]int{{2, 3, 8}}, writes); diff != "" || string(last) != "\x00\x00ABC\x00\x00\x00" {
		t.Errorf("callbacks (-want +got):\n%s contents %q", diff, last)
	}
	selectKey(t, r.b, KeyFileFirst+1)
	if got := string(readBytes(t, r.b, 8, 1)); got != "\x00\x00ABC\x00\x00\x00" {
		t.Errorf("file reads %q after write", got)
	}
	before := r.d.GuestErrors()
	for _, c := range []struct {
		name    string
		control uint32
		length  uint32
		addr    uint64
	}{
		{"read-only file", uint32(KeyFileFirst)<<16 | DMASelect | DMAWrite, 2, bufAddr},
		{"past the end", rw | DMASelect | DMAWrite, 9, bufAddr},
		{"source not RAM", rw | DMASelect | DMAWrite, 4, 0x1000},
		{"missing item", 0x1234<<16 | DMASelect | DMAWrite, 4, bufAddr},
	} {
		if st := r.dma(c.control, c.length, c.addr, false); st != DMAError {
			t.Errorf("%s: status %#x, want error", c.name, st)
		}
	}
	if n := r.d.GuestErrors() - before; n != 4 || len(writes) != 1 {
		t.Errorf("%d guest errors (want 4), %d callbacks (want 1)", n, len(writes))
	}
	// An access structure outside RAM is a guest error, not a crash.
	var raw [8]byte
	binary.BigEndian.PutUint64(raw[:], 0x2000)
	r.b.Write(base+regDMA, 8, binary.LittleEndian.Uint64(raw[:]))
	if r.d.GuestErrors()-before != 5 {
		t.Errorf("access structure outside RAM: no guest error")
	}
	if err := r.d.SetFile("etc/rw", []byte("12345678")); err != nil {
		t.Fatal(err)
	}
	if r.d.SetFile("etc/rw", []byte("1")) == nil || r.d.SetFile("nope", nil) == nil {
		t.Error("SetFile accepted a bad size or name")
	}
}

func TestState(t *testing.T) {
	r := newDMARig(t)
	r.d.AddFile("etc/a", []byte("0123456789"))
	selectKey(t, r.b, KeyFileFirst)
	readBytes(t, r.b, 3, 1)
	r.b.Write(base+regDMA, 4, 0x01000000) // high half 1, big-endian
	s := r.d.State()
	want := State{Version: StateVersion, Key: KeyFileFirst, Offset: 3, DMAHigh: 1 << 32}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("state (-want +got):\n%s", diff)
	}
	r2 := newDMARig(t)
	r2.d.AddFile("etc/a", []byte("0123456789"))
	if err := r2.d.Restore(s); err != nil {
		t.Fatal(err)
	}
	if got := string(readBytes(t, r2.b, 2, 1)); got != "34" {
		t.Errorf("after restore reads %q", got)
	}
	for _, bad := range []State{
		{Version: 9},
		{Version: StateVersion, Key: 0x4000},
		{Version: StateVersion, Key: KeyFileFirst, Offset: 11},
		{Version: StateVersion, DMAHigh: 5},
	} {
		if r2.d.Restore(bad) == nil {
			t.Errorf("restore accepted %+v", bad)
		}
	}
}
