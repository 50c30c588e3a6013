package main

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mimic/bios/fdt"
)

func TestDumpDTB(t *testing.T) {
	out := filepath.Join(t.TempDir(), "virt.dtb")
	code, _, stderr := runMimic(t, "-m", "256", "--append", "console=ttyAMA0", "--kernel", "../../machine/virt/testdata/kernel.bin",
		"--initrd", "../../machine/virt/testdata/initrd.cpio.gz", "--dump-dtb", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	blob, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	root, err := fdt.Unmarshal(blob)
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := root.Find("/chosen").GetString("bootargs"); s != "console=ttyAMA0" {
		t.Errorf("bootargs = %q", s)
	}
	if reg, _ := root.Find("/memory@40000000").GetCells("reg"); len(reg) != 4 || reg[3] != 256<<20 {
		t.Errorf("memory reg = %v", reg)
	}
	// Without a kernel: the board's tree.
	code, _, stderr = runMimic(t, "--dump-dtb", out)
	if code != 0 {
		t.Fatalf("exit %d without a kernel: %s", code, stderr)
	}
}

// TestBadBootInput: a bad Linux boot image or flag is a one-line error
// and status 2.
func TestBadBootInput(t *testing.T) {
	dir := t.TempDir()
	arm64 := make([]byte, 0x40)
	binary.LittleEndian.PutUint32(arm64[0x38:], 0x644d5241)
	img := filepath.Join(dir, "Image")
	os.WriteFile(img, arm64, 0o644)
	bad := filepath.Join(dir, "bad.dtb")
	os.WriteFile(bad, []byte("\xd0\x0d\xfe\xed and then nothing useful"), 0o644)
	kernel := "../../machine/virt/testdata/kernel.bin"
	gz, err := os.ReadFile("../../machine/virt/testdata/initrd.cpio.gz")
	if err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(dir, "initrd.gz")
	os.WriteFile(truncated, gz[:len(gz)-10], 0o644)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"arm64 kernel", []string{"--kernel", img}, "arm64"},
		{"initrd without kernel", []string{"--initrd", kernel}, "--initrd needs --kernel"},
		{"append without kernel", []string{"--append", "x"}, "--append needs --kernel"},
		{"too much RAM", []string{"-m", "4096", "--kernel", kernel}, "more than the virt board"},
		{"malformed DTB", []string{"--kernel", kernel, "--dtb", bad}, "device tree"},
		{"truncated initrd", []string{"--kernel", kernel, "--initrd", truncated}, "truncated gzip"},
		{"missing bios", []string{"--bios", filepath.Join(dir, "none")}, "firmware"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// --max-insns: a case that boots by mistake ends quickly.
			code, _, stderr := runMimic(t, append(tt.args, "--serial", "none", "--max-insns", "1000")...)
			if code != 2 {
				t.Errorf("exit %d, want 2 (stderr %q)", code, stderr)
			}
			if !strings.Contains(stderr, tt.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Errorf("stderr %q: want one line mentioning %q", stderr, tt.want)
			}
		})
	}
}
