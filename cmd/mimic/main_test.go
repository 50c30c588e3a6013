package main

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"net"
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
		{"unknown option", []string{"--bogus"}, "unknown option --bogus"},
		{"unknown single-dash option", []string{"-bogus"}, "unknown option -bogus"},
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
		{"bad icount", []string{"--icount", "shift=x"}, `--icount shift=x: bad shift "x"`},
		{"bad accel", []string{"--accel", "kvm"}, "--accel kvm: Mimic has no KVM"},
		{"bad serial", []string{"--serial", "tcp:1", "--kernel", writeFile(t, "s.elf", good)}, "--serial tcp:1: not supported yet"},
		{"missing argument", []string{"-kernel"}, "-kernel: requires an argument"},
		{"unsupported option", []string{"-S"}, "-S: starting with the CPU stopped is not supported yet"},
		{"missing image", []string{"-drive", "file=/nonexistent/disk.img,format=raw", "--kernel", writeFile(t, "d.elf", good)}, "no such file"},
		{"bad qcow2", []string{"-drive", "file=" + writeFile(t, "bad.qcow2", []byte("QFI\xfb\x00\x00\x00\x03")), "--kernel", writeFile(t, "q.elf", good)}, "bad.qcow2"},
		{"qcow2 forced on raw", []string{"-drive", "file=" + writeFile(t, "r.img", make([]byte, 4096)) + ",format=qcow2", "--kernel", writeFile(t, "r.elf", good)}, "r.img"},
		{"small flash image", []string{"-drive", "if=pflash,unit=1,format=raw,file=" + writeFile(t, "f.img", make([]byte, 4096)), "--kernel", writeFile(t, "f.elf", good)}, "flash bank needs"},
		{"hostfwd port taken", []string{"-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:" + takenPort(t) + "-:22", "-device", "virtio-net-device,netdev=n0", "--kernel", writeFile(t, "h.elf", good)}, "address already in use"},
		{"tap", []string{"-netdev", "tap,id=n0", "-device", "virtio-net-device,netdev=n0", "--kernel", writeFile(t, "t2.elf", good)}, "-netdev tap: not supported yet"},
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

// takenPort returns a loopback TCP port that stays taken for the test.
func takenPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
}

// TestSpellings checks that QEMU's single-dash options and Mimic's
// double-dash spellings run the same guest.
func TestSpellings(t *testing.T) {
	img := writeFile(t, "spin.elf", armELF(t, 0x40000000, []uint32{0xeafffffe}))
	for _, args := range [][]string{
		{"--kernel", img, "--max-insns", "1000"},
		{"--kernel=" + img, "--max-insns=1000"},
		{"-kernel", img, "-M", "virt,gic-version=2", "-m", "size=64M", "-accel", "tcg", "-nographic",
			"-serial", "mon:stdio", "-monitor", "none", "-display", "none", "-nodefaults", "-no-reboot", "--max-insns", "1000"},
	} {
		code, _, stderr := runMimic(t, args...)
		if code != 1 || !strings.Contains(stderr, "instruction limit") {
			t.Errorf("mimic %q: exit %d, stderr %q; want 1 and an instruction-limit message", args, code, stderr)
		}
	}
}

// TestHelp checks that help goes to stdout with status 0.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"-help"}, {"-device", "help"}, {"-machine", "virt,help"}} {
		code, stdout, stderr := runMimic(t, args...)
		if code != 0 || stdout == "" || stderr != "" {
			t.Errorf("mimic %q: exit %d, stdout %d bytes, stderr %q; want 0, help on stdout", args, code, len(stdout), stderr)
		}
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

// TestFlashFirmware checks that, as on QEMU, firmware in the first flash
// bank (-drive if=pflash,unit=0) runs when there is neither -kernel nor
// -bios, instead of the bundled demo.
func TestFlashFirmware(t *testing.T) {
	code := []uint32{
		0xe3a00409, // mov r0, #0x09000000 (the PL011)
		0xe3a01046, // mov r1, #'F'
		0xe5801000, // str r1, [r0]
		0xe3a00018, // mov r0, #0x18 (SYS_EXIT)
		0xe3001026, // movw r1, #0x0026
		0xe3401002, // movt r1, #2 (ADP_Stopped_ApplicationExit)
		0xef123456, // svc #0x123456
		0xeafffffe, // b .
	}
	flash := make([]byte, 64<<20)
	for i, w := range code {
		binary.LittleEndian.PutUint32(flash[4*i:], w)
	}
	img := writeFile(t, "flash0.img", flash)
	exit, stdout, stderr := runMimic(t, "-M", "virt", "-nographic", "-semihosting", "--max-insns", "100000",
		"-drive", "if=pflash,unit=0,format=raw,readonly=on,file="+img)
	if exit != 0 || stdout != "F" {
		t.Errorf("exit %d, stdout %q, stderr %q; want 0 and the firmware's F", exit, stdout, stderr)
	}
}
