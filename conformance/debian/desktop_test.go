//go:build acceptance

package debian

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"mimic/conformance/linux/guest"
	"mimic/devices/audio"
)

// The guest's screen: virtio-gpu's default scanout.
const guestW, guestH = 1280, 800

// TestDebianDesktop boots the desktop variant of the Debian disk
// (build-debian-disk.sh --variant=desktop) in a real window: the
// emulator's SDL display on an X server (Xvfb, which
// scripts/debian-desktop-acceptance.sh starts with a window manager), with
// virtio-gpu, a virtio keyboard and tablet and virtio-snd recording to a
// WAV file. As a user at the desktop would, the test
//
//   - waits for X.Org (modesetting on virtio-gpu) with twm and an xterm,
//     started by the disk's mimic-desktop service;
//   - finds the guest's picture in a screenshot of the host's X screen and
//     the xterm in it (a large white window on X's black root);
//   - moves the host's pointer over the window with xdotool: X's pointer
//     follows to the same guest pixel (virtio-tablet, absolute);
//   - clicks: X sees the click in the xterm (xdotool selectwindow in the
//     guest reports the window under it);
//   - types a command with xdotool's key events into the window: it runs
//     in the xterm's shell, and the terminal shows more text;
//   - switches to tty1 (fbcon on virtio-gpu) and logs in there by typing
//     into the window;
//   - plays a 440 Hz sine with ALSA's speaker-test and a WAV with aplay,
//     which the host records;
//   - closes the window: the board's power button, handled by
//     systemd-logind, powers the guest off and the emulator exits with 0.
//
// The serial console (autologin root shell) observes the guest's side.
func TestDebianDesktop(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("no $DISPLAY: the test needs an X server (scripts/debian-desktop-acceptance.sh starts Xvfb)")
	}
	for _, tool := range []string{"xdotool", "xwininfo", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s: %v (install xdotool, x11-utils, imagemagick)", tool, err)
		}
	}
	r := newRig(t, "MIMIC_DEBIAN_DESKTOP_DISK", "scripts/debian-desktop-acceptance.sh")
	dir := r.disk
	r.emulator = strings.Fields(env("MIMIC_DEBIAN_DESKTOP_EMULATOR", filepath.Join(r.root, "bin/mimic-sdl")+" -M virt"))
	qemu := strings.Contains(filepath.Base(r.emulator[0]), "qemu")
	wav := filepath.Join(r.dir, "sound.wav")
	extra := []string{
		"-snapshot", "-drive", "file=" + filepath.Join(dir, "disk.qcow2") + ",format=qcow2,if=virtio",
		"-nic", "none", "-display", "sdl",
		"-global", "virtio-mmio.force-legacy=false",
		"-device", "virtio-gpu-device", "-device", "virtio-keyboard-device", "-device", "virtio-tablet-device",
	}
	if !qemu { // QEMU 7.2 has no virtio-sound-device
		extra = append(extra, "-device", "virtio-sound-device,audiodev=snd", "-audiodev", "wav,id=snd,path="+wav)
	}
	s := r.bootWith("desktop", guest.Boot{Emulator: r.emulator, RAMMiB: 768, Display: true,
		Kernel: filepath.Join(dir, "vmlinuz"), Initrd: filepath.Join(dir, "initrd.img"),
		Append: "root=/dev/vda2 console=ttyAMA0 rw", Extra: extra})
	s.login()

	// X, twm and the xterm: the terminal's window exists once xterm has
	// mapped it.
	term := s.poll("the xterm on X", 5*time.Minute, "DISPLAY=:0 xdotool search --onlyvisible --name '^Mimic terminal$' 2>/dev/null | head -n1")
	t.Logf("X with the terminal (window %s) after %.1f s", term, s.Elapsed().Seconds())
	// X adds the input devices as udev announces them, which can be
	// after the terminal is up; what comes before is lost to X.
	s.poll("X's keyboard and tablet", 2*time.Minute, `grep -o 'XINPUT: Adding extended input device "QEMU Virtio [KT][a-z]*"' /var/log/Xorg.0.log | sort -u | wc -l | grep -x 2`)
	if got := s.run("grep -c 'modeset(0): Output Virtual-1 connected' /var/log/Xorg.0.log || true"); got == "0" {
		t.Errorf("X.Org's modesetting driver has no connected virtio-gpu output:\n%s", s.run("tail -n 30 /var/log/Xorg.0.log"))
	}

	win := hostWindow(t, qemu)
	time.Sleep(2 * time.Second) // the terminal's first drawing
	pic := win.picture(t, "x-before")
	white := image.Rect(0, 0, 0, 0)
	if n, bounds := countNear(pic, color.RGBA{255, 255, 255, 255}, 8); n < 60000 {
		t.Errorf("the guest's picture shows no terminal: %d white pixels (an 80x24 xterm has ~150000)", n)
	} else {
		white = bounds
		t.Logf("the terminal spans %v of the guest's screen (%d white pixels)", bounds, n)
	}
	if n, _ := countNear(pic, color.RGBA{0, 0, 0, 255}, 8); n < guestW*guestH/2 {
		t.Errorf("X's black root window covers only %d pixels of the guest's screen", n)
	}

	// The pointer: absolute, to the same guest pixel.
	target := image.Pt(400, 250)
	if !white.Empty() {
		target = image.Pt((white.Min.X+white.Max.X)/2, (white.Min.Y+white.Max.Y)/2)
	}
	win.moveTo(t, target)
	if at := s.run("DISPLAY=:0 xdotool getmouselocation"); !strings.HasPrefix(at, fmt.Sprintf("x:%d y:%d ", target.X, target.Y)) {
		t.Logf("the guest's pointer after the move: %s", at)
	}
	loc := s.poll("the guest's pointer", time.Minute, fmt.Sprintf(
		"DISPLAY=:0 xdotool getmouselocation --shell | tr '\\n' ' ' | grep -E 'X=(%d|%d|%d) Y=(%d|%d|%d) '",
		target.X-1, target.X, target.X+1, target.Y-1, target.Y, target.Y+1))
	t.Logf("guest pointer: %s", loc)

	// A click, seen by X in the terminal's window.
	s.run("(DISPLAY=:0 timeout 120 xdotool selectwindow >/tmp/clicked 2>&1 &) ; sleep 3")
	xdo(t, "click", "1")
	clicked := s.poll("the click", time.Minute, "test -s /tmp/clicked && cat /tmp/clicked")
	// selectwindow names the top-level window under the click: twm's
	// frame around the xterm, which must hold the point clicked.
	var gx, gy, gw, gh int
	geo := s.run("DISPLAY=:0 xdotool getwindowgeometry --shell " + clicked + " | tr '\n' ' '")
	if _, err := fmt.Sscanf(geo, "WINDOW=%d X=%d Y=%d WIDTH=%d HEIGHT=%d", new(int), &gx, &gy, &gw, &gh); err != nil ||
		!target.In(image.Rect(gx, gy, gx+gw, gy+gh)) || gw >= guestW {
		t.Errorf("the click at %v landed on window %s (%s), not the terminal's", target, clicked, geo)
	}

	// Typing, as key events to the window (the focus follows the pointer
	// in twm).
	xdo(t, "type", "--delay", "120", "echo typed-in-x >/tmp/x-typed")
	xdo(t, "key", "--delay", "120", "Return")
	if got := s.poll("the typed command", 2*time.Minute, "cat /tmp/x-typed 2>/dev/null"); got != "typed-in-x" {
		t.Errorf("/tmp/x-typed: %q", got)
	}
	time.Sleep(2 * time.Second)
	after := win.picture(t, "x-typed")
	if !white.Empty() {
		dark := func(img image.Image) int {
			n, _ := countNear(crop(img, white), color.RGBA{0, 0, 0, 255}, 100)
			return n
		}
		if before, now := dark(pic), dark(after); now < before+200 {
			t.Errorf("the terminal shows no more text after typing: %d dark pixels, before %d", now, before)
		}
	}

	// tty1: the console on the framebuffer, a login typed into the window.
	s.run("busybox chvt 1")
	time.Sleep(3 * time.Second)
	xdo(t, "type", "--delay", "120", "root")
	xdo(t, "key", "Return")
	time.Sleep(3 * time.Second)
	xdo(t, "type", "--delay", "120", "mimic")
	xdo(t, "key", "Return")
	// (trixie's login no longer writes utmp for who(1): look for the shell.)
	s.poll("root's login on tty1", 2*time.Minute, "ps -t tty1 -o user=,comm= | grep -E '^root +bash$'")
	tty := win.picture(t, "tty1")
	if n, _ := countNear(tty, color.RGBA{255, 255, 255, 255}, 8); n > 60000 {
		t.Errorf("tty1 is not on the screen (%d white pixels: still X's terminal?)", n)
	}
	s.run("busybox chvt 7")

	// Sound: a sine through ALSA, then a WAV file.
	if !qemu {
		s.run("speaker-test -t sine -f 440 -c 2 -r 48000 -F S16_LE -l 1 -s 1 >/tmp/st.log 2>&1; tail -n 3 /tmp/st.log")
		s.run("aplay -q /usr/share/sounds/alsa/Front_Center.wav")
	}

	// Closing the window presses the power button.
	if qemu {
		s.poweroff()
	} else {
		xdo(t, "windowactivate", "--sync", win.id)
		xdo(t, "key", "--window", win.id, "alt+F4")
		code, err := s.Wait(r.timeout)
		if err != nil || code != 0 {
			t.Fatalf("closing the window: exit status %d, %v", code, err)
		}
		if !strings.Contains(s.Output(), "reboot: Power down") {
			t.Errorf("the guest did not power off cleanly after the window was closed")
		}
	}
	if bad := guest.Complaints(s.Output()); len(bad) > 0 {
		t.Errorf("kernel complaints:\n%s", strings.Join(bad, "\n"))
	}
	if !qemu {
		checkDesktopSound(t, wav)
	}
}

// checkDesktopSound finds speaker-test's sine (440 Hz ± 2 %, a clear
// level, on the left channel then the right) and aplay's voice in the
// recording.
func checkDesktopSound(t *testing.T, path string) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	format, data, err := audio.ReadWAV(f)
	if err != nil {
		t.Fatal(err)
	}
	ch := audio.Decode(format, data)
	rate := format.Rate
	// speaker-test plays the left channel first; find where it starts.
	left := ch[0]
	start := -1
	win := rate / 20
	for i := 0; i+win <= len(left); i += win / 2 {
		if audio.RMS(left[i:i+win]) > 0.05 {
			start = i
			break
		}
	}
	if start < 0 {
		t.Fatalf("the recording (%d frames, %s) is silent", len(left), format)
	}
	seg := left[start+win : min(len(left), start+win+rate/2)]
	if len(seg) < rate/4 {
		t.Fatalf("the tone is too short: %d frames", len(seg))
	}
	freq := audio.DominantFrequency(seg, rate, 100, 4000)
	t.Logf("speaker-test: %.1f Hz at level %.3f, %d s into the recording", freq, audio.RMS(seg), start/rate)
	if freq < 440*0.98 || freq > 440*1.02 {
		t.Errorf("speaker-test's sine is %.1f Hz, want 440 ± 2 %%", freq)
	}
	// aplay's voice comes last: sound in the last 3 s that is not a sine.
	loud := 0
	for i := max(0, len(left)-3*rate); i+win <= len(left); i += win {
		if audio.RMS(left[i:i+win]) > 0.01 {
			loud++
		}
	}
	if loud < 5 {
		t.Errorf("aplay's WAV is missing from the end of the recording (%d loud 50 ms windows)", loud)
	}
}

// poll runs cmd on the serial console until it exits 0 with output, and
// returns that output.
func (s *session) poll(what string, limit time.Duration, cmd string) string {
	s.r.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		out, status, err := s.Run(cmd, s.r.timeout)
		if err != nil {
			s.r.t.Fatalf("%s: %s: %v", what, cmd, err)
		}
		if status == 0 && out != "" {
			return out
		}
		if time.Now().After(deadline) {
			s.r.t.Fatalf("%s: not seen within %v (%s: status %d, %q)", what, limit, cmd, status, out)
		}
		time.Sleep(2 * time.Second)
	}
}

// xdo runs xdotool on the host's X server.
func xdo(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "xdotool", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("xdotool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// hostWin is the emulator's window on the host's X screen.
type hostWin struct {
	id   string
	rect image.Rectangle // its inside, in X screen coordinates
}

// hostWindow finds the emulator's window and where it is.
func hostWindow(t *testing.T, qemu bool) hostWin {
	t.Helper()
	name := "^Mimic - "
	if qemu {
		name = "^QEMU"
	}
	var id string
	for range 50 {
		out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--name", name).Output()
		if f := strings.Fields(string(out)); len(f) > 0 {
			id = f[0]
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if id == "" {
		t.Fatalf("no window named %q on the host's X screen", name)
	}
	out, err := exec.Command("xwininfo", "-id", id).Output()
	if err != nil {
		t.Fatalf("xwininfo: %v", err)
	}
	field := func(label string) int {
		m := regexp.MustCompile(label + `:\s+(-?\d+)`).FindSubmatch(out)
		if m == nil {
			t.Fatalf("xwininfo has no %q:\n%s", label, out)
		}
		n, _ := strconv.Atoi(string(m[1]))
		return n
	}
	x, y := field("Absolute upper-left X"), field("Absolute upper-left Y")
	w := hostWin{id: id, rect: image.Rect(x, y, x+field("Width"), y+field("Height"))}
	t.Logf("the emulator's window %s is at %v", id, w.rect)
	return w
}

// screen maps the guest's screen into the window as the emulator
// scales it: as large as fits, aspect kept, centred.
func (w hostWin) screen() image.Rectangle {
	W, H := w.rect.Dx(), w.rect.Dy()
	var sw, sh int
	if W*guestH <= H*guestW {
		sw, sh = W, (W*guestH+guestW/2)/guestW
	} else {
		sw, sh = (H*guestW+guestH/2)/guestH, H
	}
	x, y := w.rect.Min.X+(W-sw)/2, w.rect.Min.Y+(H-sh)/2
	return image.Rect(x, y, x+sw, y+sh)
}

// picture takes a screenshot of the host's X screen and returns the
// guest's picture in it, scaled back to the guest's size.
func (w hostWin) picture(t *testing.T, name string) image.Image {
	t.Helper()
	out, err := exec.Command("import", "-window", "root", "png:-").Output()
	if err != nil {
		t.Fatalf("import (ImageMagick): %v", err)
	}
	if dir := os.Getenv("MIMIC_DEBIAN_LOGDIR"); dir != "" {
		os.WriteFile(filepath.Join(dir, "desktop-"+name+".png"), out, 0o644)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("the screenshot: %v", err)
	}
	sr := w.screen()
	dst := image.NewRGBA(image.Rect(0, 0, guestW, guestH))
	for y := range guestH {
		for x := range guestW {
			dst.Set(x, y, img.At(sr.Min.X+x*sr.Dx()/guestW, sr.Min.Y+y*sr.Dy()/guestH))
		}
	}
	return dst
}

// moveTo puts the host's pointer over guest pixel p.
func (w hostWin) moveTo(t *testing.T, p image.Point) {
	t.Helper()
	sr := w.screen()
	x := sr.Min.X + (2*p.X+1)*sr.Dx()/(2*guestW)
	y := sr.Min.Y + (2*p.Y+1)*sr.Dy()/(2*guestH)
	xdo(t, "mousemove", "--sync", strconv.Itoa(x), strconv.Itoa(y))
}

// countNear counts the pixels within tol (per channel) of c, and the
// rectangle they span.
func countNear(img image.Image, c color.RGBA, tol int) (int, image.Rectangle) {
	n := 0
	var span image.Rectangle
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			p := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			if abs(int(p.R)-int(c.R)) <= tol && abs(int(p.G)-int(c.G)) <= tol && abs(int(p.B)-int(c.B)) <= tol {
				n++
				span = span.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return n, span
}

func crop(img image.Image, r image.Rectangle) image.Image {
	dst := image.NewRGBA(r)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			dst.Set(x, y, img.At(x, y))
		}
	}
	return dst
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
