// Package random replays the random-instruction differential corpus on Mimic
// and compares every batch's final state with QEMU's recorded reference.
// See README.md for how the images are built and what a batch is.
package random

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/arch/arm/armasm"

	"mimic/conformance/harness"
	"mimic/machine/mcu"
)

// disasmThumb renders one T32 instruction for failure reports: size 2 means
// a 16-bit instruction in the low half of word, size 4 a 32-bit one with its
// first halfword in bits 31:16. It prints the halfwords until Mimic's own
// Thumb printer is plugged in here.
var disasmThumb = func(word uint32, size int) string {
	if size == 2 {
		return fmt.Sprintf("%04x", word)
	}
	return fmt.Sprintf("%04x %04x", word>>16, word&0xffff)
}

// disasmARM renders one A32 instruction with armasm (GNU syntax), or says
// why it could not (armasm does not know every ARMv7 encoding, e.g. MSR
// APSR_g or register offsets shifted by LSR/ASR/ROR).
func disasmARM(word uint32) string {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], word)
	inst, err := armasm.Decode(b[:], armasm.ModeARM)
	if err != nil {
		return "(armasm: " + err.Error() + ")"
	}
	return armasm.GNUSyntax(inst)
}

// state is one batch's final architectural state, as the harness prints it.
type state struct {
	Batch int
	R     [13]string // r0..r12, hex
	LR    string
	N     bool
	Z     bool
	C     bool
	V     bool
	Q     bool
	GE    string // GE[3:0] as bits
	Other string // the remaining CPSR bits (mode, A/I/F masks; zero on M), hex
	Mem   string // FNV-1a checksum of the 256-byte scratch buffer, hex
	FP    fpState
}

// fpState is the FPv4-SP state of a T32EM batch (an F line), zero elsewhere.
type fpState struct {
	FPSCR string     // hex
	S     [32]string // S0..S31, hex
}

// run is a parsed output of one image.
type run struct {
	batches    []state
	exceptions []string // "X kind lr spsr batch" lines
	end        int      // batch count from the END line, -1 if missing
	junk       []string // anything else
}

const cpsrFlags = 0xf80f0000 // N Z C V Q and GE[3:0]

func parseState(f []string) (state, error) {
	var w [17]uint32
	for i := range w {
		v, err := strconv.ParseUint(f[i+1], 16, 32)
		if err != nil {
			return state{}, err
		}
		w[i] = uint32(v)
	}
	st := state{Batch: int(w[0]), LR: fmt.Sprintf("%08x", w[14])}
	for i := range st.R {
		st.R[i] = fmt.Sprintf("%08x", w[1+i])
	}
	psr := w[15]
	st.N, st.Z, st.C, st.V, st.Q = psr>>31&1 == 1, psr>>30&1 == 1, psr>>29&1 == 1, psr>>28&1 == 1, psr>>27&1 == 1
	st.GE = fmt.Sprintf("%04b", psr>>16&0xf)
	st.Other = fmt.Sprintf("%08x", psr&^cpsrFlags)
	st.Mem = fmt.Sprintf("%08x", w[16])
	return st, nil
}

func parseFP(f []string) (fpState, int, error) {
	var w [34]uint32
	for i := range w {
		v, err := strconv.ParseUint(f[i+1], 16, 32)
		if err != nil {
			return fpState{}, 0, err
		}
		w[i] = uint32(v)
	}
	fp := fpState{FPSCR: fmt.Sprintf("%08x", w[1])}
	for i := range fp.S {
		fp.S[i] = fmt.Sprintf("%08x", w[2+i])
	}
	return fp, int(w[0]), nil
}

// parseOutput reads the harness's line protocol:
//
//	S <batch> <r0> ... <r12> <lr> <cpsr> <memsum>   (M profile: apsr for cpsr)
//	F <batch> <fpscr> <s0> ... <s31>   after the S line, FPv4-SP images only
//	X <kind> <lr> <spsr> <batch>     an exception was taken (never expected);
//	                                 M profile: X <exception> <pc> <cfsr> <batch>
//	END <batches>
func parseOutput(b []byte) run {
	r := run{end: -1}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		f := strings.Fields(line)
		switch {
		case line == "":
		case f[0] == "S" && len(f) == 18:
			st, err := parseState(f)
			if err != nil {
				r.junk = append(r.junk, line)
				continue
			}
			r.batches = append(r.batches, st)
		case f[0] == "F" && len(f) == 35:
			fp, batch, err := parseFP(f)
			if err != nil || len(r.batches) == 0 || r.batches[len(r.batches)-1].Batch != batch {
				r.junk = append(r.junk, line)
				continue
			}
			r.batches[len(r.batches)-1].FP = fp
		case f[0] == "X":
			r.exceptions = append(r.exceptions, line)
		case f[0] == "END" && len(f) == 2:
			n, err := strconv.ParseUint(f[1], 16, 32)
			if err != nil {
				r.junk = append(r.junk, line)
				continue
			}
			r.end = int(n)
		default:
			r.junk = append(r.junk, line)
		}
	}
	return r
}

// manifest is the generator's description of an image (see gen/image.go).
type manifest struct {
	image, isa string
	seed       string
	runs       int
	blocks     [][]mword
	batchBlock map[int]int
	inits      map[int][16]uint32
	fpInits    map[int][33]uint32 // T32EM: FPSCR, S0..S31
}

type mword struct {
	word uint32
	size int
}

func readManifest(path string) (*manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m := &manifest{batchBlock: map[int]int{}, inits: map[int][16]uint32{}, fpInits: map[int][33]uint32{}}
	for n, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		bad := func(err error) error { return fmt.Errorf("%s:%d: %v", path, n+1, err) }
		switch f[0] {
		case "image":
			m.image = f[1]
		case "isa":
			m.isa = f[1]
		case "seed":
			m.seed = f[1]
		case "runs":
			if m.runs, err = strconv.Atoi(f[1]); err != nil {
				return nil, bad(err)
			}
		case "blocks":
		case "block":
			m.blocks = append(m.blocks, nil)
		case "code":
			if len(m.blocks) == 0 {
				return nil, bad(fmt.Errorf("code before block"))
			}
			k := len(m.blocks) - 1
			for _, t := range f[1:] {
				v, err := strconv.ParseUint(t, 16, 32)
				if err != nil {
					return nil, bad(err)
				}
				m.blocks[k] = append(m.blocks[k], mword{uint32(v), len(t) / 2})
			}
		case "init":
			if len(f) != 18 || len(m.blocks) == 0 {
				return nil, bad(fmt.Errorf("malformed init line"))
			}
			batch, err := strconv.Atoi(f[1])
			if err != nil {
				return nil, bad(err)
			}
			var st [16]uint32
			for i := range st {
				v, err := strconv.ParseUint(f[2+i], 16, 32)
				if err != nil {
					return nil, bad(err)
				}
				st[i] = uint32(v)
			}
			m.batchBlock[batch] = len(m.blocks) - 1
			m.inits[batch] = st
		case "fpinit":
			if len(f) != 35 {
				return nil, bad(fmt.Errorf("malformed fpinit line"))
			}
			batch, err := strconv.Atoi(f[1])
			if err != nil {
				return nil, bad(err)
			}
			var fp [33]uint32
			for i := range fp {
				v, err := strconv.ParseUint(f[2+i], 16, 32)
				if err != nil {
					return nil, bad(err)
				}
				fp[i] = uint32(v)
			}
			m.fpInits[batch] = fp
		default:
			return nil, bad(fmt.Errorf("unknown record %q", f[0]))
		}
	}
	return m, nil
}

// explain describes a batch: its initial state and its instructions.
func (m *manifest) explain(batch int) string {
	blk, ok := m.batchBlock[batch]
	if !ok {
		return fmt.Sprintf("batch %d is not in the manifest\n", batch)
	}
	var sb strings.Builder
	init := m.inits[batch]
	fmt.Fprintf(&sb, "batch %d = block %d (blk_%d in %s.S, seed %s), initial state:\n", batch, blk, blk, m.image, m.seed)
	for i := 0; i < 13; i++ {
		fmt.Fprintf(&sb, "  r%-2d=%08x", i, init[i])
		if i%4 == 3 {
			sb.WriteString("\n")
		}
	}
	fmt.Fprintf(&sb, "  lr =%08x\n  apsr=%08x  scratch seed=%08x\n", init[13], init[14], init[15])
	if fp, ok := m.fpInits[batch]; ok {
		fmt.Fprintf(&sb, "  fpscr=%08x\n", fp[0])
		for i := 0; i < 32; i++ {
			fmt.Fprintf(&sb, "  s%-2d=%08x", i, fp[1+i])
			if i%4 == 3 {
				sb.WriteString("\n")
			}
		}
	}
	fmt.Fprintf(&sb, "instructions (%s):\n", m.isa)
	off := 0
	for _, w := range m.blocks[blk] {
		var text string
		if strings.HasPrefix(m.isa, "T32") {
			text = disasmThumb(w.word, w.size)
		} else {
			text = fmt.Sprintf("%08x  %s", w.word, disasmARM(w.word))
		}
		fmt.Fprintf(&sb, "  +%03x  %s\n", off, text)
		off += w.size
	}
	return sb.String()
}

// maxReported bounds the number of batches explained in full per image.
const maxReported = 3

func images(t *testing.T) []string {
	t.Helper()
	elfs, err := filepath.Glob("testdata/*.elf")
	if err != nil {
		t.Fatal(err)
	}
	if len(elfs) == 0 {
		t.Fatal("no images in testdata (make -C conformance/random generate record)")
	}
	return elfs
}

func loadImage(t *testing.T, elf string) (*manifest, run) {
	t.Helper()
	base := strings.TrimSuffix(elf, ".elf")
	m, err := readManifest(base + ".manifest")
	if err != nil {
		t.Fatal(err)
	}
	ref, err := os.ReadFile(base + ".ref")
	if err != nil {
		t.Fatalf("reference missing (make -C conformance/random record): %v", err)
	}
	return m, parseOutput(ref)
}

// boards maps the manifest's ISA to the M-profile board its references come
// from; A-profile images (A32, T32) run on virt through conformance/harness.
var boards = map[string]string{"T32M": "mps2-an385", "T32EM": "mps2-an386"}

// runImage runs an image on Mimic with engine "interp" or "native" and
// returns its output and exit status.
func runImage(elf, isa, engine string) ([]byte, int, error) {
	board, ok := boards[isa]
	if !ok {
		res, err := harness.Run(elf, harness.Options{Timeout: 5 * time.Minute, MaxInsns: 50_000_000, Engine: engine})
		return res.Stdout, res.ExitCode, err
	}
	var out bytes.Buffer
	m, err := mcu.New(mcu.Config{Board: board, Kernel: elf, Semihosting: true, ICountShift: 0,
		Serial: &out, Timeout: 5 * time.Minute, MaxInsns: 50_000_000,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return nil, 0, err
	}
	m.CPU.NoNative = engine == "interp"
	m.CPU.NativeEager = engine == "native"
	code, err := m.Run()
	return out.Bytes(), code, err
}

// TestRandom runs every image on Mimic and compares each batch with QEMU,
// once in the interpreter and once with every block compiled to native
// code before it first runs. A-profile images run on virt, M-profile images
// on the mps2 board of their ISA (see boards).
func TestRandom(t *testing.T) {
	for _, elf := range images(t) {
		for _, engine := range []string{"interp", "native"} {
			testRandomImage(t, elf, engine)
		}
	}
}

func testRandomImage(t *testing.T, elf, engine string) {
	name := strings.TrimSuffix(filepath.Base(elf), ".elf") + "/" + engine
	{
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m, want := loadImage(t, elf)
			stdout, exitCode, err := runImage(elf, m.isa, engine)
			if err != nil {
				t.Fatalf("run %s: %v\noutput so far:\n%s", elf, err, stdout)
			}
			got := parseOutput(stdout)
			for _, x := range got.exceptions {
				f := strings.Fields(x)
				batch := -1
				if len(f) == 5 {
					if v, err := strconv.ParseUint(f[4], 16, 32); err == nil {
						batch = int(v)
					}
				}
				t.Errorf("Mimic took an exception QEMU did not: %q (A: kind lr spsr batch; M: exception pc cfsr batch)\n%s", x, m.explain(batch))
			}
			for _, j := range got.junk {
				t.Errorf("unexpected output line: %q", j)
			}
			gotByBatch := map[int]state{}
			for _, st := range got.batches {
				gotByBatch[st.Batch] = st
			}
			failed := 0
			for _, w := range want.batches {
				g, ok := gotByBatch[w.Batch]
				if !ok {
					failed++
					if failed <= maxReported {
						t.Errorf("batch %d: no result from Mimic\n%s", w.Batch, m.explain(w.Batch))
					}
					continue
				}
				if diff := cmp.Diff(w, g); diff != "" {
					failed++
					if failed <= maxReported {
						t.Errorf("batch %d differs from QEMU (-want +got):\n%s\n%s", w.Batch, diff, m.explain(w.Batch))
					}
				}
			}
			if failed > maxReported {
				t.Errorf("%d of %d batches differ; only the first %d are shown", failed, len(want.batches), maxReported)
			}
			if got.end != want.end {
				t.Errorf("END line: got %d batches, want %d", got.end, want.end)
			}
			if exitCode != 0 {
				t.Errorf("exit code %d, want 0", exitCode)
			}
		})
	}
}

// TestCorpus checks the committed corpus itself, without Mimic: every image
// has its manifest and a clean QEMU reference, batches really differ, and
// every instruction set (A32 and T32 on ARMv7-A, T32M on ARMv7-M, T32EM on
// ARMv7E-M with FPv4-SP) is present.
func TestCorpus(t *testing.T) {
	isas := map[string]int{}
	for _, elf := range images(t) {
		m, ref := loadImage(t, elf)
		name := filepath.Base(elf)
		if len(ref.exceptions) > 0 || len(ref.junk) > 0 {
			t.Errorf("%s: reference has exception or stray lines: %q %q", name, ref.exceptions, ref.junk)
		}
		if ref.end != len(ref.batches) || ref.end != len(m.inits) {
			t.Errorf("%s: END %d, %d state lines, %d batches in the manifest", name, ref.end, len(ref.batches), len(m.inits))
		}
		distinct := map[state]bool{}
		for i, st := range ref.batches {
			if st.Batch != i {
				t.Errorf("%s: line %d reports batch %d", name, i, st.Batch)
			}
			_, mprofile := boards[m.isa]
			switch {
			case !mprofile && st.Other != "000001d3":
				t.Errorf("%s: batch %d ended with CPSR bits %s outside the flags, want SVC mode, A/I/F masked", name, i, st.Other)
			case mprofile && st.Other != "00000000":
				t.Errorf("%s: batch %d: MRS APSR read bits %s outside the flags", name, i, st.Other)
			}
			if wantFP := m.isa == "T32EM"; wantFP != (st.FP.FPSCR != "") {
				t.Errorf("%s: batch %d: FP state %+v, want one only for T32EM", name, i, st.FP)
			}
			st.Batch = 0
			distinct[st] = true
		}
		if len(distinct) != len(ref.batches) {
			t.Errorf("%s: only %d distinct final states among %d batches", name, len(distinct), len(ref.batches))
		}
		for _, blk := range m.blocks {
			isas[m.isa] += len(blk) * m.runs
		}
	}
	if isas["A32"] == 0 || isas["T32"] == 0 || isas["T32M"] == 0 || isas["T32EM"] == 0 {
		t.Errorf("corpus lacks an instruction set: %v", isas)
	}
	t.Logf("static instructions × batches per ISA: %v", isas)
}

func TestParseOutput(t *testing.T) {
	out := []byte("S 00000001 00000000 00000001 00000002 00000003 00000004 00000005 00000006 00000007 00000008 00000009 0000000a 0000000b 0000000c 0000000e d80a01d3 deadbeef\n" +
		"X 00000001 40000944 b00001d3 0000000c\nEND 00000002\nnoise\n")
	got := parseOutput(out)
	want := state{Batch: 1, LR: "0000000e", N: true, Z: true, C: false, V: true, Q: true, GE: "1010", Other: "000001d3", Mem: "deadbeef",
		R: [13]string{"00000000", "00000001", "00000002", "00000003", "00000004", "00000005", "00000006", "00000007", "00000008", "00000009", "0000000a", "0000000b", "0000000c"}}
	if len(got.batches) != 1 {
		t.Fatalf("got %d batches, want 1", len(got.batches))
	}
	if diff := cmp.Diff(want, got.batches[0]); diff != "" {
		t.Errorf("state (-want +got):\n%s", diff)
	}
	if len(got.exceptions) != 1 || got.end != 2 || len(got.junk) != 1 {
		t.Errorf("exceptions %q end %d junk %q", got.exceptions, got.end, got.junk)
	}
}
