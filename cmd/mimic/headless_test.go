package main

import (
	"encoding/binary"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mimic/bios/fdt"
	"mimic/devices/audio"
	"mimic/devices/ramfb"
)

// movw and movt encode MOVW/MOVT Rd, #imm16 (A32, ARMv7).
func movw(rd int, v uint16) uint32 {
	return 0xe3000000 | uint32(v>>12)<<16 | uint32(rd)<<12 | uint32(v&0xfff)
}
func movt(rd int, v uint16) uint32 {
	return 0xe3400000 | uint32(v>>12)<<16 | uint32(rd)<<12 | uint32(v&0xfff)
}

// mov32 loads v into rd.
func mov32(rd int, v uint32) []uint32 { return []uint32{movw(rd, uint16(v)), movt(rd, uint16(v>>16))} }

// semihostExit0 ends the program through semihosting SYS_EXIT with
// ADP_Stopped_ApplicationExit (status 0).
var semihostExit0 = []uint32{
	0xe3a00018, // mov r0, #0x18 (SYS_EXIT)
	0xe3001026, // movw r1, #0x0026
	0xe3401002, // movt r1, #2
	0xef123456, // svc #0x123456
	0xeafffffe, // b .
}

// ramfbProgram is a bare-metal program that does what firmware does to
// show a picture with ramfb: it writes a RAMFBCfg for a 16x16 XRGB8888
// framebuffer to the fw_cfg file etc/ramfb with one DMA transfer, draws
// a red pixel at (0, 0) and exits. etc/ramfb is the board's only fw_cfg
// file, so its key is the first file key, 0x20 (firmware would look it
// up in the directory).
func ramfbProgram(t *testing.T) []byte {
	t.Helper()
	const (
		base   = 0x40000000
		dmaAt  = base + 0x100 // FWCfgDmaAccess
		cfgAt  = base + 0x120 // RAMFBCfg
		fb     = base + 0x100000
		fwDMA  = 0x09020010 // fw_cfg's DMA address register (big-endian)
		keyRFB = 0x20
	)
	var code []uint32
	code = append(code, mov32(0, fwDMA)...)
	code = append(code, 0xe3a01000)                // mov r1, #0
	code = append(code, 0xe5801000)                // str r1, [r0] (high half)
	code = append(code, mov32(1, bswap(dmaAt))...) //
	code = append(code, 0xe5801004)                // str r1, [r0, #4] (low half: go)
	code = append(code, mov32(2, fb)...)           //
	code = append(code, mov32(3, 0x00ff0000)...)   // red in XRGB8888
	code = append(code, 0xe5823000)                // str r3, [r2]
	code = append(code, semihostExit0...)          //
	for len(code) < 0x100/4 {
		code = append(code, 0)
	}
	data := make([]byte, 0x20+ramfb.CfgSize)
	binary.BigEndian.PutUint32(data[0:], keyRFB<<16|8|16) // SELECT | WRITE
	binary.BigEndian.PutUint32(data[4:], ramfb.CfgSize)
	binary.BigEndian.PutUint64(data[8:], cfgAt)
	c := ramfb.Config{Addr: fb, FourCC: uint32('X') | 'R'<<8 | '2'<<16 | '4'<<24, Width: 16, Height: 16, Stride: 64}
	copy(data[0x20:], c.Bytes())
	for i := 0; i < len(data); i += 4 {
		code = append(code, binary.LittleEndian.Uint32(data[i:]))
	}
	return armELF(t, base, code)
}

func bswap(v uint32) uint32 {
	return v>>24 | v>>8&0xff00 | v<<8&0xff0000 | v<<24
}

// TestScreenshotRAMFB runs a guest that sets up ramfb and checks the
// --screenshot it leaves behind.
func TestScreenshotRAMFB(t *testing.T) {
	prog := writeFile(t, "ramfb.elf", ramfbProgram(t))
	out := filepath.Join(t.TempDir(), "screen.png")
	code, _, stderr := runMimic(t, "--kernel", prog, "-semihosting", "-device", "ramfb", "--screenshot", out,
		"--icount", "0", "--max-insns", "100000")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 16 || b.Dy() != 16 {
		t.Fatalf("screenshot is %v, want 16x16", b)
	}
	if r, g, b, _ := img.At(0, 0).RGBA(); r>>8 != 0xff || g != 0 || b != 0 {
		t.Errorf("pixel (0,0) = %v, want red", img.At(0, 0))
	}
	if r, g, b, _ := img.At(1, 0).RGBA(); r|g|b != 0 {
		t.Errorf("pixel (1,0) = %v, want black", img.At(1, 0))
	}
}

// TestHeadlessErrors: headless options the machine cannot serve, and bad
// input scripts, are one-line errors.
func TestHeadlessErrors(t *testing.T) {
	exit := writeFile(t, "exit.elf", armELF(t, 0x40000000, semihostExit0))
	badScript := writeFile(t, "bad.txt", []byte("key nosuchkey\nfrobnicate\n"))
	goodScript := writeFile(t, "good.txt", []byte("10ms key a\n"))
	png := filepath.Join(t.TempDir(), "s.png")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"screenshot without a display", []string{"--screenshot", png}, 2,
			"--screenshot needs a display: add -device virtio-gpu-device or -device ramfb"},
		{"screenshot of a screen never set up", []string{"-device", "virtio-gpu-device", "--screenshot", png}, 1,
			"--screenshot: the guest never set up its screen"},
		{"audio-out without a sound card", []string{"--audio-out", filepath.Join(t.TempDir(), "a.wav")}, 2,
			"--audio-out needs a sound card: -device virtio-sound-device"},
		{"audio-out to a bad path", []string{"-device", "virtio-sound-device", "--audio-out", "/nonexistent/dir/a.wav"}, 2,
			"--audio-out"},
		{"input script without an input device", []string{"--input-script", goodScript}, 2,
			"--input-script needs an input device"},
		{"bad input script", []string{"-device", "virtio-keyboard-device", "--input-script", badScript}, 2,
			"--input-script: " + badScript + ":1:"},
		{"missing input script", []string{"-device", "virtio-keyboard-device", "--input-script", "/nonexistent/script"}, 2,
			"no such file"},
		{"pci display", []string{"-device", "virtio-gpu-pci"}, 2, "no PCI yet; use virtio-gpu-device"},
		{"unknown key", []string{"-device", "virtio-tablet-device,bogus=1"}, 2, `unknown key "bogus"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"--kernel", exit, "-semihosting", "--icount", "0", "--max-insns", "100000"}, tt.args...)
			code, _, stderr := runMimic(t, args...)
			if code != tt.code {
				t.Errorf("exit status %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "mimic: ") || !strings.Contains(lines[0], tt.want) {
				t.Errorf("stderr %q: want one line \"mimic: ...%s...\"", stderr, tt.want)
			}
		})
	}
}

// TestDesktopDevicesRun runs a guest with every desktop device, an input
// script and a recording: the guest never drives them, but the machine
// builds, the script's events run on the clock, and the WAV file is
// closed with a valid header.
func TestDesktopDevicesRun(t *testing.T) {
	spin := writeFile(t, "spin.elf", armELF(t, 0x40000000, []uint32{0xeafffffe}))
	script := writeFile(t, "in.txt", []byte("1us type \"root\\n\"\nmouse 50% 50%\nclick\nwheel 1\n"))
	dir := t.TempDir()
	wav, rec := filepath.Join(dir, "out.wav"), filepath.Join(dir, "rec.wav")
	code, _, stderr := runMimic(t, "--kernel", spin, "--icount", "7", "--max-insns", "2000000",
		"-device", "virtio-gpu-device,xres=640,yres=480", "-device", "ramfb",
		"-device", "virtio-keyboard-device", "-device", "virtio-mouse-device", "-device", "virtio-tablet-device",
		"-audiodev", "wav,id=snd0,path="+rec, "-device", "virtio-sound-device,audiodev=snd0",
		"--audio-out", wav, "--input-script", script)
	if code != 1 || !strings.Contains(stderr, "instruction limit") {
		t.Fatalf("exit %d, stderr %q; want 1 and the instruction limit", code, stderr)
	}
	for _, p := range []string{wav, rec} {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		format, frames, err := audio.ReadWAV(f)
		f.Close()
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if format != audio.DefaultFormat || len(frames) != 0 {
			t.Errorf("%s: %v with %d bytes, want an empty %v recording", p, format, len(frames), audio.DefaultFormat)
		}
	}
}

// TestDumpDTBWithGPU: a virtio-gpu-device is on a virtio-mmio transport,
// whose node the tree has as QEMU's (the first device given takes the
// highest slot).
func TestDumpDTBWithGPU(t *testing.T) {
	out := filepath.Join(t.TempDir(), "virt.dtb")
	code, _, stderr := runMimic(t, "-device", "virtio-gpu-device", "--dump-dtb", out)
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
	n := root.Find("/virtio_mmio@a003e00")
	if n == nil {
		t.Fatal("no /virtio_mmio@a003e00")
	}
	if s, _ := n.GetString("compatible"); s != "virtio,mmio" {
		t.Errorf("compatible = %q, want virtio,mmio", s)
	}
	if root.Find("/pl061@9030000") == nil || root.Find("/gpio-keys/poweroff") == nil {
		t.Error("no PL061 or power button in the tree")
	}
}
