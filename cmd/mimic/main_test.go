package main

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// armELF builds a minimal ARM ELF executable with one PT_LOAD segment of
// code at addr.
func armELF(t *testing.T, addr uint32, code []uint32) []byte {
	t.Helper()
	var body bytes.Buffer
	for _, w := range code {
		binary.Write(&body, binary.LittleEndian, w)
	}
	const hdr = 52 + 32
	h := elf.Header32{
		Type: uint16(elf.ET_EXEC), Machine: uint16(elf.EM_ARM), Version: 1,
		Entry: addr, Phoff: 52, Ehsize: 52, Phentsize: 32, Phnum: 1, Shentsize: 40,
	}
	copy(h.Ident[:], elf.ELFMAG)
	h.Ident[elf.EI_CLASS] = byte(elf.ELFCLASS32)
	h.Ident[elf.EI_DATA] = byte(elf.ELFDATA2LSB)
	h.Ident[elf.EI_VERSION] = byte(elf.EV_CURRENT)
	p := elf.Prog32{Type: uint32(elf.PT_LOAD), Off: hdr, Vaddr: addr, Paddr: addr,
		Filesz: uint32(body.Len()), Memsz: uint32(body.Len()), Flags: uint32(elf.PF_R | elf.PF_X), Align: 4}
	var out bytes.Buffer
	binary.Write(&out, binary.LittleEndian, h)
	binary.Write(&out, binary.LittleEndian, p)
	out.Write(body.Bytes())
	return out.Bytes()
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func runMimic(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	var o, e bytes.Buffer
	code = run(args, null, &o, &e)
	return code, o.String(), e.String()
}

// TestBadInput checks that every kind of bad command line or image gets a
// one-line error and exit status 2, never a panic.
func TestBadInput(t *testing.T) {
	self, err := os.Executable() // an x86-64 (host) ELF file
	if err != nil {
		t.Fatal(err)
	}
	good := armELF(t, 0x40000000, []uint32{0xeafffffe}) // b .
	tests := []struct {
		name string
		args []string
		want string // substring of the error line
	}{
		{"unknown flag", []string{"--bogus"}, "unknown flag"},
		{"unknown machine", []string{"-M", "pc"}, `unknown machine "pc"`},
		{"unknown cpu", []string{"--cpu", "cortex-a9000"}, `unknown CPU`},
		{"stray argument", []string{"prog.elf"}, "unexpected argument"},
		{"missing kernel", []string{"--kernel", "/nonexistent/prog.elf"}, "no such file"},
		{"not ARM", []string{"--kernel", self}, "not an ARM ELF file"},
		{"truncated ELF", []string{"--kernel", writeFile(t, "t.elf", good[:60])}, "ELF"},
		{"empty file", []string{"--kernel", writeFile(t, "e.bin", nil)}, "empty"},
		{"segment outside RAM", []string{"--kernel", writeFile(t, "o.elf", armELF(t, 0x20000000, []uint32{0}))}, "outside"},
		{"too much RAM", []string{"-m", "8192", "--kernel", writeFile(t, "g.elf", good)}, "more than"},
		{"bad RAM size", []string{"-m", "lots"}, "bad memory size"},
		{"bad icount", []string{"--icount", "shift=x"}, "bad --icount"},
		{"bad accel", []string{"--accel", "tcg"}, "unknown --accel"},
		{"bad serial", []string{"--serial", "tcp:1", "--kernel", writeFile(t, "s.elf", good)}, "unknown --serial"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runMimic(t, tt.args...)
			if code != 2 {
				t.Errorf("exit status %d, want 2 (stderr %q)", code, stderr)
			}
			lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "mimic: ") || !strings.Contains(lines[0], tt.want) {
				t.Errorf("stderr %q: want one line \"mimic: ...%s...\"", stderr, tt.want)
			}
		})
	}
}

// TestLimit checks that a guest spinning forever is stopped by
// --max-insns with status 1.
func TestLimit(t *testing.T) {
	img := writeFile(t, "spin.elf", armELF(t, 0x40000000, []uint32{0xeafffffe}))
	code, _, stderr := runMimic(t, "--kernel", img, "--max-insns", "100000")
	if code != 1 || !strings.Contains(stderr, "instruction limit") {
		t.Errorf("exit %d, stderr %q; want 1 and an instruction-limit message", code, stderr)
	}
}
