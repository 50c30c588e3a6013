package fdt

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzUnmarshal feeds arbitrary blobs to the parser. Whatever it accepts
// must survive Marshal (when the names are valid) and decode to the same
// tree again.
func FuzzUnmarshal(f *testing.F) {
	virt, err := virtTree().Marshal()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(virt)
	f.Add(rawBlob(words(tokBeginNode, name(""), tokEndNode, tokEnd), ""))
	f.Add(rawBlob(words(tokNop, tokBeginNode, name(""), tokProp, 4, 0, 0x2a, tokBeginNode, name("c@1"), tokEndNode, tokEndNode, tokEnd), "val\x00"))
	f.Add(rawBlob(words(tokBeginNode, name(""), tokProp, 0x100, 0, tokEndNode, tokEnd), "a\x00"))
	f.Add([]byte{0xd0, 0x0d, 0xfe, 0xed})
	f.Fuzz(func(t *testing.T, blob []byte) {
		tree, err := UnmarshalTree(blob)
		if err != nil {
			if tree != nil {
				t.Fatalf("UnmarshalTree returned a tree and %v", err)
			}
			return
		}
		if tree.Root == nil {
			t.Fatal("UnmarshalTree succeeded without a root")
		}
		out, err := tree.Marshal()
		if err != nil {
			return // parsed names that Marshal refuses, e.g. bad characters
		}
		again, err := UnmarshalTree(out)
		if err != nil {
			t.Fatalf("re-decoding our own blob: %v", err)
		}
		if diff := cmp.Diff(tree, again, cmpTree); diff != "" {
			t.Fatalf("round trip mismatch (-first +second):\n%s", diff)
		}
		out2, err := again.Marshal()
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("Marshal not stable: %v", err)
		}
	})
}

// FuzzStructure wraps arbitrary structure and strings blocks in a valid
// header, so the token parser sees far more inputs than FuzzUnmarshal's
// random headers let through.
func FuzzStructure(f *testing.F) {
	seed := func(st []uint32, strs string) {
		blob := rawBlob(st, strs)
		off := headerSize + rsvEntrySize
		f.Add(blob[off:off+4*len(st)], []byte(strs))
	}
	seed(words(tokBeginNode, name(""), tokEndNode, tokEnd), "")
	seed(words(tokNop, tokBeginNode, name(""), tokProp, 4, 0, 0x2a, tokBeginNode, name("c@1"), tokProp, 0, 4, tokEndNode, tokEndNode, tokEnd), "val\x00reg\x00")
	seed(words(tokBeginNode, name(""), tokBeginNode, name("a"), tokBeginNode, name("b"), tokEndNode, tokEndNode, tokEndNode, tokEnd), "")
	f.Fuzz(func(t *testing.T, st, strs []byte) {
		var ws []uint32
		for i := 0; i+4 <= len(st); i += 4 {
			ws = append(ws, uint32(st[i])<<24|uint32(st[i+1])<<16|uint32(st[i+2])<<8|uint32(st[i+3]))
		}
		tree, err := UnmarshalTree(rawBlob(ws, string(strs)))
		if err != nil {
			return
		}
		out, err := tree.Marshal()
		if err != nil {
			return
		}
		again, err := UnmarshalTree(out)
		if err != nil {
			t.Fatalf("re-decoding our own blob: %v", err)
		}
		if diff := cmp.Diff(tree, again, cmpTree); diff != "" {
			t.Fatalf("round trip mismatch (-first +second):\n%s", diff)
		}
	})
}
