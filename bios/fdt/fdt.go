// Package fdt builds, encodes and decodes Flattened Device Trees (the DTB
// format of the Devicetree Specification v0.4, chapter 5, version 17).
//
// A board builds a tree of Nodes with typed setters, then Marshal turns
// it into a blob for the guest. Unmarshal reads a user's --dtb (or a blob
// a test captured) back into the same tree, refusing malformed blobs with
// an error instead of panicking or looping.
package fdt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

// Property is a name and its raw big-endian value (§2.2.4).
type Property struct {
	Name  string
	Value []byte
}

// Node is a device tree node (§2.2). The root node's Name is "".
// Properties and children keep their insertion order, which is the order
// they are encoded in.
type Node struct {
	Name     string
	Props    []Property
	Children []*Node
}

// Reservation is a memory reservation block entry (§5.3): physical memory
// the guest OS must not use.
type Reservation struct {
	Address, Size uint64
}

// Tree is a whole blob: the root node plus the header fields and memory
// reservations that live outside it.
type Tree struct {
	Root          *Node
	Reserved      []Reservation
	BootCPUIDPhys uint32 // header boot_cpuid_phys: reg of the boot CPU node
}

// NewNode returns an empty node called name.
func NewNode(name string) *Node { return &Node{Name: name} }

// AddChild appends a new, empty child called name to n and returns it.
// It does not check for an existing child of that name: Marshal refuses
// duplicate names.
func (n *Node) AddChild(name string) *Node {
	c := NewNode(name)
	n.Children = append(n.Children, c)
	return c
}

// Child returns n's child called name, or nil. name matches a child's full
// name ("memory@40000000"), or, when it has no unit address, a child's name
// before the '@' ("memory") as §2.2.3 allows for path lookups.
func (n *Node) Child(name string) *Node {
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
	}
	if strings.Contains(name, "@") {
		return nil
	}
	for _, c := range n.Children {
		if base, _, ok := strings.Cut(c.Name, "@"); ok && base == name {
			return c
		}
	}
	return nil
}

// Find returns the node at path ("/", "/cpus/cpu@0", "/memory"), looking
// from n as the root, or nil if there is none.
func (n *Node) Find(path string) *Node {
	if !strings.HasPrefix(path, "/") {
		return nil
	}
	cur := n
	for _, part := range strings.Split(path, "/") {
		if part == "" {
			continue
		}
		if cur = cur.Child(part); cur == nil {
			return nil
		}
	}
	return cur
}

// Prop returns n's property called name, or nil. The pointer stays valid
// until the next Set or Delete on n.
func (n *Node) Prop(name string) *Property {
	for i := range n.Props {
		if n.Props[i].Name == name {
			return &n.Props[i]
		}
	}
	return nil
}

// Has reports whether n has a property called name.
func (n *Node) Has(name string) bool { return n.Prop(name) != nil }

// Set sets property name to value, replacing an existing value in place
// (keeping its position) or appending a new property.
func (n *Node) Set(name string, value []byte) {
	if p := n.Prop(name); p != nil {
		p.Value = value
		return
	}
	n.Props = append(n.Props, Property{Name: name, Value: value})
}

// Delete removes property name from n, reporting whether it was there.
func (n *Node) Delete(name string) bool {
	for i := range n.Props {
		if n.Props[i].Name == name {
			n.Props = append(n.Props[:i], n.Props[i+1:]...)
			return true
		}
	}
	return false
}

// SetEmpty sets a property with no value, a boolean flag such as
// "interrupt-controller".
func (n *Node) SetEmpty(name string) { n.Set(name, []byte{}) }

// SetU32 sets a one-cell property.
func (n *Node) SetU32(name string, v uint32) { n.SetCells(name, v) }

// SetU64 sets a two-cell property, most significant cell first.
func (n *Node) SetU64(name string, v uint64) { n.SetCells(name, uint32(v>>32), uint32(v)) }

// SetCells sets a property to a list of 32-bit cells (a prop-encoded-array,
// such as reg or interrupts). A phandle reference is just a cell.
func (n *Node) SetCells(name string, cells ...uint32) {
	b := make([]byte, 4*len(cells))
	for i, c := range cells {
		binary.BigEndian.PutUint32(b[4*i:], c)
	}
	n.Set(name, b)
}

// SetString sets a NUL-terminated string property.
func (n *Node) SetString(name, s string) { n.SetStrings(name, s) }

// SetStrings sets a string list (stringlist, §2.2.4.2), such as
// compatible.
func (n *Node) SetStrings(name string, list ...string) {
	size := 0
	for _, s := range list {
		size += len(s) + 1
	}
	b := make([]byte, 0, size)
	for _, s := range list {
		b = append(b, s...)
		b = append(b, 0)
	}
	n.Set(name, b)
}

// SetBytes sets a property to a copy of b.
func (n *Node) SetBytes(name string, b []byte) { n.Set(name, append([]byte{}, b...)) }

// SetPhandle gives n the phandle ph (§2.3.3) so other nodes can refer to
// it with a cell holding ph.
func (n *Node) SetPhandle(ph uint32) { n.SetU32("phandle", ph) }

// Phandle returns n's phandle, if it has one.
func (n *Node) Phandle() (uint32, bool) {
	v, err := n.GetU32("phandle")
	return v, err == nil
}

// MaxPhandle returns the largest phandle in n's subtree (0 if none), so a
// builder patching a user's tree can hand out MaxPhandle()+1.
func (n *Node) MaxPhandle() uint32 {
	var max uint32
	walk(n, 0, func(m *Node) {
		if ph, ok := m.Phandle(); ok && ph > max && ph != 0xffffffff {
			max = ph
		}
	})
	return max
}

// walk visits n's subtree depth first, stopping at maxDepth so a tree
// with a cycle cannot hang it.
func walk(n *Node, depth int, fn func(*Node)) {
	if depth > maxDepth {
		return
	}
	fn(n)
	for _, c := range n.Children {
		walk(c, depth+1, fn)
	}
}

// ErrNoProperty is returned (wrapped) by the typed getters when a node
// lacks the property.
var ErrNoProperty = errors.New("no such property")

func (n *Node) get(name string) ([]byte, error) {
	p := n.Prop(name)
	if p == nil {
		return nil, fmt.Errorf("%s: %w", name, ErrNoProperty)
	}
	return p.Value, nil
}

// GetU32 returns a one-cell property's value.
func (n *Node) GetU32(name string) (uint32, error) {
	v, err := n.get(name)
	if err != nil {
		return 0, err
	}
	if len(v) != 4 {
		return 0, fmt.Errorf("property %s is %d bytes, not a 32-bit cell", name, len(v))
	}
	return binary.BigEndian.Uint32(v), nil
}

// GetU64 returns a two-cell property's value.
func (n *Node) GetU64(name string) (uint64, error) {
	v, err := n.get(name)
	if err != nil {
		return 0, err
	}
	if len(v) != 8 {
		return 0, fmt.Errorf("property %s is %d bytes, not a 64-bit value", name, len(v))
	}
	return binary.BigEndian.Uint64(v), nil
}

// GetCells returns a property as a list of 32-bit cells.
func (n *Node) GetCells(name string) ([]uint32, error) {
	v, err := n.get(name)
	if err != nil {
		return nil, err
	}
	if len(v)%4 != 0 {
		return nil, fmt.Errorf("property %s is %d bytes, not a whole number of cells", name, len(v))
	}
	cells := make([]uint32, len(v)/4)
	for i := range cells {
		cells[i] = binary.BigEndian.Uint32(v[4*i:])
	}
	return cells, nil
}

// GetString returns a single-string property.
func (n *Node) GetString(name string) (string, error) {
	list, err := n.GetStrings(name)
	if err != nil {
		return "", err
	}
	if len(list) != 1 {
		return "", fmt.Errorf("property %s holds %d strings, not one", name, len(list))
	}
	return list[0], nil
}

// GetStrings returns a string-list property.
func (n *Node) GetStrings(name string) ([]string, error) {
	v, err := n.get(name)
	if err != nil {
		return nil, err
	}
	if len(v) == 0 || v[len(v)-1] != 0 {
		return nil, fmt.Errorf("property %s is not a NUL-terminated string list", name)
	}
	return strings.Split(string(v[:len(v)-1]), "\x00"), nil
}
