package image

import (
	"bytes"
	"cmp"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
)

// Intel HEX (Intel, "Hexadecimal Object File Format Specification",
// revision A, 1988): text lines ":LLAAAATT<data>CC", where LL is the
// data length, AAAA the 16-bit offset, TT the record type and CC the
// two's-complement checksum of all the other bytes. Microcontroller
// toolchains (objcopy -O ihex, Keil, IAR) emit it for flash images.

// Record types.
const (
	ihexData          = 0x00
	ihexEOF           = 0x01
	ihexExtSegment    = 0x02 // bits 4..19 of the address: base = value << 4
	ihexStartSegment  = 0x03 // CS:IP start address (x86); kept as CS<<4+IP
	ihexExtLinear     = 0x04 // bits 16..31 of the address
	ihexStartLinear   = 0x05 // 32-bit start address (EIP)
	ihexMaxLineLength = 1 + 2*(1+2+1+255+1)
)

// IHex is a parsed Intel HEX file.
type IHex struct {
	// Segments are the data records merged into runs of consecutive
	// addresses, in address order. Their Data is freshly allocated.
	Segments []Segment
	// Entry is the start address record's value, when HasEntry (for a
	// Cortex-M image it is the reset handler's address, bit 0 set; the
	// hardware ignores it and uses the vector table, and so does Mimic).
	Entry    uint64
	HasEntry bool
}

// ErrNotIHex is returned (wrapped) by ParseIHex for a file that does not
// start with an Intel HEX record.
var ErrNotIHex = errors.New("not an Intel HEX file")

// looksLikeIHex reports whether data starts as an Intel HEX file does:
// a colon and hex digits (after an optional byte-order mark or blank
// lines, which some Windows tools write).
func looksLikeIHex(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	data = bytes.TrimLeft(data, "\r\n")
	if len(data) < 11 || data[0] != ':' {
		return false
	}
	for _, c := range data[1:11] {
		if !isHexDigit(c) {
			return false
		}
	}
	return true
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// ParseIHex parses an Intel HEX file: every record's checksum is checked,
// an end-of-file record is required, and overlapping data records are an
// error (they would make the image depend on record order).
func ParseIHex(data []byte) (*IHex, error) {
	if !looksLikeIHex(data) {
		return nil, ErrNotIHex
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	img := &IHex{}
	var base uint64 // from the extended address records
	var chunks []Segment
	seenEOF := false
	for n, line := range bytes.Split(data, []byte("\n")) {
		lineNo := n + 1
		line = bytes.TrimRight(line, "\r \t")
		if len(line) == 0 {
			continue
		}
		if seenEOF {
			return nil, fmt.Errorf("line %d: data after the end-of-file record", lineNo)
		}
		if line[0] != ':' {
			return nil, fmt.Errorf("line %d: a record must start with ':'", lineNo)
		}
		if len(line) > ihexMaxLineLength || len(line)%2 == 0 {
			return nil, fmt.Errorf("line %d: malformed record (length %d)", lineNo, len(line))
		}
		rec := make([]byte, (len(line)-1)/2)
		if _, err := hex.Decode(rec, line[1:]); err != nil {
			return nil, fmt.Errorf("line %d: not hexadecimal: %v", lineNo, err)
		}
		if len(rec) < 5 || int(rec[0]) != len(rec)-5 {
			return nil, fmt.Errorf("line %d: the record's length byte does not match its size", lineNo)
		}
		var sum byte
		for _, b := range rec {
			sum += b
		}
		if sum != 0 {
			return nil, fmt.Errorf("line %d: checksum mismatch", lineNo)
		}
		off := uint64(rec[1])<<8 | uint64(rec[2])
		payload := rec[4 : len(rec)-1]
		switch typ := rec[3]; typ {
		case ihexData:
			if len(payload) == 0 {
				continue
			}
			addr := base + off
			if addr+uint64(len(payload)) > addrLimit {
				return nil, fmt.Errorf("line %d: data at %#x runs past 4 GiB", lineNo, addr)
			}
			chunks = append(chunks, Segment{Addr: addr, Data: payload, MemSize: uint64(len(payload))})
		case ihexEOF:
			seenEOF = true
		case ihexExtSegment, ihexExtLinear:
			if len(payload) != 2 {
				return nil, fmt.Errorf("line %d: an extended address record has 2 data bytes, not %d", lineNo, len(payload))
			}
			v := uint64(payload[0])<<8 | uint64(payload[1])
			if typ == ihexExtSegment {
				base = v << 4
			} else {
				base = v << 16
			}
		case ihexStartSegment, ihexStartLinear:
			if len(payload) != 4 {
				return nil, fmt.Errorf("line %d: a start address record has 4 data bytes, not %d", lineNo, len(payload))
			}
			v := uint64(payload[0])<<24 | uint64(payload[1])<<16 | uint64(payload[2])<<8 | uint64(payload[3])
			if typ == ihexStartSegment {
				v = (v>>16)<<4 + v&0xffff
			}
			img.Entry, img.HasEntry = v, true
		default:
			return nil, fmt.Errorf("line %d: unknown record type %#02x", lineNo, typ)
		}
	}
	if !seenEOF {
		return nil, errors.New("no end-of-file record (truncated file?)")
	}
	segs, err := mergeChunks(chunks)
	if err != nil {
		return nil, err
	}
	if len(segs) == 0 {
		return nil, errors.New("no data records")
	}
	img.Segments = segs
	return img, nil
}

// mergeChunks sorts the data records by address, refuses overlaps and
// joins adjacent ones into segments with data of their own.
func mergeChunks(chunks []Segment) ([]Segment, error) {
	sortSegments(chunks)
	var out []Segment
	for _, c := range chunks {
		if n := len(out); n > 0 {
			last := &out[n-1]
			switch {
			case c.Addr < last.End():
				return nil, fmt.Errorf("data records overlap at %#x", c.Addr)
			case c.Addr == last.End():
				last.Data = append(last.Data, c.Data...)
				last.MemSize += c.MemSize
				continue
			}
		}
		out = append(out, Segment{Addr: c.Addr, Data: append([]byte(nil), c.Data...), MemSize: c.MemSize})
	}
	return out, nil
}

// sortSegments sorts by address, keeping equal addresses in file order
// (so the overlap error names the second record).
func sortSegments(s []Segment) {
	slices.SortStableFunc(s, func(a, b Segment) int { return cmp.Compare(a.Addr, b.Addr) })
}
