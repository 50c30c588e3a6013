package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mimic/devices/audio"
)

// The graphical demo (roms/gdemo) with its virtio-gpu, keyboard and tablet,
// deterministic under --icount.
var gdemoDir = filepath.Join("..", "..", "roms", "gdemo")

func gdemoArgs(frames string, extra ...string) []string {
	return append([]string{"-M", "virt", "-m", "256", "-semihosting", "-nographic", "-nic", "none",
		"-kernel", filepath.Join(gdemoDir, "gdemo.elf"), "-append", frames,
		"-device", "virtio-gpu-device", "-device", "virtio-keyboard-device", "-device", "virtio-tablet-device",
		"-icount", "shift=0"}, extra...)
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// differing counts the pixels where a and b differ (colour, ignoring alpha).
func differing(a, b image.Image) int {
	if a.Bounds() != b.Bounds() {
		return -1
	}
	n := 0
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			ca := color.NRGBAModel.Convert(a.At(x, y)).(color.NRGBA)
			cb := color.NRGBAModel.Convert(b.At(x, y)).(color.NRGBA)
			if ca.R != cb.R || ca.G != cb.G || ca.B != cb.B {
				n++
			}
		}
	}
	return n
}

// gdemoHalted runs the demo to frame 60 with "halt" (record-qemu.sh's
// run), feeds it script (an input script that ends with Esc, which ends
// the halt) and returns Mimic's screenshot of the frame then on screen.
func gdemoHalted(t *testing.T, script string) image.Image {
	t.Helper()
	dir := t.TempDir()
	keys, shot := filepath.Join(dir, "input.keys"), filepath.Join(dir, "mimic.png")
	if err := os.WriteFile(keys, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runMimic(t, gdemoArgs("frames=60 halt", "--input-script", keys, "--screenshot", shot)...)
	if code != 0 || !strings.Contains(stdout, "frames shown 60, skipped 0") || !strings.Contains(stdout, "gpu errors 0") {
		t.Fatalf("the demo did not show its 60 frames and stop (exit %d):\n%s\n%s", code, stdout, stderr)
	}
	return readPNG(t, shot)
}

// matchQEMU compares got with QEMU's screendump testdata/name; on a
// difference it keeps got in the temporary directory for inspection.
func matchQEMU(t *testing.T, got image.Image, name, what string) {
	t.Helper()
	want := readPNG(t, filepath.Join(gdemoDir, "testdata", name))
	n := differing(got, want)
	if n == 0 {
		return
	}
	kept := "Mimic's is " + keepPNG(got, "mimic-"+strings.TrimSuffix(name, ".png")+"-*.png")
	t.Errorf("%s differs from QEMU's (%s) in %d pixels (size %v, QEMU's %v); %s",
		what, name, n, got.Bounds(), want.Bounds(), kept)
}

// keepPNG writes img to a new file in the temporary directory (named by
// pattern, as for os.CreateTemp) that outlives the test, and returns its
// name or why there is none.
func keepPNG(img image.Image, pattern string) string {
	f, err := os.CreateTemp("", pattern)
	if err != nil {
		return fmt.Sprintf("not kept (%v)", err)
	}
	err = png.Encode(f, img)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Sprintf("not kept (%v)", err)
	}
	return f.Name()
}

// TestGDemoMatchesQEMU compares the demo's frame 60 on Mimic's virtio-gpu
// with QEMU's screendump of the same run (roms/gdemo/record-qemu.sh).
func TestGDemoMatchesQEMU(t *testing.T) {
	matchQEMU(t, gdemoHalted(t, "1500ms key esc\n"), "qemu-frame60.png", "frame 60")
}

// gdemoKeys presses the keys of record-qemu.sh's KEYS, after the demo has
// halted on frame 60 (at 983 ms); only how many presses of which key
// matter, not when.
const gdemoKeys = `1100ms key right
1200ms key right
1300ms key right
1400ms key down
1500ms key down
1700ms key esc
`

// TestGDemoKeysMatchQEMU compares the halted demo's frame 60 after
// scripted arrow keys, which move the cube, with QEMU's screendump after
// the same keys sent through its monitor (roms/gdemo/record-qemu.sh).
func TestGDemoKeysMatchQEMU(t *testing.T) {
	matchQEMU(t, gdemoHalted(t, gdemoKeys), "qemu-keys.png", "frame 60 after the arrow keys")
}

// TestGDemoInputAndSound types arrow keys and clicks through an input
// script (roms/gdemo/check.keys) and records the sound card: the demo
// counts what reached it, the cube has moved, each key press is a 440 Hz
// tone, a left click 660 Hz and Space 880 Hz; two runs are identical.
func TestGDemoInputAndSound(t *testing.T) {
	dir := t.TempDir()
	run := func(name string, script bool) (png, wav string, stdout string) {
		png, wav = filepath.Join(dir, name+".png"), filepath.Join(dir, name+".wav")
		args := gdemoArgs("frames=180", "-device", "virtio-sound-device,audiodev=a", "-audiodev", "none,id=a",
			"--screenshot", png, "--audio-out", wav)
		if script {
			args = append(args, "--input-script", filepath.Join(gdemoDir, "check.keys"))
		}
		code, stdout, stderr := runMimic(t, args...)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s\n%s", name, code, stdout, stderr)
		}
		return png, wav, stdout
	}
	png1, wav1, out := run("keys1", true)
	if !strings.Contains(out, "keys 5, clicks 1, tones 6") || !strings.Contains(out, "sound errors 0") {
		t.Errorf("the demo's counters after the script:\n%s", out)
	}
	png2, wav2, _ := run("keys2", true)
	still, _, _ := run("still", false)
	for _, p := range [][2]string{{png1, png2}, {wav1, wav2}} {
		a, _ := os.ReadFile(p[0])
		b, _ := os.ReadFile(p[1])
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s and %s differ: the run is not deterministic", p[0], p[1])
		}
	}
	if n := differing(readPNG(t, png1), readPNG(t, still)); n < 1000 {
		t.Errorf("the input changed only %d pixels of the last frame", n)
	}

	f, err := os.Open(wav1)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	format, data, err := audio.ReadWAV(f)
	if err != nil {
		t.Fatal(err)
	}
	left := audio.Decode(format, data)[0]
	rate := format.Rate
	// The file starts with the first tone (the arrow keys at 500 ms of
	// the script); the click is at 1500 ms, Space at 2000 ms.
	for _, c := range []struct {
		at   int // ms after the first tone
		freq float64
	}{{0, 440}, {1000, 660}, {1500, 880}} {
		lo, hi := (c.at+20)*rate/1000, (c.at+80)*rate/1000
		if hi > len(left) {
			t.Fatalf("the recording has %d frames; the tone at %d ms is missing", len(left), c.at)
		}
		x := left[lo:hi]
		if f := audio.DominantFrequency(x, rate, 100, 4000); f < c.freq*0.98 || f > c.freq*1.02 {
			t.Errorf("tone at %d ms: %.1f Hz, want %.0f", c.at, f, c.freq)
		}
		if audio.RMS(x) < 0.05 {
			t.Errorf("tone at %d ms: level %.3f, too quiet", c.at, audio.RMS(x))
		}
	}
}
