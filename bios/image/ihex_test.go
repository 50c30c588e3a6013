package image

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseIHexMatchesELF parses testdata/hello-thumb.hex, which
// arm-none-eabi-objcopy -O ihex made from testdata/hello-thumb.elf: the
// HEX file holds the ELF's loadable bytes at the same addresses (its
// .bss is not in it) and its entry point.
func TestParseIHexMatchesELF(t *testing.T) {
	elfData, err := os.ReadFile("testdata/hello-thumb.elf")
	if err != nil {
		t.Fatal(err)
	}
	hexData, err := os.ReadFile("testdata/hello-thumb.hex")
	if err != nil {
		t.Fatal(err)
	}
	if k, _ := Detect(hexData); k != KindIHex {
		t.Fatalf("Detect: %v, want %v", k, KindIHex)
	}
	e, err := ParseELF(elfData)
	if err != nil {
		t.Fatal(err)
	}
	h, err := ParseIHex(hexData)
	if err != nil {
		t.Fatal(err)
	}
	// objcopy writes sections, so the padding between two sections of a
	// segment may be missing: every HEX byte must be the ELF's, and every
	// non-zero byte of the ELF must be in the HEX.
	elfBytes, hexBytes := map[uint64]byte{}, map[uint64]byte{}
	for _, s := range e.Segments {
		for i, b := range s.Data {
			elfBytes[s.Addr+uint64(i)] = b
		}
	}
	for _, s := range h.Segments {
		for i, b := range s.Data {
			hexBytes[s.Addr+uint64(i)] = b
		}
	}
	for a, b := range hexBytes {
		if eb, ok := elfBytes[a]; !ok || eb != b {
			t.Fatalf("HEX byte %#02x at %#x; the ELF has %#02x (present %v)", b, a, eb, ok)
		}
	}
	for a, b := range elfBytes {
		if _, ok := hexBytes[a]; !ok && b != 0 {
			t.Fatalf("the ELF's byte %#02x at %#x is not in the HEX file", b, a)
		}
	}
	if len(hexBytes) < len(elfBytes)*9/10 {
		t.Errorf("the HEX file has %d bytes, the ELF %d", len(hexBytes), len(elfBytes))
	}
	entry := e.Entry
	if e.Thumb {
		entry |= 1
	}
	if !h.HasEntry || h.Entry != entry {
		t.Errorf("entry %#x (present %v), the ELF's is %#x", h.Entry, h.HasEntry, entry)
	}
}

// ihexRecord builds one record with its checksum.
func ihexRecord(typ byte, addr uint16, data ...byte) string {
	rec := append([]byte{byte(len(data)), byte(addr >> 8), byte(addr), typ}, data...)
	var sum byte
	for _, b := range rec {
		sum += b
	}
	rec = append(rec, -sum)
	return ":" + strings.ToUpper(hexString(rec))
}

func hexString(b []byte) string {
	const digits = "0123456789abcdef"
	var s strings.Builder
	for _, c := range b {
		s.WriteByte(digits[c>>4])
		s.WriteByte(digits[c&15])
	}
	return s.String()
}

func TestParseIHex(t *testing.T) {
	eof := ihexRecord(ihexEOF, 0)
	for _, c := range []struct {
		name  string
		lines []string
		want  *IHex
		err   string
	}{
		{
			name: "segments merge, addresses extend, CRLF",
			lines: []string{
				ihexRecord(ihexData, 0x0010, 5, 6),
				ihexRecord(ihexData, 0x0000, 1, 2, 3, 4),
				ihexRecord(ihexData, 0x0004, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9),
				ihexRecord(ihexExtLinear, 0, 0x20, 0x00),
				ihexRecord(ihexData, 0x0100, 0xaa),
				ihexRecord(ihexExtSegment, 0, 0x10, 0x00),
				ihexRecord(ihexData, 0x0002, 0xbb),
				ihexRecord(ihexStartLinear, 0, 0x00, 0x00, 0x01, 0x01),
				eof,
			},
			want: &IHex{Segments: []Segment{
				{Addr: 0, Data: []byte{1, 2, 3, 4, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 5, 6}, MemSize: 18},
				{Addr: 0x10002, Data: []byte{0xbb}, MemSize: 1},
				{Addr: 0x20000100, Data: []byte{0xaa}, MemSize: 1},
			}, Entry: 0x101, HasEntry: true},
		},
		{
			name:  "start segment address",
			lines: []string{ihexRecord(ihexData, 0, 1), ihexRecord(ihexStartSegment, 0, 0x12, 0x34, 0x00, 0x05), eof},
			want:  &IHex{Segments: []Segment{{Addr: 0, Data: []byte{1}, MemSize: 1}}, Entry: 0x12345, HasEntry: true},
		},
		{name: "bad checksum", lines: []string{":0100000001FF", eof}, err: "line 1: checksum mismatch"},
		{name: "no EOF", lines: []string{ihexRecord(ihexData, 0, 1)}, err: "no end-of-file record"},
		{name: "after EOF", lines: []string{ihexRecord(ihexData, 0, 1), eof, ihexRecord(ihexData, 1, 1)}, err: "line 3: data after the end-of-file record"},
		{name: "overlap", lines: []string{ihexRecord(ihexData, 0, 1, 2), ihexRecord(ihexData, 1, 3), eof}, err: "data records overlap at 0x1"},
		{name: "unknown type", lines: []string{ihexRecord(7, 0), eof}, err: "line 1: unknown record type"},
		{name: "length byte", lines: []string{":0200000001FD", eof}, err: "line 1: the record's length byte"},
		{name: "odd digits", lines: []string{":01000000011", eof}, err: "line 1: malformed record"},
		{name: "not hex", lines: []string{":0100000001FZ", eof}, err: "line 1: not hexadecimal"},
		{name: "no colon", lines: []string{ihexRecord(ihexData, 0, 1), "x", eof}, err: "line 2: a record must start with ':'"},
		{name: "no data", lines: []string{eof}, err: "no data records"},
		{name: "past 4 GiB", lines: []string{ihexRecord(ihexExtLinear, 0, 0xff, 0xff), ihexRecord(ihexData, 0xffff, 1, 2), eof}, err: "runs past 4 GiB"},
		{name: "bad extended record", lines: []string{ihexRecord(ihexExtLinear, 0, 1), eof}, err: "an extended address record has 2 data bytes"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseIHex([]byte(strings.Join(c.lines, "\r\n") + "\r\n"))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want one containing %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if _, err := ParseIHex([]byte("hello")); err != ErrNotIHex {
		t.Errorf("plain text: %v, want ErrNotIHex", err)
	}
}

func FuzzParseIHex(f *testing.F) {
	data, err := os.ReadFile("testdata/hello-thumb.hex")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data[:2000])
	f.Add([]byte(ihexRecord(ihexData, 0, 1) + "\n" + ihexRecord(ihexEOF, 0) + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := ParseIHex(data)
		if err != nil {
			return
		}
		for i, s := range h.Segments {
			if uint64(len(s.Data)) != s.MemSize || s.MemSize == 0 || s.End() > addrLimit {
				t.Fatalf("bad segment %#x len %d", s.Addr, len(s.Data))
			}
			if i > 0 && s.Addr <= h.Segments[i-1].End() {
				t.Fatalf("segments not sorted and apart: %#x after %#x", s.Addr, h.Segments[i-1].End())
			}
			if bytes.Equal(s.Data, nil) {
				t.Fatal("empty data")
			}
		}
	})
}
