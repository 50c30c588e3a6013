package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/arch/arm/armasm"
)

func render(t *testing.T, img *image) (asm, manifest []byte) {
	t.Helper()
	var a, m bytes.Buffer
	if err := img.writeAsm(&a); err != nil {
		t.Fatal(err)
	}
	if err := img.writeManifest(&m); err != nil {
		t.Fatal(err)
	}
	return a.Bytes(), m.Bytes()
}

func TestDeterministic(t *testing.T) {
	for _, isa := range []string{"a32", "t32", "t32m", "t32em"} {
		cfg := config{name: "x", seed: 42, isa: isa, blocks: 5, runs: 2, insns: 50}
		a1, m1 := render(t, generate(cfg))
		a2, m2 := render(t, generate(cfg))
		if !bytes.Equal(a1, a2) || !bytes.Equal(m1, m2) {
			t.Errorf("%s: same seed produced different output", isa)
		}
	}
}

// TestCommittedCorpus regenerates every image listed in ../SEEDS and checks
// that the committed sources and manifests are exactly what the generator
// produces now: change the generator, then run `make generate record`.
func TestCommittedCorpus(t *testing.T) {
	f, err := os.Open("../SEEDS")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) == 0 || strings.HasPrefix(fs[0], "#") {
			continue
		}
		if len(fs) != 6 {
			t.Fatalf("SEEDS: malformed line %q", sc.Text())
		}
		num := func(s string) int {
			v, err := strconv.Atoi(s)
			if err != nil {
				t.Fatalf("SEEDS: %v", err)
			}
			return v
		}
		cfg := config{name: fs[0], seed: uint64(num(fs[2])), isa: fs[1], blocks: num(fs[3]), runs: num(fs[4]), insns: num(fs[5])}
		asm, man := render(t, generate(cfg))
		for _, c := range []struct {
			ext  string
			want []byte
		}{{".S", asm}, {".manifest", man}} {
			got, err := os.ReadFile(filepath.Join("..", "testdata", cfg.name+c.ext))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, c.want) {
				t.Errorf("testdata/%s%s is stale: run make -C conformance/random generate record", cfg.name, c.ext)
			}
		}
		n++
	}
	if n == 0 {
		t.Fatal("SEEDS lists no image")
	}
}

// armasmGaps matches intents armasm cannot decode: MSR with a partial APSR
// mask and STR with a register offset.
var armasmGaps = regexp.MustCompile(`^msr\w* APSR_(g|nzcvq),|^str(eq|ne|cs|cc|mi|pl|vs|vc|hi|ls|ge|lt|gt|le)?t? \w+, \[\w+(\], |, )-?(r\d+|lr|sp)`)

// TestA32AgainstArmasm decodes every generated A32 word with
// golang.org/x/arch/arm/armasm: the mnemonic must be the intended one.
func TestA32AgainstArmasm(t *testing.T) {
	img := generate(config{name: "x", seed: 7, isa: "a32", blocks: 300, runs: 1, insns: 100})
	checked := 0
	for _, b := range img.blocks {
		for _, in := range b.code {
			var buf [4]byte
			binary.LittleEndian.PutUint32(buf[:], in.enc)
			want := strings.Fields(in.text)[0]
			inst, err := armasm.Decode(buf[:], armasm.ModeARM)
			if err != nil {
				if !armasmGaps.MatchString(in.text) {
					t.Errorf("%08x (%s): armasm: %v", in.enc, in.text, err)
				}
				continue
			}
			if got := strings.Fields(armasm.GNUSyntax(inst))[0]; got != want {
				t.Errorf("%08x: intended %q, armasm decodes %q", in.enc, in.text, armasm.GNUSyntax(inst))
			}
			checked++
		}
	}
	if checked < 25000 {
		t.Errorf("only %d words checked", checked)
	}
}

// dspOrFP matches the intended mnemonics (and operands) of instructions the
// Cortex-M3 (ARMv7-M without the DSP extension or an FPU) does not have.
var dspOrFP = regexp.MustCompile(`^(pkh|ssat16|usat16|sxta|uxta|sxtb16|uxtb16|q(d?add|d?sub)|sel|smla[bt]|smlaw|smlal[bt]|smlald|smlsld|smlsd|smusd|smuad|smlad|smul[bt]|smulw|smm|usad|umaal|(s|q|sh|u|uq|uh)(add16|asx|sax|sub16|add8|sub8)|v)|APSR_(g|nzcvqg)\b`)

// TestMProfileSubsets: t32m images contain no DSP or FP instruction; t32em
// images contain both, and neither contains anything outside ARMv7E-M (the
// forms are a subset of the T32 ones plus vfp.go).
func TestMProfileSubsets(t *testing.T) {
	img := generate(config{name: "x", seed: 9, isa: "t32m", blocks: 300, runs: 1, insns: 100})
	n := 0
	for _, b := range img.blocks {
		for _, in := range b.code {
			if dspOrFP.MatchString(in.text) {
				t.Errorf("t32m: %08x %q is not an ARMv7-M (Cortex-M3) instruction", in.enc, in.text)
			}
			n++
		}
	}
	if n < 25000 {
		t.Errorf("only %d t32m instructions checked", n)
	}
	img = generate(config{name: "x", seed: 9, isa: "t32em", blocks: 300, runs: 1, insns: 100})
	for _, group := range []string{"t32 parallel add/sub", "t32 media mul", "vfp arith", "vfp convert", "vfp compare",
		"vfp transfer", "vfp vmrs/vmsr", "vfp vldr/vstr", "vfp vldm/vstm", "vfp literal load", "vfp move/abs/neg"} {
		if img.stats[group] == 0 {
			t.Errorf("t32em: no instruction of group %q", group)
		}
	}
}
