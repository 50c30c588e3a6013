package boot

import (
	"encoding/binary"
	"fmt"
	"strings"

	"mimic/bios/fdt"
)

// PatchDT writes the boot information into a device tree, as QEMU 7.2's
// arm_load_dtb does for both its own tree and a user's --dtb:
//
//   - every /memory and /memory@... node is removed and one
//     memory@<base> node with device_type "memory" and reg sized by the
//     root's #address-cells and #size-cells describes RAM;
//   - /chosen is created if missing; bootargs is set when cmdline is not
//     empty; linux,initrd-start and linux,initrd-end (one cell each) are
//     set when there is an initrd.
//
// New nodes and properties go first, as libfdt inserts them, so patching
// QEMU-ordered tree gives QEMU's blob order. The PSCI node is the board's
// business (psci.AddNode). A tree whose root
// lacks #address-cells or #size-cells, or has either zero, is refused, as
// is a RAM size that #size-cells cannot express.
func (b *Boot) PatchDT(root *fdt.Node, cmdline string) error {
	acells, err := root.GetU32("#address-cells")
	if err != nil || acells == 0 || acells > 2 {
		return imageErr("device tree: the root node needs #address-cells of 1 or 2 (%v)", cellsErr(acells, err))
	}
	scells, err := root.GetU32("#size-cells")
	if err != nil || scells == 0 || scells > 2 {
		return imageErr("device tree: the root node needs #size-cells of 1 or 2 (%v)", cellsErr(scells, err))
	}
	base, size := b.ramBase, b.ramEnd-b.ramBase
	if scells < 2 && size >= 1<<32 {
		return imageErr("device tree has #size-cells 1 and cannot describe %d MiB of RAM (4 GiB or more)", size>>20)
	}
	if acells < 2 && b.ramEnd > 1<<32 {
		return imageErr("device tree has #address-cells 1 and cannot describe RAM above 4 GiB")
	}
	kept := root.Children[:0]
	for _, c := range root.Children {
		if c.Name == "memory" || strings.HasPrefix(c.Name, "memory@") {
			continue
		}
		kept = append(kept, c)
	}
	root.Children = kept
	mem := fdt.NewNode(fmt.Sprintf("memory@%x", base))
	mem.SetCells("reg", append(cells(base, acells), cells(size, scells)...)...)
	mem.SetString("device_type", "memory")
	insertFirst(root, mem)

	chosen := root.Child("chosen")
	if chosen == nil {
		chosen = fdt.NewNode("chosen")
		insertFirst(root, chosen)
	}
	if cmdline != "" {
		setFirst(chosen, "bootargs", stringValue(cmdline))
	}
	if b.InitrdSize > 0 {
		setFirst(chosen, "linux,initrd-start", cellValue(uint32(b.InitrdStart)))
		setFirst(chosen, "linux,initrd-end", cellValue(uint32(b.InitrdStart+b.InitrdSize)))
	}
	return nil
}

// insertFirst makes c the first child of n, as libfdt's fdt_add_subnode
// places a new node before its siblings.
func insertFirst(n, c *fdt.Node) {
	n.Children = append([]*fdt.Node{c}, n.Children...)
}

// setFirst sets a property like libfdt's fdt_setprop: an existing one is
// replaced where it is, a new one goes before the others.
func setFirst(n *fdt.Node, name string, value []byte) {
	if p := n.Prop(name); p != nil {
		p.Value = value
		return
	}
	n.Props = append([]fdt.Property{{Name: name, Value: value}}, n.Props...)
}

func stringValue(s string) []byte { return append([]byte(s), 0) }

func cellValue(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

func cellsErr(v uint32, err error) string {
	if err != nil {
		return err.Error()
	}
	return fmt.Sprintf("it is %d", v)
}

// cells splits v into n big-endian 32-bit cells (n is 1 or 2).
func cells(v uint64, n uint32) []uint32 {
	if n == 1 {
		return []uint32{uint32(v)}
	}
	return []uint32{uint32(v >> 32), uint32(v)}
}

// ParseDTB reads a user's device tree blob, with a message for the command
// line when it is malformed.
func ParseDTB(name string, blob []byte) (*fdt.Tree, error) {
	t, err := fdt.UnmarshalTree(blob)
	if err != nil {
		return nil, imageErr("device tree %s: %v", name, err)
	}
	return t, nil
}
