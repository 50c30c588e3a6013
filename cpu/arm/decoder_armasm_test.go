package arm

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"golang.org/x/arch/arm/armasm"
)

// TestDecoderAgainstArmasm compares our A32 decoder with
// golang.org/x/arch/arm/armasm on random words and on every A32 pattern of
// the spec: for words armasm decodes, we must agree that the word is
// defined and name the same instruction. armasm is not the architecture,
// so known disagreements are listed in armasmDeviations with the reason;
// anything else fails.
func TestDecoderAgainstArmasm(t *testing.T) {
	n := 10_000_000
	if testing.Short() {
		n = 300_000
	}
	c := newTestCPU(t, false)
	rng := rand.New(rand.NewPCG(0x6d696d6963, 1)) // recorded seed: the test is reproducible
	words := make([]uint32, 0, n+4*len(a32Patterns)+4*len(a32uPatterns))
	for i := 0; i < n; i++ {
		words = append(words, rng.Uint32())
	}
	// Every pattern: its fixed bits with random operand bits.
	for _, tb := range []*isaTable{&a32Table, &a32uTable} {
		for _, p := range tb.patterns {
			for k := 0; k < 4; k++ {
				w := p.value | rng.Uint32()&^p.mask
				if tb == &a32Table && w>>28 == 0xf {
					w &^= 1 << 28
				}
				words = append(words, w)
			}
		}
	}

	type key struct{ ours, theirs string }
	unexplained := map[key][]uint32{}
	explained := map[string]int{}
	var agree int
	var buf [4]byte
	for _, w := range words {
		binary.LittleEndian.PutUint32(buf[:], w)
		inst, err := armasm.Decode(buf[:], armasm.ModeARM)
		if err != nil {
			continue // armasm does not know it: nothing to compare
		}
		theirs := armasmMnemonic(inst)
		ours := ourA32Mnemonic(c, w)
		if ours == theirs {
			agree++
			continue
		}
		if why, ok := armasmDeviation(ours, theirs, w); ok {
			explained[why]++
			continue
		}
		k := key{ours, theirs}
		if len(unexplained[k]) < 3 {
			unexplained[k] = append(unexplained[k], w)
		} else {
			unexplained[k][2] = w
		}
	}
	t.Logf("%d words, %d decoded by armasm and agreeing", len(words), agree)
	for why, cnt := range explained {
		t.Logf("known deviation (%d words): %s", cnt, why)
	}
	if len(unexplained) > 0 {
		var lines []string
		for k, ws := range unexplained {
			var ex []string
			for _, w := range ws {
				binary.LittleEndian.PutUint32(buf[:], w)
				inst, _ := armasm.Decode(buf[:], armasm.ModeARM)
				ex = append(ex, fmt.Sprintf("%08x (armasm: %s; ours: %s)", w, armasm.GNUSyntax(inst), Disasm(w, 4, false, 0x40000000, 0)))
			}
			lines = append(lines, fmt.Sprintf("ours %q vs armasm %q, e.g. %s", k.ours, k.theirs, strings.Join(ex, "; ")))
		}
		sort.Strings(lines)
		if len(lines) > 60 {
			lines = append(lines[:60], fmt.Sprintf("... and %d more", len(lines)-60))
		}
		t.Errorf("%d kinds of disagreement with armasm:\n%s", len(unexplained), strings.Join(lines, "\n"))
	}
}

// ourA32Mnemonic decodes w as the translator does and returns the base
// mnemonic of the matched pattern, or "undefined".
func ourA32Mnemonic(c *CPU, w uint32) string {
	tb := &a32Table
	if w>>28 == 0xf {
		tb = &a32uTable
	}
	id := tb.find(w)
	if id < 0 {
		return "undefined"
	}
	tr := &translator{c: c, pc: testRAMBase, insn: w, size: 4, cond: uint8(w >> 28)}
	if tr.cond == 0xf {
		tr.cond = condAL
	}
	if !decodeWith(tr, tb, w) {
		return "undefined"
	}
	return printedMnemonic(w)
}

// printedMnemonic is the mnemonic our disassembler prints for w, without
// its condition and data-type suffixes ("addseq" -> "adds").
func printedMnemonic(w uint32) string {
	m, _, _ := strings.Cut(Disasm(w, 4, false, testRAMBase, 0), " ")
	m, _, _ = strings.Cut(m, ".")
	if cond := w >> 28; cond < 14 {
		m = strings.TrimSuffix(m, condNames[cond])
	}
	return m
}

// armasmMnemonic is armasm's op as one word, without its condition and
// data-type suffixes: "SMLAD.X.EQ" -> "smladx", "VADD.EQ.F32" -> "vadd".
func armasmMnemonic(inst armasm.Inst) string {
	parts := strings.Split(strings.ToLower(inst.Op.String()), ".")
	m := parts[0]
	for _, p := range parts[1:] {
		if isCondName(p) || isDataType(p) || strings.HasPrefix(p, "fx") {
			continue
		}
		m += p
	}
	return m
}

func isCondName(s string) bool {
	switch s {
	case "eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al", "hs", "lo":
		return true
	}
	return false
}

// isDataType reports a VFP/NEON type suffix such as f32, s16, u8, i32.
func isDataType(s string) bool {
	if s == "" {
		return false
	}
	if strings.ContainsRune("fsuip", rune(s[0])) {
		s = s[1:]
	}
	if s == "" {
		return false // "s" is the flag-setting suffix, not a type
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// armasmDeviation explains a known disagreement. Each entry says why
// armasm's answer is not the architecture's (ARM ARM DDI 0406C).
func armasmDeviation(ours, theirs string, w uint32) (string, bool) {
	for _, d := range armasmDeviations {
		if d.match(ours, theirs, w) {
			return d.why, true
		}
	}
	return "", false
}

// Every entry is an encoding the ARM ARM calls UNPREDICTABLE, which QEMU
// (our reference for UNPREDICTABLE behaviour) treats as UNDEFINED and so do
// we, while armasm decodes it regardless.
var armasmDeviations = []struct {
	why   string
	match func(ours, theirs string, w uint32) bool
}{
	{"TST/TEQ/CMP/CMN with non-zero should-be-zero bits 15:12", func(ours, theirs string, w uint32) bool {
		return ours == "undefined" && oneOf(theirs, "tst", "teq", "cmp", "cmn") && w>>12&0xf != 0
	}},
	{"MOV/MVN with non-zero should-be-zero bits 19:16", func(ours, theirs string, w uint32) bool {
		return ours == "undefined" && oneOf(theirs, "mov", "movs", "mvn", "mvns") && w>>16&0xf != 0
	}},
	{"MUL with non-zero should-be-zero bits 15:12", func(ours, theirs string, w uint32) bool {
		return ours == "undefined" && oneOf(theirs, "mul", "muls") && w>>12&0xf != 0
	}},
	{"QADD/QSUB/QDADD/QDSUB with non-zero should-be-zero bits 11:8", func(ours, theirs string, w uint32) bool {
		return ours == "undefined" && oneOf(theirs, "qadd", "qsub", "qdadd", "qdsub") && w>>8&0xf != 0
	}},
	{"SBFX/UBFX with lsb + width > 32", func(ours, theirs string, w uint32) bool {
		return ours == "undefined" && oneOf(theirs, "sbfx", "ubfx") && w>>7&31+w>>16&31+1 > 32
	}},
	{"LDM/STM/POP/PUSH with Rn = PC, an empty list, or (LDM) writeback with Rn in the list", func(ours, theirs string, w uint32) bool {
		if ours != "undefined" || !(strings.HasPrefix(theirs, "ldm") || strings.HasPrefix(theirs, "stm") || oneOf(theirs, "pop", "push")) {
			return false
		}
		rn, list, wb, load := w>>16&0xf, w&0xffff, w>>21&1 != 0, w>>20&1 != 0
		return rn == 15 || list == 0 || load && wb && list>>rn&1 != 0
	}},
	{"LDRD/STRD with odd Rt, Rt = LR, Rm = PC, writeback to Rt/Rt2/PC, or non-zero should-be-zero bits 11:8", func(ours, theirs string, w uint32) bool {
		if ours != "undefined" || !oneOf(theirs, "ldrd", "strd") {
			return false
		}
		rn, rt, rm := w>>16&0xf, w>>12&0xf, w&0xf
		regForm := w>>22&1 == 0
		wb := w>>24&1 == 0 || w>>21&1 != 0
		return rt&1 != 0 || rt == 14 || regForm && (rm == 15 || w>>8&0xf != 0 || theirs == "ldrd" && (rm == rt || rm == rt+1)) ||
			wb && (rn == 15 || rn == rt || rn == rt+1) || w>>24&1 == 0 && w>>21&1 != 0
	}},
	{"exclusives with a PC operand, Rd equal to Rn or Rt/Rt2, or an odd/LR Rt in the doubleword forms", func(ours, theirs string, w uint32) bool {
		if ours != "undefined" || !(strings.HasPrefix(theirs, "ldrex") || strings.HasPrefix(theirs, "strex")) {
			return false
		}
		rn, rd, rt := w>>16&0xf, w>>12&0xf, w&0xf
		double := strings.HasSuffix(theirs, "d")
		if strings.HasPrefix(theirs, "ldrex") {
			return rn == 15 || rd == 15 || double && (rd&1 != 0 || rd == 14) || w&0xf != 0xf || w>>8&0xf != 0xf
		}
		return rn == 15 || rd == 15 || rt == 15 || rd == rn || rd == rt || double && (rt&1 != 0 || rt == 14 || rd == rt+1) || w>>8&0xf != 0xf
	}},
	{"SETEND with non-zero should-be-zero bits", func(ours, theirs string, w uint32) bool {
		return ours == "undefined" && theirs == "setend" && w&0xfdff != 0
	}},
	{"naming only: armasm prints a one-register PUSH (STMDB SP!) as stmdb; objdump and we print push", func(ours, theirs string, w uint32) bool {
		return ours == "push" && theirs == "stmdb"
	}},
	{"VCMP/VCMPE #0 with non-zero should-be-zero Vm bits", func(ours, theirs string, w uint32) bool {
		return ours == "undefined" && oneOf(theirs, "vcmp", "vcmpe") && w>>16&1 != 0 && w&0x2f != 0
	}},
}

func oneOf(s string, list ...string) bool {
	for _, l := range list {
		if s == l {
			return true
		}
	}
	return false
}
