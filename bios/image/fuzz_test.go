package image

import (
	"debug/elf"
	"encoding/binary"
	"hash/crc32"
	"testing"
)

func FuzzParseELF(f *testing.F) {
	body := make([]byte, 32)
	f.Add(makeELF(f, []elf.Prog32{load(elfBodyOff, 0x40000000, 16, 32)}, body, nil))
	f.Add(makeELF(f, []elf.Prog32{load(elfBodyOff, 0, 8, 8), load(elfBodyOff+8, 0x100, 8, 0x1000)}, body, func(h *elf.Header32) { h.Entry = 0x101 }))
	f.Add(makeELF(f, []elf.Prog32{load(elfBodyOff, 0xfffffff0, 16, 16)}, body, nil))
	f.Add(makeELF64(f, elf.EM_X86_64))
	f.Add([]byte(elfMagic))
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := ParseELF(data)
		if err != nil {
			if img != nil {
				t.Fatalf("ParseELF returned both %+v and %v", img, err)
			}
			return
		}
		if len(img.Segments) == 0 {
			t.Fatalf("ParseELF succeeded with no segments")
		}
		if img.Entry&1 != 0 || img.Entry >= addrLimit {
			t.Fatalf("bad entry %#x", img.Entry)
		}
		for _, s := range img.Segments {
			if uint64(len(s.Data)) > s.MemSize || s.MemSize == 0 || s.End() > addrLimit || s.End() < s.Addr {
				t.Fatalf("bad segment addr %#x len %d memsz %#x", s.Addr, len(s.Data), s.MemSize)
			}
		}
	})
}

func FuzzParseZImage(f *testing.F) {
	f.Add(makeZImage(0x100, 0, 0x100, zimageLittle))
	f.Add(makeZImage(0x30, 0, 0x30, 0))
	f.Add(makeZImage(0x100, 0, 0x1000, zimageLittle))
	f.Add(makeZImage(0x100, 0, 0x100, zimageBig))
	f.Fuzz(func(t *testing.T, data []byte) {
		z, err := ParseZImage(data)
		if err != nil {
			return
		}
		if z.End < z.Start || uint64(z.Size()) > uint64(len(z.Data)) {
			t.Fatalf("accepted inconsistent zImage start %#x end %#x len %d", z.Start, z.End, len(z.Data))
		}
	})
}

func FuzzParseUImage(f *testing.F) {
	f.Add(makeUImage(uimageSpec{typ: 2, arch: 2, os: 5, load: 0x40008000, ep: 0x40008000, name: "k", payload: []byte("abc")}))
	f.Add(makeUImage(uimageSpec{typ: 3, arch: 2, payload: make([]byte, 100)}))
	f.Add(makeUImage(uimageSpec{typ: 2, arch: 2, comp: 1}))
	f.Add(makeUImage(uimageSpec{typ: 2, arch: 22}))
	f.Fuzz(func(t *testing.T, data []byte) {
		check := func(data []byte) {
			u, err := ParseUImage(data)
			if err != nil {
				return
			}
			if len(u.Data) > len(data)-uimageHeaderSize || len(u.Name) > uimageNameLen {
				t.Fatalf("accepted inconsistent uImage: %d data bytes from %d", len(u.Data), len(data))
			}
		}
		check(data)
		// Random bytes never match both CRCs; try again with them fixed
		// so the checks after the CRCs see fuzzed headers too.
		if len(data) < uimageHeaderSize {
			return
		}
		d := append([]byte{}, data...)
		binary.BigEndian.PutUint32(d, uimageMagic)
		size := uint64(binary.BigEndian.Uint32(d[uhSize:]))
		if size <= uint64(len(d)-uimageHeaderSize) {
			binary.BigEndian.PutUint32(d[uhDCRC:], crc32.ChecksumIEEE(d[uimageHeaderSize:uimageHeaderSize+size]))
		}
		binary.BigEndian.PutUint32(d[uhHCRC:], 0)
		binary.BigEndian.PutUint32(d[uhHCRC:], crc32.ChecksumIEEE(d[:uimageHeaderSize]))
		check(d)
	})
}

func FuzzDetect(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte(elfMagic))
	f.Add(makeZImage(0x30, 0, 0x30, 0))
	f.Add(makeUImage(uimageSpec{typ: 2, arch: 2}))
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := Detect(data)
		if err != nil {
			return
		}
		// Whatever Detect says, the matching parser must not panic.
		switch k {
		case KindELF:
			_, _ = ParseELF(data)
		case KindUImage:
			_, _ = ParseUImage(data)
		case KindZImage:
			_, _ = ParseZImage(data)
		}
	})
}

// FuzzELFProgramHeaders fuzzes the program header table and file body
// behind a valid ELF header, which random bytes rarely get past.
func FuzzELFProgramHeaders(f *testing.F) {
	f.Add(uint32(0x8001), uint16(1), binaryProgs(load(elfBodyOff, 0x40000000, 16, 32)), make([]byte, 16))
	f.Add(uint32(0), uint16(2), binaryProgs(load(elfBodyOff, 0, 8, 8), load(elfBodyOff, 4, 8, 8)), make([]byte, 16))
	f.Add(uint32(0), uint16(1), binaryProgs(load(0xffffffff, 0xfffffff0, 0xffffffff, 0x10)), []byte{})
	f.Fuzz(func(t *testing.T, entry uint32, phnum uint16, phdrs, body []byte) {
		data := makeELF(t, nil, nil, func(h *elf.Header32) {
			h.Entry = entry
			h.Phnum = phnum % 8
		})
		data = append(data[:52], phdrs...)
		data = append(data, body...)
		img, err := ParseELF(data)
		if err != nil {
			return
		}
		for _, s := range img.Segments {
			if uint64(len(s.Data)) > s.MemSize || s.End() > addrLimit {
				t.Fatalf("bad segment addr %#x len %d memsz %#x", s.Addr, len(s.Data), s.MemSize)
			}
		}
		if err := checkOverlap(img.Segments); err != nil {
			t.Fatalf("accepted overlapping segments: %v", err)
		}
	})
}

func binaryProgs(progs ...elf.Prog32) []byte {
	var b []byte
	for _, p := range progs {
		b, _ = binary.Append(b, binary.LittleEndian, p)
	}
	return b
}
