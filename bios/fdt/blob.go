package fdt

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"
)

// Blob layout (Devicetree Specification v0.4, chapter 5). Every header
// field and token is a big-endian 32-bit word.
const (
	magic = 0xd00dfeed

	headerSize = 40 // ten words, §5.2

	hMagic           = 0
	hTotalSize       = 4
	hOffDtStruct     = 8
	hOffDtStrings    = 12
	hOffMemRsvmap    = 16
	hVersion         = 20
	hLastCompVersion = 24
	hBootCPUIDPhys   = 28
	hSizeDtStrings   = 32
	hSizeDtStruct    = 36

	version         = 17 // what Marshal writes
	lastCompVersion = 16 // §5.2: version 17 is backwards compatible with 16

	// Structure block tokens (§5.4.1).
	tokBeginNode = 0x1
	tokEndNode   = 0x2
	tokProp      = 0x3
	tokNop       = 0x4
	tokEnd       = 0x9

	rsvEntrySize = 16 // two 64-bit words, §5.3.2
)

// maxDepth bounds node nesting in both directions: Unmarshal refuses
// deeper blobs and Marshal deeper (or cyclic) trees. Real trees are well
// under ten levels deep.
const maxDepth = 64

func align4(n int) int { return (n + 3) &^ 3 }

// Marshal encodes a tree whose root is n, with no memory reservations and
// boot CPU 0.
func (n *Node) Marshal() ([]byte, error) {
	return (&Tree{Root: n}).Marshal()
}

// Marshal encodes t as a version 17 blob: header, memory reservation
// block, structure block, strings block (with each property name stored
// once), in that order, as dtc lays them out.
func (t *Tree) Marshal() ([]byte, error) {
	if t.Root == nil {
		return nil, errors.New("device tree has no root node")
	}
	if t.Root.Name != "" {
		return nil, fmt.Errorf("root node must have an empty name, not %q", t.Root.Name)
	}
	e := encoder{strOff: map[string]uint32{}}
	if err := e.node(t.Root, "", 0); err != nil {
		return nil, err
	}
	e.word(tokEnd)

	offRsv := headerSize // already 8-byte aligned, as §5.3.1 requires
	offStruct := offRsv + rsvEntrySize*(len(t.Reserved)+1)
	offStrings := offStruct + len(e.st)
	total := offStrings + len(e.strs)
	if uint64(total) > math.MaxUint32 {
		return nil, fmt.Errorf("device tree blob would be %d bytes; the format's limit is 4 GiB", total)
	}

	out := make([]byte, total)
	be := binary.BigEndian
	be.PutUint32(out[hMagic:], magic)
	be.PutUint32(out[hTotalSize:], uint32(total))
	be.PutUint32(out[hOffDtStruct:], uint32(offStruct))
	be.PutUint32(out[hOffDtStrings:], uint32(offStrings))
	be.PutUint32(out[hOffMemRsvmap:], uint32(offRsv))
	be.PutUint32(out[hVersion:], version)
	be.PutUint32(out[hLastCompVersion:], lastCompVersion)
	be.PutUint32(out[hBootCPUIDPhys:], t.BootCPUIDPhys)
	be.PutUint32(out[hSizeDtStrings:], uint32(len(e.strs)))
	be.PutUint32(out[hSizeDtStruct:], uint32(len(e.st)))
	for i, r := range t.Reserved {
		be.PutUint64(out[offRsv+rsvEntrySize*i:], r.Address)
		be.PutUint64(out[offRsv+rsvEntrySize*i+8:], r.Size)
	}
	// The terminating all-zero entry is already zero.
	copy(out[offStruct:], e.st)
	copy(out[offStrings:], e.strs)
	return out, nil
}

type encoder struct {
	st     []byte            // structure block
	strs   []byte            // strings block
	strOff map[string]uint32 // property name -> offset in strs
}

func (e *encoder) word(v uint32) { e.st = binary.BigEndian.AppendUint32(e.st, v) }

func (e *encoder) pad() {
	for len(e.st)%4 != 0 {
		e.st = append(e.st, 0)
	}
}

// node encodes n; path is n's full path, for error messages.
func (e *encoder) node(n *Node, path string, depth int) error {
	if depth >= maxDepth {
		return fmt.Errorf("device tree is nested more than %d levels deep at %s (is a node its own descendant?)", maxDepth, path)
	}
	shown := path
	if shown == "" {
		shown = "/"
	}
	e.word(tokBeginNode)
	e.st = append(e.st, n.Name...)
	e.st = append(e.st, 0)
	e.pad()
	seen := make(map[string]bool, len(n.Props))
	for _, p := range n.Props {
		if err := checkPropName(p.Name); err != nil {
			return fmt.Errorf("node %s: %w", shown, err)
		}
		if seen[p.Name] {
			return fmt.Errorf("node %s: duplicate property %q", shown, p.Name)
		}
		seen[p.Name] = true
		if uint64(len(p.Value)) > math.MaxUint32 {
			return fmt.Errorf("node %s: property %s is too large", shown, p.Name)
		}
		off, ok := e.strOff[p.Name]
		if !ok {
			off = uint32(len(e.strs))
			e.strOff[p.Name] = off
			e.strs = append(e.strs, p.Name...)
			e.strs = append(e.strs, 0)
		}
		e.word(tokProp)
		e.word(uint32(len(p.Value)))
		e.word(off)
		e.st = append(e.st, p.Value...)
		e.pad()
	}
	names := make(map[string]bool, len(n.Children))
	for _, c := range n.Children {
		if c == nil {
			return fmt.Errorf("node %s: nil child", shown)
		}
		if err := checkNodeName(c.Name); err != nil {
			return fmt.Errorf("node %s: %w", shown, err)
		}
		if names[c.Name] {
			return fmt.Errorf("node %s: duplicate child node %q", shown, c.Name)
		}
		names[c.Name] = true
		if err := e.node(c, path+"/"+c.Name, depth+1); err != nil {
			return err
		}
	}
	e.word(tokEndNode)
	return nil
}

// checkNodeName applies §2.2.1: node-name[@unit-address], both parts from
// the node name character set, the node-name part starting with a letter
// and at most 31 characters.
func checkNodeName(name string) error {
	base, unit, hasUnit := strings.Cut(name, "@")
	switch {
	case base == "":
		return fmt.Errorf("child node name %q is empty before the unit address", name)
	case len(base) > 31:
		return fmt.Errorf("node name %q is longer than 31 characters", name)
	case !isLetter(base[0]):
		return fmt.Errorf("node name %q does not start with a letter", name)
	case hasUnit && unit == "":
		return fmt.Errorf("node name %q has an empty unit address", name)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isNodeChar(c) && !(c == '@' && i == len(base)) {
			return fmt.Errorf("node name %q contains %q, which is not allowed", name, c)
		}
	}
	return nil
}

// checkPropName applies §2.2.4.1: 1 to 31 characters from the property
// name character set.
func checkPropName(name string) error {
	if name == "" {
		return errors.New("property name is empty")
	}
	if len(name) > 31 {
		return fmt.Errorf("property name %q is longer than 31 characters", name)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isNodeChar(c) && c != '?' && c != '#' {
			return fmt.Errorf("property name %q contains %q, which is not allowed", name, c)
		}
	}
	return nil
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isNodeChar(c byte) bool {
	return isLetter(c) || '0' <= c && c <= '9' || c == ',' || c == '.' || c == '_' || c == '+' || c == '-'
}

// Unmarshal decodes a blob and returns its root node.
func Unmarshal(blob []byte) (*Node, error) {
	t, err := UnmarshalTree(blob)
	if err != nil {
		return nil, err
	}
	return t.Root, nil
}

// UnmarshalTree decodes a version 16 or 17 blob. Bytes after the header's
// totalsize are ignored. The tree does not share memory with blob.
func UnmarshalTree(blob []byte) (*Tree, error) {
	if len(blob) < headerSize {
		return nil, fmt.Errorf("not a device tree blob: %d bytes is shorter than the %d-byte header", len(blob), headerSize)
	}
	be := binary.BigEndian
	word := func(off int) uint32 { return be.Uint32(blob[off:]) }
	if m := word(hMagic); m != magic {
		return nil, fmt.Errorf("not a device tree blob (magic %#08x, want 0xd00dfeed)", m)
	}
	total := uint64(word(hTotalSize))
	if total < headerSize {
		return nil, fmt.Errorf("corrupt device tree blob: total size %d is smaller than the header", total)
	}
	if total > uint64(len(blob)) {
		return nil, fmt.Errorf("truncated device tree blob: header says %d bytes, file has %d", total, len(blob))
	}
	blob = blob[:total]
	ver, comp := word(hVersion), word(hLastCompVersion)
	if ver < 16 {
		return nil, fmt.Errorf("device tree blob version %d is too old (need 16 or later); recompile it with a current dtc", ver)
	}
	if comp > version {
		return nil, fmt.Errorf("device tree blob version %d (compatible back to %d) is newer than version %d", ver, comp, version)
	}

	offStruct := uint64(word(hOffDtStruct))
	sizeStruct := total - min(offStruct, total) // version 16 has no size_dt_struct
	if ver >= 17 {
		sizeStruct = uint64(word(hSizeDtStruct))
	}
	structBlk, err := block(blob, "structure", offStruct, sizeStruct, 4)
	if err != nil {
		return nil, err
	}
	stringsBlk, err := block(blob, "strings", uint64(word(hOffDtStrings)), uint64(word(hSizeDtStrings)), 1)
	if err != nil {
		return nil, err
	}
	rsv, err := block(blob, "memory reservation", uint64(word(hOffMemRsvmap)), total-min(uint64(word(hOffMemRsvmap)), total), 8)
	if err != nil {
		return nil, err
	}

	t := &Tree{BootCPUIDPhys: word(hBootCPUIDPhys)}
	for off := 0; ; off += rsvEntrySize {
		if off+rsvEntrySize > len(rsv) {
			return nil, errors.New("corrupt device tree blob: memory reservation block has no terminating entry")
		}
		r := Reservation{Address: be.Uint64(rsv[off:]), Size: be.Uint64(rsv[off+8:])}
		if r == (Reservation{}) {
			break
		}
		t.Reserved = append(t.Reserved, r)
	}

	if t.Root, err = parseStruct(structBlk, stringsBlk); err != nil {
		return nil, fmt.Errorf("corrupt device tree blob: %w", err)
	}
	return t, nil
}

// block returns blob[off:off+size] after checking that it lies past the
// header, inside the blob and is aligned.
func block(blob []byte, what string, off, size uint64, align uint64) ([]byte, error) {
	if off < headerSize || off > uint64(len(blob)) || size > uint64(len(blob))-off {
		return nil, fmt.Errorf("corrupt device tree blob: %s block [%#x, +%#x) is outside the blob (%d bytes)", what, off, size, len(blob))
	}
	if off%align != 0 {
		return nil, fmt.Errorf("corrupt device tree blob: %s block offset %#x is not %d-byte aligned", what, off, align)
	}
	return blob[off : off+size : off+size], nil
}

// parseStruct walks the structure block token by token. Every step
// consumes at least one word, so it ends on any input.
func parseStruct(st, strs []byte) (*Node, error) {
	be := binary.BigEndian
	var (
		root  *Node
		stack []*Node
		pos   int
	)
	for {
		if pos+4 > len(st) {
			return nil, fmt.Errorf("structure block ends at %#x without FDT_END", len(st))
		}
		at := pos
		tok := be.Uint32(st[pos:])
		pos += 4
		switch tok {
		case tokNop:
		case tokBeginNode:
			i := bytes.IndexByte(st[pos:], 0)
			if i < 0 {
				return nil, fmt.Errorf("unterminated node name at structure offset %#x", pos)
			}
			name := string(st[pos : pos+i])
			pos = align4(pos + i + 1)
			n := &Node{Name: name}
			switch {
			case root == nil:
				if name != "" {
					return nil, fmt.Errorf("root node is named %q; it must have an empty name", name)
				}
				root = n
			case len(stack) == 0:
				return nil, fmt.Errorf("second root node at structure offset %#x", at)
			default:
				if name == "" || strings.Contains(name, "/") {
					return nil, fmt.Errorf("bad node name %q at structure offset %#x", name, at)
				}
				if len(stack) >= maxDepth {
					return nil, fmt.Errorf("nodes nested more than %d levels deep at structure offset %#x", maxDepth, at)
				}
				parent := stack[len(stack)-1]
				parent.Children = append(parent.Children, n)
			}
			stack = append(stack, n)
		case tokEndNode:
			if len(stack) == 0 {
				return nil, fmt.Errorf("FDT_END_NODE outside any node at structure offset %#x", at)
			}
			stack = stack[:len(stack)-1]
		case tokProp:
			if len(stack) == 0 {
				return nil, fmt.Errorf("property outside any node at structure offset %#x", at)
			}
			n := stack[len(stack)-1]
			if len(n.Children) > 0 {
				return nil, fmt.Errorf("property after child nodes in %q at structure offset %#x", n.Name, at)
			}
			if pos+8 > len(st) {
				return nil, fmt.Errorf("truncated property at structure offset %#x", at)
			}
			size := uint64(be.Uint32(st[pos:]))
			nameOff := uint64(be.Uint32(st[pos+4:]))
			pos += 8
			if size > uint64(len(st)-pos) {
				return nil, fmt.Errorf("property at structure offset %#x: %d-byte value runs past the end of the structure block", at, size)
			}
			if nameOff >= uint64(len(strs)) {
				return nil, fmt.Errorf("property at structure offset %#x: name offset %#x is outside the %d-byte strings block", at, nameOff, len(strs))
			}
			i := bytes.IndexByte(strs[nameOff:], 0)
			if i < 0 {
				return nil, fmt.Errorf("property at structure offset %#x: unterminated name in the strings block", at)
			}
			n.Props = append(n.Props, Property{
				Name:  string(strs[nameOff : nameOff+uint64(i)]),
				Value: append([]byte{}, st[pos:pos+int(size)]...),
			})
			pos = align4(pos + int(size))
		case tokEnd:
			switch {
			case root == nil:
				return nil, errors.New("structure block has no root node")
			case len(stack) > 0:
				return nil, fmt.Errorf("FDT_END at structure offset %#x inside node %q", at, stack[len(stack)-1].Name)
			}
			return root, nil
		default:
			return nil, fmt.Errorf("unknown token %#x at structure offset %#x", tok, at)
		}
	}
}
