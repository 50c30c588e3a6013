//go:build acceptance

package linux

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"mimic/conformance/linux/guest"
	"mimic/devices/audio"
)

// The desktop devices with a real driver: Debian's trixie kernel (6.12)
// builds virtio-gpu, virtio-input and virtio-snd as modules, which the
// initramfs carries with their dependencies (scripts/fetch-guests.sh,
// /bin/desktop-up).

// typedCommand is what the virtio keyboard types into the shell on tty1;
// typedMarker is what it leaves in /tmp/typed. Lower case, so that QEMU's
// sendkey needs no shift but for '>'.
const (
	typedCommand = "echo mimic-typed >/tmp/typed\n"
	typedMarker  = "mimic-typed"
)

// tty1Shell starts a shell on tty1 (the framebuffer console once fbcon has
// taken it over) with tty1 as its controlling terminal, so that what the
// keyboard types runs there and its output is drawn on the screen.
const tty1Shell = "(setsid sh -c 'exec sh </dev/tty1 >/dev/tty1 2>&1' &)"

// desktopBoot is one boot of a desktop test: a kernel of the manifest
// and a RAM size, the emulator, the timeout.
type desktopBoot struct {
	emulator []string
	qemu     bool
	kernel   string
	ramMiB   int
	initrd   string
	timeout  time.Duration
	release  string
}

// desktopCases are the kernels the desktop tests boot: trixie's two
// flavours (LPAE with RAM above 1 GiB) and bookworm's, which has no
// virtio-snd driver.
var desktopCases = []kase{
	{"trixie-armmp", 512},
	{"trixie-armmp-lpae", 2048},
	{"bookworm-armmp", 512},
}

// forEachDesktopCase runs fn in a subtest per desktop case
// (MIMIC_LINUX_CASES selects, as for TestLinuxBoot).
func forEachDesktopCase(t *testing.T, fn func(t *testing.T, d desktopBoot)) {
	want := map[string]bool{}
	for _, c := range strings.Split(os.Getenv("MIMIC_LINUX_CASES"), ",") {
		if c != "" {
			want[c] = true
		}
	}
	for _, c := range desktopCases {
		if len(want) > 0 && !want[c.name()] && !want[c.kernel] {
			continue
		}
		t.Run(c.name(), func(t *testing.T) { fn(t, newDesktopBoot(t, c)) })
	}
}

func newDesktopBoot(t *testing.T, c kase) desktopBoot {
	t.Helper()
	root := repoRoot(t)
	guests := env("MIMIC_LINUX_GUESTS", filepath.Join(root, ".cache/guests"))
	emulator := strings.Fields(env("MIMIC_LINUX_EMULATOR", filepath.Join(root, "bin/mimic")+" -M virt"))
	timeout, err := time.ParseDuration(env("MIMIC_LINUX_TIMEOUT", "20m"))
	if err != nil {
		t.Fatalf("MIMIC_LINUX_TIMEOUT: %v", err)
	}
	pkgs := manifest(t, guests)
	pkg, ok := pkgs[c.kernel]
	if !ok {
		t.Fatalf("%s is not in %s/manifest: run scripts/fetch-guests.sh", c.kernel, guests)
	}
	// An initramfs built before the desktop modules were added has no
	// desktop.order for the kernel.
	rel := strings.TrimPrefix(pkg, "linux-image-")
	if _, err := os.Stat(filepath.Join(guests, "modules", rel, "desktop.order")); err != nil {
		t.Fatalf("the guests predate the desktop modules (%v): run scripts/fetch-guests.sh", err)
	}
	return desktopBoot{
		emulator: emulator,
		qemu:     strings.Contains(filepath.Base(emulator[0]), "qemu"),
		kernel:   filepath.Join(guests, c.kernel+".vmlinuz"),
		ramMiB:   c.ramMiB,
		initrd:   filepath.Join(guests, "initrd.gz"),
		timeout:  timeout,
		release:  rel,
	}
}

// start boots the guest with extra arguments, waits for its shell and
// loads the desktop modules. The console goes to MIMIC_LINUX_LOGDIR/NAME.log
// when that is set.
func (d desktopBoot) start(t *testing.T, name string, extra ...string) (*guest.Session, func(string) string) {
	t.Helper()
	var logw *os.File
	if dir := os.Getenv("MIMIC_LINUX_LOGDIR"); dir != "" {
		os.MkdirAll(dir, 0o755)
		if f, err := os.Create(filepath.Join(dir, name+".log")); err == nil {
			logw = f
			t.Cleanup(func() { f.Close() })
		}
	}
	// virtio-gpu, -input and -snd are virtio 1.0 devices: their drivers
	// ignore a legacy transport, QEMU 7.2's default on virt.
	extra = append([]string{"-global", "virtio-mmio.force-legacy=false"}, extra...)
	boot := guest.Boot{Emulator: d.emulator, RAMMiB: d.ramMiB, Kernel: d.kernel, Initrd: d.initrd, Extra: extra}
	var s *guest.Session
	var err error
	if logw != nil {
		s, err = guest.Start(boot, logw)
	} else {
		s, err = guest.Start(boot, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Kill)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("console (last 60 lines):\n%s", tail(s.Output(), 60))
		}
	})
	if _, err := s.WaitShell(context.Background(), d.timeout); err != nil {
		t.Fatalf("no shell: %v", err)
	}
	run := func(cmd string) string {
		t.Helper()
		out, status, err := s.Run(cmd, d.timeout)
		if err != nil {
			t.Fatalf("%s: %v", cmd, err)
		}
		if status != 0 {
			t.Fatalf("%s: exit status %d\n%s", cmd, status, out)
		}
		return out
	}
	// What the kernel prints while the drivers load comes through too.
	if out := run("desktop-up"); regexp.MustCompile(`(virtio|desktop)-up: `).MatchString(out) {
		t.Errorf("desktop-up said:\n%s", out)
	}
	return s, run
}

// powerOff powers the guest off and waits for the emulator's exit.
// Linux 6.12's virtio core resets every device on the way (virtio-gpu's
// reset takes the screen down): the screenshot must still show what the
// guest showed last.
func powerOff(t *testing.T, s *guest.Session, timeout time.Duration) {
	t.Helper()
	if err := s.Send("poweroff -f\n"); err != nil {
		t.Fatal(err)
	}
	if code, err := s.Wait(timeout); err != nil || code != 0 {
		t.Errorf("poweroff: status %d, %v", code, err)
	}
}

// TestDesktopDisplayInput boots with virtio-gpu and a virtio keyboard,
// loads their drivers and checks that DRM's fbdev emulation gives fb0
// and fbcon takes the console over; then a shell on tty1 gets a command
// typed on the virtio keyboard (Mimic: --input-script; QEMU: the
// monitor's sendkey), which the serial console sees the effect of; a
// pattern of pixels goes to /dev/fb0; and the screen saved when the guest
// has powered off (Mimic: --screenshot; QEMU: screendump just before)
// shows the console's text and the pattern, pixel for pixel.
func TestDesktopDisplayInput(t *testing.T) { forEachDesktopCase(t, testDisplayInput) }

func testDisplayInput(t *testing.T, d desktopBoot) {
	dir := t.TempDir()
	shot := filepath.Join(dir, "screen.png")
	extra := []string{"-device", "virtio-gpu-device", "-device", "virtio-keyboard-device"}
	if !d.qemu {
		// The keyboard types the command every 2 s of virtual time,
		// from the start to well past the test's timeout: keys sent
		// before the driver is loaded are lost, keys sent before the
		// shell on tty1 reads are kept by the tty, and a line cut in
		// two by the driver's arrival is a harmless error.
		script := filepath.Join(dir, "input.txt")
		if err := os.WriteFile(script, []byte(inputScript(2*time.Second, d.timeout+5*time.Minute)), 0o644); err != nil {
			t.Fatal(err)
		}
		extra = append(extra, "--input-script", script, "--screenshot", shot)
	}
	start := time.Now()
	s, run := d.start(t, "desktop-display-input-"+filepath.Base(t.Name()), extra...)

	// DRM, fbdev emulation, fbcon.
	dmesg := run("dmesg")
	for _, re := range []string{
		`\[drm\] Initialized virtio_gpu `,
		`fb0: virtio_?gpu ?drm ?fb frame buffer device`,
		`Console: switching to colou?r frame buffer device \d+x\d+`,
		`input: .*Virtio Keyboard as `,
	} {
		if !regexp.MustCompile(re).MatchString(dmesg) {
			t.Errorf("dmesg has no %q", re)
		}
	}
	if got := run("cat /sys/class/graphics/fb0/virtual_size"); !regexp.MustCompile(`^\d+,\d+$`).MatchString(got) {
		t.Errorf("fb0 virtual_size %q", got)
	}
	if got := run("cat /sys/class/vtconsole/vtcon1/name"); !strings.Contains(got, "frame buffer") {
		t.Errorf("vtcon1 is not fbcon: %q", got)
	}
	if got := run("cat /proc/bus/input/devices"); !regexp.MustCompile(`(?s)Virtio Keyboard.*?Handlers=[^\n]*\bkbd\b`).MatchString(got) {
		t.Errorf("no virtio keyboard with the VT's kbd handler:\n%s", got)
	}

	// A shell on tty1, and a command typed on the keyboard.
	run(tty1Shell)
	if d.qemu {
		qemuType(t, s, typedCommand)
	}
	deadline := time.Now().Add(min(d.timeout, 3*time.Minute))
	for {
		if got := run("cat /tmp/typed 2>/dev/null || true"); got == typedMarker {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("nothing typed on the virtio keyboard reached tty1's shell (/tmp/typed: %q)", got)
		}
		time.Sleep(time.Second)
	}
	// Nothing more draws on the console from here: the keyboard goes
	// (Mimic's keeps typing) and the cursor stops blinking. Debian's
	// 6.12.117 resets the virtio devices at power-off (the virtio core's
	// shutdown, backported) without the opt-out virtio-gpu got upstream
	// with it, so fbdev's damage worker can still queue a flush on the
	// broken virtqueue and WARN (seen once with max_outputs=2): a guest
	// race, which a quiet console avoids.
	run("rmmod virtio_input && echo 0 >/sys/class/graphics/fbcon/cursor_blink")

	// Pixels through /dev/fb0: the bottom rows, below the console's
	// text, get a pattern of 8 colours (fb0 is XRGB8888: B, G, R, X in
	// memory).
	var width, height, stride, bpp int
	if _, err := fmt.Sscanf(run("cat /sys/class/graphics/fb0/virtual_size /sys/class/graphics/fb0/stride /sys/class/graphics/fb0/bits_per_pixel"),
		"%d,%d\n%d\n%d", &width, &height, &stride, &bpp); err != nil || bpp != 32 {
		t.Fatalf("fb0: %v, %d bits per pixel", err, bpp)
	}
	var px strings.Builder
	for _, c := range patternColours {
		fmt.Fprintf(&px, `\0%03o\0%03o\0%03o\0000`, c.B, c.G, c.R)
	}
	doublings := 0
	for 4*len(patternColours)<<doublings < stride*patternRows {
		doublings++
	}
	run(fmt.Sprintf("printf %%b '%s' >/tmp/px && for i in $(seq %d); do cat /tmp/px /tmp/px >/tmp/px2 && mv /tmp/px2 /tmp/px; done", px.String(), doublings))
	run(fmt.Sprintf("dd if=/tmp/px of=/dev/fb0 bs=%d seek=%d count=%d 2>/dev/null", stride, height-patternRows, patternRows))
	// A write(2) to fb0 only adds to the damage; the next drawing on the
	// console has the damage worker flush it all (QEMU shows the same).
	run("echo >/dev/tty1")
	run("sleep 1")
	if d.qemu {
		qemuMonitor(t, s, "screendump "+shot+" -f png")
	}
	powerOff(t, s, d.timeout)
	t.Logf("display and input: %.1f s", time.Since(start).Seconds())

	// The screen goes beside the console log.
	if dir := os.Getenv("MIMIC_LINUX_LOGDIR"); dir != "" {
		if b, err := os.ReadFile(shot); err == nil {
			os.WriteFile(filepath.Join(dir, "desktop-display-input-"+filepath.Base(t.Name())+".png"), b, 0o644)
		}
	}
	img, err := readImage(shot)
	if err != nil {
		t.Fatalf("the screen: %v", err)
	}
	b := img.Bounds()
	if b.Dx() < 640 || b.Dy() < 400 {
		t.Fatalf("screen is %v, want at least 640x400", b.Size())
	}
	// The console's text sits at the top left: the shell's banner, the
	// typed commands. Count the pixels that differ from the background
	// (the right edge above the pattern) there; an 8x16 font lights
	// 10-30% of a line's cells.
	bg := color.RGBAModel.Convert(img.At(b.Max.X-1, b.Max.Y-patternRows-1))
	text := image.Rect(b.Min.X, b.Min.Y, b.Min.X+b.Dx()/2, b.Min.Y+160)
	lit := countLit(img, text, bg)
	t.Logf("screen %v: %d of %d pixels lit at the top left", b.Size(), lit, text.Dx()*text.Dy())
	if lit < 500 {
		t.Errorf("only %d of the %d pixels at the top left of the screen differ from the background %v: no console text", lit, text.Dx()*text.Dy(), bg)
	}
	if lit > text.Dx()*text.Dy()/2 {
		t.Errorf("%d of the %d pixels at the top left differ from the background %v: not text", lit, text.Dx()*text.Dy(), bg)
	}
	if bad := guest.Complaints(s.Output()); len(bad) > 0 {
		t.Errorf("kernel complaints:\n%s", strings.Join(bad, "\n"))
	}
	if b.Dx() != width || b.Dy() != height {
		t.Errorf("screen is %v, fb0 %dx%d", b.Size(), width, height)
	}
	// 6.1's fbdev emulation leaves write(2)s to /dev/fb0 in its shadow
	// buffer (QEMU shows the same); only mmap'd writes reach the device.
	if strings.HasPrefix(d.release, "6.1.") {
		t.Logf("%s: not checking the pixels written to /dev/fb0: its fbdev emulation does not flush write(2)s", d.release)
		return
	}
	bad := 0
	for y := b.Max.Y - patternRows; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			want := patternColours[(x-b.Min.X)%len(patternColours)]
			if got := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA); got != want {
				if bad < 5 {
					t.Errorf("pixel (%d,%d) is %v, /dev/fb0 has %v", x, y, got, want)
				}
				bad++
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of the %d pixels written through /dev/fb0 differ on the screen", bad, patternRows*b.Dx())
	}
}

// patternColours are the pixels TestDesktopDisplayInput writes to the
// last patternRows rows of /dev/fb0, repeated along each row.
var patternColours = []color.RGBA{
	{255, 0, 0, 255}, {0, 255, 0, 255}, {0, 0, 255, 255}, {255, 255, 255, 255},
	{0x12, 0x34, 0x56, 255}, {0xfe, 0xdc, 0xba, 255}, {1, 2, 3, 255}, {0x80, 0x80, 0x80, 255},
}

const patternRows = 64

// TestDesktopSound boots with virtio-snd recording to a WAV file, loads
// the ALSA modules and plays a 440 Hz sine twice, then checks what the
// host recorded: two tones of 440 Hz ± 2 %, of the right length and
// level, apart.
//   - Through the OSS emulation's /dev/dsp with busybox alone: two
//     seconds at /dev/dsp's defaults, 8 kHz unsigned 8-bit mono, which
//     need no ioctl.
//   - Through ALSA's own PCM device: pcmtone (cmd/pcmtone, built here for
//     the guest and handed over on a virtio disk) sets 48 kHz 16-bit
//     stereo with HW_PARAMS and plays two seconds at half scale, as a
//     desktop's sound server would, then drains.
func TestDesktopSound(t *testing.T) { forEachDesktopCase(t, testSound) }

func testSound(t *testing.T, d desktopBoot) {
	if d.qemu {
		t.Skip("qemu-system-arm 7.2 has no virtio-sound-device (QEMU 8.2 added it)")
	}
	if order, err := os.ReadFile(filepath.Join(filepath.Dir(d.initrd), "modules", d.release, "desktop.order")); err == nil && !strings.Contains(string(order), "virtio_snd") {
		t.Skipf("%s has no virtio-snd driver (CONFIG_SND_VIRTIO came in 5.13; Debian enables it from trixie)", d.release)
	}
	dir := t.TempDir()
	wav := filepath.Join(dir, "out.wav")
	player := buildGuestProgram(t, "./cmd/pcmtone", filepath.Join(dir, "pcmtone"))
	disk := filepath.Join(dir, "disk.raw")
	if err := os.WriteFile(disk, append(player, make([]byte, (1<<20)-len(player)%(1<<20))...), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	s, run := d.start(t, "desktop-sound-"+filepath.Base(t.Name()),
		"-drive", "file="+disk+",format=raw,if=none,id=d0", "-device", "virtio-blk-device,drive=d0",
		"-device", "virtio-sound-device,audiodev=snd0", "-audiodev", "wav,id=snd0,path="+wav)
	if got := run("cat /proc/asound/cards"); !strings.Contains(got, "virtio") && !strings.Contains(got, "VirtIO") {
		t.Errorf("/proc/asound/cards has no virtio card:\n%s", got)
	}
	run("ls /dev/snd/pcmC0D0p /dev/dsp >/dev/null")

	// OSS. One period of the tone: 400 samples at 8 kHz are exactly 22
	// cycles of 440 Hz. printf %b writes it from octal escapes, in four
	// lines short enough for the shell's line editor; 40 copies make two
	// seconds.
	const rate, freq, seconds = 8000, 440.0, 2
	var cycle []byte
	for i := range 400 {
		cycle = append(cycle, byte(128+math.Round(100*math.Sin(2*math.Pi*freq*float64(i)/rate))))
	}
	for i := 0; i < len(cycle); i += 100 {
		var b strings.Builder
		for _, v := range cycle[i : i+100] {
			fmt.Fprintf(&b, `\0%03o`, v)
		}
		run("printf %b '" + b.String() + "' >>/tmp/cycle")
	}
	run(fmt.Sprintf("for i in $(seq %d); do cat /tmp/cycle; done >/tmp/tone", seconds*rate/len(cycle)))
	run("cat /tmp/tone >/dev/dsp") // closing /dev/dsp drains the stream
	run("sleep 1")

	// ALSA.
	run(fmt.Sprintf("head -c %d /dev/vda >/tmp/pcmtone && chmod +x /tmp/pcmtone", len(player)))
	out := run(fmt.Sprintf("/tmp/pcmtone -rate 48000 -channels 2 -period 2048 -periods 8 -freq %g -seconds %d", freq, seconds))
	t.Logf("%s", out)
	run("sleep 1")
	powerOff(t, s, d.timeout)
	t.Logf("sound: %.1f s", time.Since(start).Seconds())

	f, err := os.Open(wav)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	format, data, err := audio.ReadWAV(bufio.NewReader(f))
	if err != nil {
		t.Fatalf("%s: %v", wav, err)
	}
	chans := audio.Decode(format, data)
	if len(chans) == 0 {
		t.Fatalf("%s: no channels (%v)", wav, format)
	}
	// Amplitude 100 of 128 (OSS): RMS 0.55 of full scale; half scale
	// (ALSA): 0.35.
	wantRMS := []float64{100.0 / 128 / math.Sqrt2, 0.5 / math.Sqrt2}
	for c, x := range chans {
		tones := sounds(x, format.Rate/100, 0.01)
		if len(tones) != len(wantRMS) {
			t.Errorf("channel %d: %d stretches of sound, want %d (OSS, ALSA): %v", c, len(tones), len(wantRMS), tones)
			continue
		}
		for i, r := range tones {
			tone := x[r[0]:r[1]]
			what := fmt.Sprintf("channel %d, %s tone", c, []string{"OSS", "ALSA"}[i])
			secs := float64(len(tone)) / float64(format.Rate)
			if math.Abs(secs-seconds) > 0.05 {
				t.Errorf("%s: %.3f s of sound, want %d s", what, secs, seconds)
			}
			if f := audio.DominantFrequency(tone, format.Rate, 50, 5000); math.Abs(f-freq) > freq*0.02 {
				t.Errorf("%s: dominant frequency %.1f Hz, want %.0f Hz ± 2%%", what, f, freq)
			}
			if rms := audio.RMS(tone); math.Abs(rms-wantRMS[i]) > 0.1*wantRMS[i] {
				t.Errorf("%s: RMS %.3f, want %.3f", what, rms, wantRMS[i])
			}
		}
	}
	if bad := guest.Complaints(s.Output()); len(bad) > 0 {
		t.Errorf("kernel complaints:\n%s", strings.Join(bad, "\n"))
	}
}

// buildGuestProgram builds the Go package pkg (relative to this
// directory) for the guest, a static linux/arm ARMv7 binary, at out and
// returns it.
func buildGuestProgram(t *testing.T, pkg, out string) []byte {
	t.Helper()
	gocmd := filepath.Join(runtime.GOROOT(), "bin", "go")
	if p, err := exec.LookPath("go"); err == nil {
		gocmd = p
	}
	cmd := exec.Command(gocmd, "build", "-trimpath", "-ldflags=-s", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm", "GOARM=7", "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s for the guest: %v\n%s", pkg, err, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sounds returns the stretches [start, end) of x where it is not silent:
// samples of magnitude floor or more, apart by less than gap samples.
func sounds(x []float64, gap int, floor float64) [][2]int {
	var out [][2]int
	last := -1
	for i, v := range x {
		if math.Abs(v) < floor {
			continue
		}
		if last < 0 || i-last > gap {
			out = append(out, [2]int{i, i + 1})
		}
		out[len(out)-1][1] = i + 1
		last = i
	}
	return out
}

// inputScript is a --input-script that types typedCommand every interval
// until end.
func inputScript(interval, end time.Duration) string {
	var b strings.Builder
	b.WriteString("# written by conformance/linux TestDesktopDisplayInput\n")
	for at := interval; at < end; at += interval {
		fmt.Fprintf(&b, "%s type %q\n", at, typedCommand)
	}
	return b.String()
}

// qemuKeys are QEMU's sendkey names for what typedCommand holds.
var qemuKeys = map[rune]string{' ': "spc", '\n': "ret", '-': "minus", '>': "shift-dot", '/': "slash", '.': "dot"}

// qemuType types text on QEMU's keyboard through its monitor.
func qemuType(t *testing.T, s *guest.Session, text string) {
	t.Helper()
	var cmds []string
	for _, r := range text {
		k, ok := qemuKeys[r]
		if !ok {
			if !('a' <= r && r <= 'z' || '0' <= r && r <= '9') {
				t.Fatalf("qemuType: no key for %q", r)
			}
			k = string(r)
		}
		cmds = append(cmds, "sendkey "+k)
	}
	qemuMonitor(t, s, cmds...)
}

// qemuMonitor runs commands in QEMU's monitor, which -nographic
// multiplexes with the serial console on stdio: Ctrl-A c switches
// between them. Each command's prompt is awaited before the next.
func qemuMonitor(t *testing.T, s *guest.Session, cmds ...string) {
	t.Helper()
	prompt := regexp.MustCompile(`\(qemu\) `)
	from := len(s.Output())
	if err := s.Send("\x01c"); err != nil {
		t.Fatal(err)
	}
	at, err := s.WaitFor(prompt, from, 30*time.Second)
	if err != nil {
		t.Fatalf("QEMU monitor: %v", err)
	}
	for _, c := range cmds {
		if err := s.Send(c + "\n"); err != nil {
			t.Fatal(err)
		}
		if at, err = s.WaitFor(prompt, at, 30*time.Second); err != nil {
			t.Fatalf("QEMU monitor %q: %v", c, err)
		}
	}
	if err := s.Send("\x01c"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
}

// readImage reads a PNG file.
func readImage(path string) (image.Image, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(b, []byte("\x89PNG")) {
		return nil, errors.New(path + ": not a PNG file")
	}
	return png.Decode(bytes.NewReader(b))
}

// countLit counts the pixels of r in img whose colour is not bg.
func countLit(img image.Image, r image.Rectangle, bg color.Color) int {
	want := color.RGBAModel.Convert(bg).(color.RGBA)
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if color.RGBAModel.Convert(img.At(x, y)).(color.RGBA) != want {
				n++
			}
		}
	}
	return n
}
