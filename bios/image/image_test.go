package image

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"hash/crc32"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"mimic/devices/bus"
)

// elfBodyOff is where makeELF puts segment contents; program headers
// sit between the 52-byte ELF header and it.
const elfBodyOff = 0x100

// makeELF builds an ELF32 little-endian ARM executable whose program
// headers are progs and whose bytes from elfBodyOff on are body. edit may
// change the header before it is written.
func makeELF(t testing.TB, progs []elf.Prog32, body []byte, edit func(*elf.Header32)) []byte {
	t.Helper()
	h := elf.Header32{
		Type:      uint16(elf.ET_EXEC),
		Machine:   uint16(elf.EM_ARM),
		Version:   uint32(elf.EV_CURRENT),
		Entry:     0x8000,
		Phoff:     52,
		Ehsize:    52,
		Phentsize: 32,
		Phnum:     uint16(len(progs)),
		Shentsize: 40,
	}
	copy(h.Ident[:], elfMagic)
	h.Ident[elf.EI_CLASS] = byte(elf.ELFCLASS32)
	h.Ident[elf.EI_DATA] = byte(elf.ELFDATA2LSB)
	h.Ident[elf.EI_VERSION] = byte(elf.EV_CURRENT)
	if edit != nil {
		edit(&h)
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if h.Ident[elf.EI_DATA] == byte(elf.ELFDATA2MSB) {
		bo = binary.BigEndian
	}
	var buf bytes.Buffer
	if err := binary.Write(&buf, bo, h); err != nil {
		t.Fatal(err)
	}
	if err := binary.Write(&buf, bo, progs); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > elfBodyOff {
		t.Fatalf("makeELF: %d program headers do not fit before the body", len(progs))
	}
	buf.Write(make([]byte, elfBodyOff-buf.Len()))
	buf.Write(body)
	return buf.Bytes()
}

// makeELF64 builds a minimal ELF64 header for machine m.
func makeELF64(t testing.TB, m elf.Machine) []byte {
	t.Helper()
	h := elf.Header64{
		Type: uint16(elf.ET_EXEC), Machine: uint16(m), Version: 1,
		Ehsize: 64, Phentsize: 56, Shentsize: 64,
	}
	copy(h.Ident[:], elfMagic)
	h.Ident[elf.EI_CLASS] = byte(elf.ELFCLASS64)
	h.Ident[elf.EI_DATA] = byte(elf.ELFDATA2LSB)
	h.Ident[elf.EI_VERSION] = 1
	var buf bytes.Buffer
	if err := binary.Write(&buf, binary.LittleEndian, h); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func load(off, paddr, filesz, memsz uint32) elf.Prog32 {
	return elf.Prog32{
		Type: uint32(elf.PT_LOAD), Off: off, Vaddr: paddr + 0xc0000000, Paddr: paddr,
		Filesz: filesz, Memsz: memsz, Flags: uint32(elf.PF_R | elf.PF_X), Align: 4,
	}
}

func TestParseELF(t *testing.T) {
	body := []byte("0123456789abcdef")
	tests := []struct {
		name  string
		progs []elf.Prog32
		edit  func(*elf.Header32)
		want  *ELF
	}{
		{
			name:  "one segment with bss",
			progs: []elf.Prog32{load(elfBodyOff, 0x40000000, 8, 0x20)},
			edit:  func(h *elf.Header32) { h.Entry = 0x40000000 },
			want: &ELF{Entry: 0x40000000, Segments: []Segment{
				{Addr: 0x40000000, Data: body[:8], MemSize: 0x20},
			}},
		},
		{
			name:  "thumb entry",
			progs: []elf.Prog32{load(elfBodyOff, 0, 16, 16)},
			edit:  func(h *elf.Header32) { h.Entry = 0x101 },
			want:  &ELF{Entry: 0x100, Thumb: true, Segments: []Segment{{Addr: 0, Data: body, MemSize: 16}}},
		},
		{
			name: "non-load and empty segments skipped",
			progs: []elf.Prog32{
				{Type: uint32(elf.PT_NOTE), Off: elfBodyOff, Filesz: 4, Memsz: 4},
				load(elfBodyOff, 0x1000, 0, 0),
				load(elfBodyOff+8, 0x2000, 8, 8),
			},
			want: &ELF{Entry: 0x8000, Segments: []Segment{{Addr: 0x2000, Data: body[8:], MemSize: 8}}},
		},
		{
			name:  "position independent executable",
			progs: []elf.Prog32{load(elfBodyOff, 0, 4, 4)},
			edit:  func(h *elf.Header32) { h.Type = uint16(elf.ET_DYN) },
			want:  &ELF{Entry: 0x8000, Segments: []Segment{{Addr: 0, Data: body[:4], MemSize: 4}}},
		},
		{
			name:  "segment reaching the top of the address space",
			progs: []elf.Prog32{load(elfBodyOff, 0xfffffff0, 16, 16)},
			want:  &ELF{Entry: 0x8000, Segments: []Segment{{Addr: 0xfffffff0, Data: body, MemSize: 16}}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseELF(makeELF(t, tc.progs, body, tc.edit))
			if err != nil {
				t.Fatalf("ParseELF: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseELF mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseELFErrors(t *testing.T) {
	body := make([]byte, 16)
	good := []elf.Prog32{load(elfBodyOff, 0x40000000, 16, 16)}
	tests := []struct {
		name string
		data []byte
		want string // substring of the error
	}{
		{"empty", nil, "not an ELF file"},
		{"text", []byte("hello world"), "not an ELF file"},
		{"magic only", []byte(elfMagic), "malformed ELF file"},
		{"x86-64", makeELF64(t, elf.EM_X86_64), "not an ARM ELF file (machine x86-64)"},
		{"aarch64", makeELF64(t, elf.EM_AARCH64), "not an ARM ELF file (machine AArch64; Mimic runs 32-bit ARM"},
		{"elf64 arm", makeELF64(t, elf.EM_ARM), "not a 32-bit ELF file (ELF64)"},
		{"i386", makeELF(t, good, body, func(h *elf.Header32) { h.Machine = uint16(elf.EM_386) }), "(machine i386)"},
		{"other machine", makeELF(t, good, body, func(h *elf.Header32) { h.Machine = uint16(elf.EM_AVR) }), "(machine AVR)"},
		{"big-endian", makeELF(t, good, body, func(h *elf.Header32) { h.Ident[elf.EI_DATA] = byte(elf.ELFDATA2MSB) }), "big-endian ARM ELF file"},
		{"relocatable", makeELF(t, good, body, func(h *elf.Header32) { h.Type = uint16(elf.ET_REL) }), "relocatable object file"},
		{"core", makeELF(t, good, body, func(h *elf.Header32) { h.Type = uint16(elf.ET_CORE) }), "core dump"},
		{"no segments", makeELF(t, nil, body, nil), "no loadable segments"},
		{"only notes", makeELF(t, []elf.Prog32{{Type: uint32(elf.PT_NOTE), Off: elfBodyOff, Filesz: 4, Memsz: 4}}, body, nil), "no loadable segments"},
		{"memsz < filesz", makeELF(t, []elf.Prog32{load(elfBodyOff, 0, 16, 8)}, body, nil), "file size 0x10 is larger than memory size 0x8"},
		{"past end of file", makeELF(t, []elf.Prog32{load(elfBodyOff, 0, 32, 32)}, body, nil), "runs past the end of the file"},
		{"offset past end", makeELF(t, []elf.Prog32{load(0xffffff00, 0, 0x200, 0x200)}, body, nil), "runs past the end of the file"},
		{"address overflow", makeELF(t, []elf.Prog32{load(elfBodyOff, 0xfffffff0, 16, 0x20)}, body, nil), "runs past the end of the 32-bit address space"},
		{"overlap", makeELF(t, []elf.Prog32{load(elfBodyOff, 0x1000, 16, 16), load(elfBodyOff, 0x1008, 8, 8)}, body, nil), "overlap"},
		{"truncated headers", makeELF(t, good, body, nil)[:60], "malformed ELF file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseELF(tc.data)
			if err == nil {
				t.Fatalf("ParseELF = %+v, want error containing %q", got, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParseELF error = %q, want it to contain %q", err, tc.want)
			}
		})
	}
}

// TestParseELFToolchain parses a real Thumb executable when the Debian
// arm-none-eabi toolchain is installed.
func TestParseELFToolchain(t *testing.T) {
	gcc, err := exec.LookPath("arm-none-eabi-gcc")
	if err != nil {
		t.Skip("arm-none-eabi-gcc not installed; skipping the real-toolchain ELF test")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "start.S")
	prog := filepath.Join(dir, "start.elf")
	asm := ".syntax unified\n.thumb\n.global _start\n.thumb_func\n_start:\n  b _start\n.data\nword: .word 0x12345678\n.bss\nzero: .space 64\n"
	if err := os.WriteFile(src, []byte(asm), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(gcc, "-mcpu=cortex-m3", "-nostdlib", "-Wl,-Ttext=0x1000", "-Wl,-Tdata=0x20000000", "-o", prog, src)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", cmd, err, out)
	}
	data, err := os.ReadFile(prog)
	if err != nil {
		t.Fatal(err)
	}
	if k, err := Detect(data); err != nil || k != KindELF {
		t.Errorf("Detect = %v, %v; want ELF", k, err)
	}
	img, err := ParseELF(data)
	if err != nil {
		t.Fatalf("ParseELF: %v", err)
	}
	if !img.Thumb || img.Entry != 0x1000 {
		t.Errorf("entry = %#x thumb=%v, want 0x1000 thumb=true", img.Entry, img.Thumb)
	}
	var sawData bool
	for _, s := range img.Segments {
		if s.Addr == 0x20000000 {
			sawData = true
			if !bytes.HasPrefix(s.Data, []byte{0x78, 0x56, 0x34, 0x12}) || s.MemSize < 68 {
				t.Errorf("data segment = % x (memsz %#x), want 78 56 34 12 and .bss", s.Data, s.MemSize)
			}
		}
	}
	if !sawData {
		t.Errorf("no segment at 0x20000000 in %+v", img.Segments)
	}
}

// makeZImage builds a little-endian zImage of size bytes with the given
// start and end words and endianness flag (0 = none written).
func makeZImage(size int, start, end, endian uint32) []byte {
	d := make([]byte, size)
	for i := range d {
		d[i] = byte(i)
	}
	binary.LittleEndian.PutUint32(d[zimageMagicOff:], zimageMagic)
	binary.LittleEndian.PutUint32(d[zimageStartOff:], start)
	binary.LittleEndian.PutUint32(d[zimageEndOff:], end)
	if size >= zimageMinTable {
		binary.LittleEndian.PutUint32(d[zimageEndianOff:], endian)
	}
	return d
}

func TestParseZImage(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want *ZImage
		err  string
	}{
		{name: "little-endian", data: makeZImage(0x100, 0, 0x100, zimageLittle), want: &ZImage{End: 0x100}},
		{name: "appended dtb", data: makeZImage(0x200, 0, 0x100, zimageLittle), want: &ZImage{End: 0x100}},
		{name: "pre-3.17 header", data: makeZImage(0x40, 0, 0x40, 0xe1a00000), want: &ZImage{End: 0x40}},
		{name: "header without endian word", data: makeZImage(0x30, 0, 0x30, 0), want: &ZImage{End: 0x30}},
		{name: "absolute start", data: makeZImage(0x100, 0x8000, 0x8100, zimageLittle), want: &ZImage{Start: 0x8000, End: 0x8100}},
		{name: "truncated", data: makeZImage(0x100, 0, 0x101, zimageLittle), err: "truncated zImage: header says 257 bytes, file has 256"},
		{name: "end below start", data: makeZImage(0x100, 0x100, 0, zimageLittle), err: "end address 0x0 is below start address 0x100"},
		{name: "big-endian", data: makeZImage(0x100, 0, 0x100, zimageBig), err: "big-endian Linux zImage"},
		{name: "short", data: make([]byte, 0x2f), err: "not a Linux zImage: file is only 47 bytes"},
		{name: "no magic", data: make([]byte, 0x100), err: "no magic 0x016f2818"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseZImage(tc.data)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("ParseZImage error = %v, want it to contain %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseZImage: %v", err)
			}
			tc.want.Data = tc.data
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseZImage mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

type uimageSpec struct {
	typ, arch, comp, os uint8
	load, ep, time      uint32
	name                string
	payload             []byte
}

func makeUImage(s uimageSpec) []byte {
	be := binary.BigEndian
	d := make([]byte, uimageHeaderSize+len(s.payload))
	be.PutUint32(d[uhMagic:], uimageMagic)
	be.PutUint32(d[uhTime:], s.time)
	be.PutUint32(d[uhSize:], uint32(len(s.payload)))
	be.PutUint32(d[uhLoad:], s.load)
	be.PutUint32(d[uhEP:], s.ep)
	be.PutUint32(d[uhDCRC:], crc32.ChecksumIEEE(s.payload))
	d[uhOS], d[uhArch], d[uhType], d[uhComp] = s.os, s.arch, s.typ, s.comp
	copy(d[uhName:uhName+uimageNameLen], s.name)
	copy(d[uimageHeaderSize:], s.payload)
	be.PutUint32(d[uhHCRC:], crc32.ChecksumIEEE(d[:uimageHeaderSize]))
	return d
}

func TestParseUImage(t *testing.T) {
	payload := []byte("kernel payload bytes")
	kernel := uimageSpec{typ: 2, arch: 2, os: 5, load: 0x40008000, ep: 0x40008000, time: 1700000000, name: "Linux-6.1", payload: payload}
	with := func(f func(*uimageSpec)) []byte {
		s := kernel
		f(&s)
		return makeUImage(s)
	}
	tests := []struct {
		name string
		data []byte
		want *UImage
		err  string
	}{
		{
			name: "kernel",
			data: makeUImage(kernel),
			want: &UImage{Name: "Linux-6.1", Type: UImageKernel, OS: 5, Time: 1700000000, Load: 0x40008000, Entry: 0x40008000, Data: payload},
		},
		{
			name: "ramdisk with 32-char name",
			data: with(func(s *uimageSpec) { s.typ = 3; s.name = strings.Repeat("r", 32); s.load, s.ep = 0, 0 }),
			want: &UImage{Name: strings.Repeat("r", 32), Type: UImageRamdisk, OS: 5, Time: 1700000000, Data: payload},
		},
		{
			name: "firmware, trailing bytes ignored",
			data: append(with(func(s *uimageSpec) { s.typ = 5; s.os = 17 }), 1, 2, 3),
			want: &UImage{Name: "Linux-6.1", Type: UImageFirmware, OS: 17, Time: 1700000000, Load: 0x40008000, Entry: 0x40008000, Data: payload},
		},
		{name: "not a uImage", data: []byte("hello"), err: "not a U-Boot uImage"},
		{name: "short header", data: makeUImage(kernel)[:40], err: "truncated uImage: 40 bytes"},
		{name: "truncated data", data: makeUImage(kernel)[:70], err: "truncated uImage: header says 20 data bytes, file has 6"},
		{
			name: "header crc",
			data: func() []byte { d := makeUImage(kernel); d[uhLoad] ^= 1; return d }(),
			err:  "corrupt uImage: header CRC",
		},
		{
			name: "data crc",
			data: func() []byte { d := makeUImage(kernel); d[uimageHeaderSize] ^= 1; return d }(),
			err:  "corrupt uImage: data CRC",
		},
		{name: "arm64", data: with(func(s *uimageSpec) { s.arch = 22 }), err: "uImage is for architecture AArch64, not ARM"},
		{name: "unknown arch", data: with(func(s *uimageSpec) { s.arch = 200 }), err: "architecture 200, not ARM"},
		{name: "multi", data: with(func(s *uimageSpec) { s.typ = 4 }), err: "unsupported uImage type multi-file image"},
		{name: "script", data: with(func(s *uimageSpec) { s.typ = 6 }), err: "unsupported uImage type script"},
		{name: "gzip", data: with(func(s *uimageSpec) { s.comp = 1 }), err: "compressed uImage (gzip) is not supported"},
		{name: "unknown compression", data: with(func(s *uimageSpec) { s.comp = 99 }), err: "compressed uImage (type 99)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseUImage(tc.data)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("ParseUImage error = %v, want it to contain %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseUImage: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseUImage mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name    string
		data    []byte
		want    Kind
		wantErr bool
	}{
		{"empty", nil, KindRaw, true},
		{"raw", []byte{0x00, 0x00, 0xa0, 0xe1}, KindRaw, false},
		{"elf", makeELF(t, nil, nil, nil), KindELF, false},
		{"elf64", makeELF64(t, elf.EM_X86_64), KindELF, false},
		{"uimage", makeUImage(uimageSpec{typ: 2, arch: 2}), KindUImage, false},
		{"zimage", makeZImage(0x100, 0, 0x100, zimageLittle), KindZImage, false},
		{"short zimage is raw", make([]byte, 0x2f), KindRaw, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Detect(tc.data)
			if (err != nil) != tc.wantErr {
				t.Fatalf("Detect error = %v, want error %v", err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("Detect = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestKindString(t *testing.T) {
	got := []string{KindRaw.String(), KindELF.String(), KindUImage.String(), KindZImage.String(), Kind(9).String()}
	want := []string{"raw binary", "ELF", "U-Boot uImage", "Linux zImage", "Kind(9)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Kind.String mismatch (-want +got):\n%s", diff)
	}
}

func newTestBus(t *testing.T) (*bus.Bus, []byte, []byte) {
	t.Helper()
	b := bus.New()
	rom := make([]byte, 0x1000)
	ram := make([]byte, 0x30000) // over zeroChunk, to exercise chunked zeroing
	if err := b.MapROM("flash", 0, rom); err != nil {
		t.Fatal(err)
	}
	if err := b.MapRAM("ram", 0x40000000, ram); err != nil {
		t.Fatal(err)
	}
	return b, rom, ram
}

func TestLoad(t *testing.T) {
	b, rom, ram := newTestBus(t)
	for i := range ram {
		ram[i] = 0xaa
	}
	err := Load(b,
		Segment{Addr: 0x10, Data: []byte{1, 2, 3}, MemSize: 3},
		Segment{Addr: 0x40000004, Data: []byte{4, 5}, MemSize: 0x20002},
		Segment{Addr: 0x40000000, MemSize: 0},
	)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if diff := cmp.Diff([]byte{0, 1, 2, 3, 0}, rom[0xf:0x14]); diff != "" {
		t.Errorf("ROM mismatch (-want +got):\n%s", diff)
	}
	want := append([]byte{0xaa, 0xaa, 0xaa, 0xaa, 4, 5}, make([]byte, 0x20000)...)
	want = append(want, 0xaa)
	if diff := cmp.Diff(want, ram[:len(want)]); diff != "" {
		t.Errorf("RAM mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		segs []Segment
		want string
	}{
		{
			name: "unmapped",
			segs: []Segment{{Addr: 0x10000000, Data: []byte{1}, MemSize: 1}},
			want: "segment at 0x10000000 (size 0x1) is outside RAM (memory is flash [0x0, 0x1000), ram [0x40000000, 0x40030000))",
		},
		{
			name: "runs off the end of RAM",
			segs: []Segment{{Addr: 0x4002fff0, Data: []byte{1}, MemSize: 0x20}},
			want: "segment at 0x4002fff0 (size 0x20) is outside RAM",
		},
		{
			name: "second segment bad, first not written",
			segs: []Segment{{Addr: 0x40000000, Data: []byte{1}, MemSize: 1}, {Addr: 0x2000, Data: []byte{1}, MemSize: 1}},
			want: "segment at 0x2000 (size 0x1) is outside RAM",
		},
		{
			name: "memsize below data",
			segs: []Segment{{Addr: 0x40000000, Data: []byte{1, 2}, MemSize: 1}},
			want: "2 data bytes but memory size only 0x1",
		},
		{
			name: "wraps",
			segs: []Segment{{Addr: 0xffffffffffffff00, MemSize: 0x200}},
			want: "wraps around the address space",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, _, ram := newTestBus(t)
			err := Load(b, tc.segs...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Load error = %v, want it to contain %q", err, tc.want)
			}
			if ram[0] != 0 {
				t.Errorf("Load wrote RAM before failing")
			}
		})
	}
}

func TestLoadNoRAM(t *testing.T) {
	err := Load(bus.New(), Segment{Addr: 0, Data: []byte{1}, MemSize: 1})
	want := "segment at 0x0 (size 0x1) is outside RAM (this machine has no RAM)"
	if err == nil || err.Error() != want {
		t.Errorf("Load error = %v, want %q", err, want)
	}
}

// TestLoadELF checks the path a board takes: parse, then load.
func TestLoadELF(t *testing.T) {
	body := []byte{0xfe, 0xff, 0xff, 0xea}
	img, err := ParseELF(makeELF(t, []elf.Prog32{load(elfBodyOff, 0x40000000, 4, 8)}, body, nil))
	if err != nil {
		t.Fatal(err)
	}
	b, _, ram := newTestBus(t)
	ram[4] = 0xaa
	if err := Load(b, img.Segments...); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]byte{0xfe, 0xff, 0xff, 0xea, 0, 0, 0, 0}, ram[:8]); diff != "" {
		t.Errorf("RAM mismatch (-want +got):\n%s", diff)
	}
}
