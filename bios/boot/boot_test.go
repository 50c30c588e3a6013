package boot

import (
	"bytes"
	"compress/gzip"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"mimic/bios/fdt"
	"mimic/bios/image"
)

const ramBase = 0x40000000

// makeELF returns an ARM ELF executable with one PT_LOAD segment holding
// code at addr, entered at entry.
func makeELF(t testing.TB, addr, entry uint32, code []byte) []byte {
	t.Helper()
	const off = 0x100
	h := elf.Header32{
		Type: uint16(elf.ET_EXEC), Machine: uint16(elf.EM_ARM), Version: uint32(elf.EV_CURRENT),
		Entry: entry, Phoff: 52, Ehsize: 52, Phentsize: 32, Phnum: 1, Shentsize: 40,
	}
	copy(h.Ident[:], "\x7fELF")
	h.Ident[elf.EI_CLASS] = byte(elf.ELFCLASS32)
	h.Ident[elf.EI_DATA] = byte(elf.ELFDATA2LSB)
	h.Ident[elf.EI_VERSION] = byte(elf.EV_CURRENT)
	p := elf.Prog32{Type: uint32(elf.PT_LOAD), Off: off, Vaddr: addr, Paddr: addr,
		Filesz: uint32(len(code)), Memsz: uint32(len(code)), Flags: uint32(elf.PF_R | elf.PF_X), Align: 4}
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, h)
	binary.Write(&b, binary.LittleEndian, p)
	b.Write(make([]byte, off-b.Len()))
	b.Write(code)
	return b.Bytes()
}

// makeUImage returns a U-Boot legacy image with valid CRCs.
func makeUImage(typ image.UImageType, os uint8, load, ep uint32, data []byte) []byte {
	h := make([]byte, 64)
	be := binary.BigEndian
	be.PutUint32(h[0:], 0x27051956)
	be.PutUint32(h[12:], uint32(len(data)))
	be.PutUint32(h[16:], load)
	be.PutUint32(h[20:], ep)
	be.PutUint32(h[24:], crc32.ChecksumIEEE(data))
	h[28], h[29], h[30], h[31] = os, 2, uint8(typ), 0
	copy(h[32:], "test")
	be.PutUint32(h[4:], crc32.ChecksumIEEE(h))
	return append(h, data...)
}

// makeZImage returns a zImage-headed file of size bytes.
func makeZImage(size int) []byte {
	z := make([]byte, size)
	le := binary.LittleEndian
	le.PutUint32(z[0x24:], 0x016f2818)
	le.PutUint32(z[0x28:], 0)
	le.PutUint32(z[0x2c:], uint32(size))
	le.PutUint32(z[0x30:], 0x04030201)
	return z
}

// newc returns a tiny newc archive: one file and the trailer.
func newc(t testing.TB) []byte {
	t.Helper()
	entry := func(name string, mode uint32, data []byte) []byte {
		var b []byte
		b = append(b, "070701"...)
		for _, v := range []uint32{1, mode, 0, 0, 1, 0, uint32(len(data)), 0, 0, 0, 0, uint32(len(name) + 1), 0} {
			b = fmt.Appendf(b, "%08X", v)
		}
		b = append(b, name...)
		b = append(b, 0)
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
		b = append(b, data...)
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
		return b
	}
	return append(entry("init", 0o100755, []byte("#!/bin/sh\n")), entry("TRAILER!!!", 0, nil)...)
}

func gz(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(data)
	w.Close()
	return b.Bytes()
}

func TestLoadPlacement(t *testing.T) {
	zimage := makeZImage(0x5000)
	initrd := gz(t, newc(t))
	raw := []byte{0xfe, 0xff, 0xff, 0xea} // b .
	tests := []struct {
		name    string
		ram     uint64
		kernel  []byte
		initrd  []byte
		want    Boot
		wantSeg []uint64 // segment addresses
	}{
		{
			// As QEMU 7.2 with -m 512 -kernel zImage -initrd: stub
			// registers r0=0 r1=-1 r2=DTB, zImage at +0x10000, initrd
			// at +128 MiB, DTB on the next page after it.
			name: "zImage 512M", ram: 512 << 20, kernel: zimage, initrd: initrd,
			want: Boot{Kind: image.KindZImage, Linux: true, Entry: 0x40010000,
				Regs: [3]uint32{0, MachineDT, 0}, KernelLow: 0x40010000, KernelHigh: 0x40015000,
				InitrdStart: 0x48000000, InitrdSize: uint64(len(initrd)),
				HaveDTB: true, DTBAddr: 0x48001000},
			wantSeg: []uint64{0x40010000, 0x48000000},
		},
		{
			name: "raw 128M no initrd", ram: 128 << 20, kernel: raw,
			want: Boot{Kind: image.KindRaw, Linux: true, Entry: 0x40010000,
				Regs: [3]uint32{0, MachineDT, 0}, KernelLow: 0x40010000, KernelHigh: 0x40010004,
				InitrdStart: 0x44000000, HaveDTB: true, DTBAddr: 0x44000000},
			wantSeg: []uint64{0x40010000},
		},
		{
			// A kernel reaching past the initrd's default place pushes
			// it up to the next page.
			name: "big kernel 2M", ram: 2 << 20, kernel: makeZImage(0x100100),
			want: Boot{Kind: image.KindZImage, Linux: true, Entry: 0x40010000,
				Regs: [3]uint32{0, MachineDT, 0}, KernelLow: 0x40010000, KernelHigh: 0x40110100,
				InitrdStart: 0x40111000, HaveDTB: true, DTBAddr: 0x40111000},
			wantSeg: []uint64{0x40010000},
		},
		{
			name: "ELF above RAM base", ram: 128 << 20, kernel: makeELF(t, 0x40100000, 0x40100001, raw),
			want: Boot{Kind: image.KindELF, Entry: 0x40100000, Thumb: true,
				KernelLow: 0x40100000, KernelHigh: 0x40100004,
				HaveDTB: true, DTBAddr: ramBase, DTBLimit: 0x40100000},
			wantSeg: []uint64{0x40100000},
		},
		{
			name: "ELF at RAM base", ram: 128 << 20, kernel: makeELF(t, ramBase, ramBase, raw),
			want: Boot{Kind: image.KindELF, Entry: ramBase,
				KernelLow: ramBase, KernelHigh: ramBase + 4},
			wantSeg: []uint64{ramBase},
		},
		{
			name: "ELF below RAM", ram: 128 << 20, kernel: makeELF(t, 0x1000, 0x1000, raw),
			want: Boot{Kind: image.KindELF, Entry: 0x1000, KernelLow: 0x1000, KernelHigh: 0x1004,
				HaveDTB: true, DTBAddr: ramBase},
			wantSeg: []uint64{0x1000},
		},
		{
			name: "uImage Linux kernel", ram: 256 << 20, kernel: makeUImage(image.UImageKernel, 5, 0x40008000, 0x40008000, raw),
			initrd: newc(t),
			want: Boot{Kind: image.KindUImage, Linux: true, Entry: 0x40008000,
				Regs: [3]uint32{0, MachineDT, 0}, KernelLow: 0x40008000, KernelHigh: 0x40008004,
				InitrdStart: 0x48000000, InitrdSize: uint64(len(newc(t))), HaveDTB: true, DTBAddr: 0x48001000},
			wantSeg: []uint64{0x40008000, 0x48000000},
		},
		{
			name: "uImage bare-metal kernel", ram: 256 << 20, kernel: makeUImage(image.UImageKernel, 0, 0x40008000, 0x40008000, raw),
			want: Boot{Kind: image.KindUImage, Entry: 0x40008000,
				KernelLow: 0x40008000, KernelHigh: 0x40008004},
			wantSeg: []uint64{0x40008000},
		},
		{
			name: "uImage kernel_noload", ram: 256 << 20, kernel: makeUImage(image.UImageKernelNoLoad, 5, 0, 0x0, raw),
			want: Boot{Kind: image.KindUImage, Linux: true, Entry: 0x42000040,
				Regs: [3]uint32{0, MachineDT, 0}, KernelLow: 0x42000040, KernelHigh: 0x42000044,
				InitrdStart: 0x48000000, HaveDTB: true, DTBAddr: 0x48000000},
			wantSeg: []uint64{0x42000040},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Load(Config{RAMBase: ramBase, RAMSize: tt.ram, BoardID: MachineDT,
				KernelName: "k", Kernel: tt.kernel, InitrdName: "i", Initrd: tt.initrd})
			if err != nil {
				t.Fatal(err)
			}
			var segs []uint64
			for _, s := range got.Segments {
				segs = append(segs, s.Addr)
			}
			if diff := cmp.Diff(tt.wantSeg, segs); diff != "" {
				t.Errorf("segments (-want +got):\n%s", diff)
			}
			got.Segments = nil
			tt.want.ramBase, tt.want.ramEnd = ramBase, ramBase+tt.ram
			if diff := cmp.Diff(tt.want, *got, cmp.AllowUnexported(Boot{})); diff != "" {
				t.Errorf("boot (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPlaceDTB(t *testing.T) {
	b, err := Load(Config{RAMBase: ramBase, RAMSize: 512 << 20, BoardID: MachineDT, Kernel: makeZImage(0x100)})
	if err != nil {
		t.Fatal(err)
	}
	ok, err := b.PlaceDTB(make([]byte, 100))
	if !ok || err != nil {
		t.Fatalf("PlaceDTB = %v, %v", ok, err)
	}
	if b.Regs[2] != 0x48000000 || b.DTBSize != 100 {
		t.Errorf("r2 = %#x, DTBSize %d; want 0x48000000, 100", b.Regs[2], b.DTBSize)
	}

	// A bare-metal ELF just above RAM base: the DTB must fit below it,
	// and is silently dropped when it does not (r2 stays 0).
	e, err := Load(Config{RAMBase: ramBase, RAMSize: 128 << 20, Kernel: makeELF(t, 0x40000100, 0x40000100, []byte{0, 0, 0, 0})})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := e.PlaceDTB(make([]byte, 0x101)); ok || err != nil {
		t.Errorf("oversized DTB below ELF: PlaceDTB = %v, %v; want false, nil", ok, err)
	}
	if ok, err := e.PlaceDTB(make([]byte, 0x100)); !ok || err != nil || e.Regs[2] != 0 {
		t.Errorf("DTB below ELF: PlaceDTB = %v, %v, r2 %#x; want true, nil, 0", ok, err, e.Regs[2])
	}

	// Linux with no room after the initrd.
	l, err := Load(Config{RAMBase: ramBase, RAMSize: 1 << 20, Kernel: makeZImage(0x100), Initrd: bytes.Repeat([]byte{1}, 0x7f000)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.PlaceDTB(make([]byte, 0x2000)); !errors.Is(err, ErrImage) {
		t.Errorf("DTB past RAM end: err = %v, want ErrImage", err)
	}
}

func TestFirmware(t *testing.T) {
	b, err := Firmware(ramBase, 128<<20, "u-boot.bin", []byte{1, 2, 3, 4}, 0, 64<<20)
	if err != nil {
		t.Fatal(err)
	}
	if b.Entry != 0 || b.Linux || !b.HaveDTB || b.DTBAddr != ramBase || len(b.Segments) != 1 || b.Segments[0].Addr != 0 {
		t.Errorf("firmware boot = %+v", b)
	}
	if _, err := Firmware(ramBase, 128<<20, "big", make([]byte, 65<<20), 0, 64<<20); !errors.Is(err, ErrImage) {
		t.Errorf("oversized firmware: err = %v", err)
	}
	if _, err := Firmware(ramBase, 128<<20, "x.elf", makeELF(t, 0, 0, []byte{0, 0, 0, 0}), 0, 64<<20); !errors.Is(err, ErrImage) {
		t.Errorf("ELF firmware: err = %v", err)
	}
}

func TestLoadErrors(t *testing.T) {
	arm64 := make([]byte, 0x40)
	binary.LittleEndian.PutUint32(arm64[0x38:], 0x644d5241)
	bz := make([]byte, 0x300)
	copy(bz[0x202:], "HdrS")
	x86elf := makeELF(t, 0x1000, 0x1000, []byte{0, 0, 0, 0})
	binary.LittleEndian.PutUint16(x86elf[18:], uint16(elf.EM_X86_64))
	truncZ := makeZImage(0x1000)[:0x800]
	initrd := gz(t, newc(t))
	tests := []struct {
		name   string
		ram    uint64
		kernel []byte
		initrd []byte
		want   string
	}{
		{"empty", 128 << 20, nil, nil, "file is empty"},
		{"arm64 Image", 128 << 20, arm64, nil, "arm64"},
		{"x86 bzImage", 128 << 20, bz, nil, "x86"},
		{"x86 ELF", 128 << 20, x86elf, nil, "not an ARM ELF"},
		{"gzip kernel", 128 << 20, gz(t, []byte("kernel")), nil, "gzip-compressed"},
		{"truncated zImage", 128 << 20, truncZ, nil, "truncated zImage"},
		{"kernel larger than RAM", 1 << 20, make([]byte, 1<<20), nil, "too large to fit in RAM"},
		{"truncated gzip initrd", 128 << 20, makeZImage(0x100), initrd[:len(initrd)-6], "truncated gzip"},
		{"corrupt gzip initrd", 128 << 20, makeZImage(0x100), append(initrd[:len(initrd)-8:len(initrd)-8], 1, 2, 3, 4, 5, 6, 7, 8), "corrupt gzip"},
		{"truncated cpio initrd", 128 << 20, makeZImage(0x100), newc(t)[:150], "truncated"},
		{"empty initrd", 128 << 20, makeZImage(0x100), []byte{}, "empty"},
		{"initrd too big", 2 << 20, makeZImage(0x100), make([]byte, 2<<20), "too big to fit into RAM"},
		{"initrd with ELF", 128 << 20, makeELF(t, 0x40100000, 0x40100000, []byte{0, 0, 0, 0}), initrd, "needs a Linux kernel"},
		{"uImage ramdisk as kernel", 128 << 20, makeUImage(image.UImageRamdisk, 5, 0, 0, []byte{1}), nil, "not a kernel"},
		{"uImage kernel as initrd", 128 << 20, makeZImage(0x100), makeUImage(image.UImageKernel, 5, 0, 0, []byte{1}), "not a ramdisk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(Config{RAMBase: ramBase, RAMSize: tt.ram, Kernel: tt.kernel, KernelName: "k", Initrd: tt.initrd, InitrdName: "i"})
			if !errors.Is(err, ErrImage) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want ErrImage mentioning %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

func TestCheckInitrd(t *testing.T) {
	c := newc(t)
	tests := []struct {
		name string
		data []byte
		ok   bool
	}{
		{"cpio", c, true},
		{"gzip cpio", gz(t, c), true},
		{"gzip with zero padding", append(gz(t, c), 0, 0, 0, 0), true},
		{"early cpio + gzip", append(append(append([]byte{}, c...), 0, 0, 0, 0), gz(t, c)...), true},
		{"two gzip members", append(gz(t, c), gz(t, c)...), true},
		{"ext2 image (unchecked)", append([]byte{0x53, 0xef}, make([]byte, 100)...), true},
		{"xz (unchecked)", []byte("\xfd7zXZ\x00rest"), true},
		{"truncated cpio", c[:len(c)-20], false},
		{"bad cpio magic", append([]byte("070707"), c[6:]...), true}, // odc: not checked
		{"early cpio + truncated gzip", append(append([]byte{}, c...), gz(t, c)[:20]...), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := CheckInitrd(tt.data); (err == nil) != tt.ok {
				t.Errorf("CheckInitrd = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestPatchDT(t *testing.T) {
	b, err := Load(Config{RAMBase: ramBase, RAMSize: 512 << 20, BoardID: MachineDT,
		Kernel: makeZImage(0x100), Initrd: newc(t)})
	if err != nil {
		t.Fatal(err)
	}
	root := fdt.NewNode("")
	root.SetU32("#address-cells", 2)
	root.SetU32("#size-cells", 2)
	root.AddChild("memory@80000000").SetString("device_type", "memory")
	root.AddChild("memory")
	root.AddChild("uart@9000000")
	if err := b.PatchDT(root, "console=ttyAMA0"); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range root.Children {
		names = append(names, c.Name)
	}
	if diff := cmp.Diff([]string{"chosen", "memory@40000000", "uart@9000000"}, names); diff != "" {
		t.Errorf("children (-want +got):\n%s", diff)
	}
	reg, _ := root.Find("/memory@40000000").GetCells("reg")
	if diff := cmp.Diff([]uint32{0, ramBase, 0, 512 << 20}, reg); diff != "" {
		t.Errorf("memory reg (-want +got):\n%s", diff)
	}
	chosen := root.Find("/chosen")
	var props []string
	for _, p := range chosen.Props {
		props = append(props, p.Name)
	}
	if diff := cmp.Diff([]string{"linux,initrd-end", "linux,initrd-start", "bootargs"}, props); diff != "" {
		t.Errorf("chosen properties in libfdt order (-want +got):\n%s", diff)
	}
	start, _ := chosen.GetU32("linux,initrd-start")
	end, _ := chosen.GetU32("linux,initrd-end")
	if start != 0x48000000 || end != 0x48000000+uint32(len(newc(t))) {
		t.Errorf("initrd %#x..%#x", start, end)
	}

	// One address and size cell.
	small := fdt.NewNode("")
	small.SetU32("#address-cells", 1)
	small.SetU32("#size-cells", 1)
	if err := b.PatchDT(small, ""); err != nil {
		t.Fatal(err)
	}
	reg, _ = small.Find("/memory@40000000").GetCells("reg")
	if diff := cmp.Diff([]uint32{ramBase, 512 << 20}, reg); diff != "" {
		t.Errorf("1-cell memory reg (-want +got):\n%s", diff)
	}
	if small.Find("/chosen").Has("bootargs") {
		t.Error("empty command line set bootargs")
	}

	for _, cells := range [][2]uint32{{0, 2}, {2, 0}, {3, 2}} {
		bad := fdt.NewNode("")
		bad.SetU32("#address-cells", cells[0])
		bad.SetU32("#size-cells", cells[1])
		if err := b.PatchDT(bad, ""); !errors.Is(err, ErrImage) {
			t.Errorf("cells %v: err = %v, want ErrImage", cells, err)
		}
	}
	if err := b.PatchDT(fdt.NewNode(""), ""); !errors.Is(err, ErrImage) {
		t.Errorf("no #address-cells: err = %v, want ErrImage", err)
	}
}

func TestParseDTB(t *testing.T) {
	if _, err := ParseDTB("x.dtb", []byte("not a dtb at all, just text")); !errors.Is(err, ErrImage) || !strings.Contains(err.Error(), "x.dtb") {
		t.Errorf("malformed DTB: err = %v", err)
	}
}
