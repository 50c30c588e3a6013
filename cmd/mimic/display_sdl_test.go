//go:build sdl

package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mimic/devices/ramfb"
)

// TestMain lets the SDL tests run this test binary as mimic: SDL needs
// the process's main thread, which only a process of its own gives.
func TestMain(m *testing.M) {
	if os.Getenv("MIMIC_TEST_RUN_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// The colour the window test's guest fills its screen with.
const windowR, windowG, windowB = 0x33, 0xcc, 0x66

// windowProgram sets up a 320x240 XRGB8888 ramfb (as ramfbProgram),
// fills it with one colour, then polls the power button's GPIO line (the
// PL061's line 3) and exits through semihosting when it is pressed.
func windowProgram(t *testing.T) []byte {
	t.Helper()
	const (
		base      = 0x40000000
		dmaAt     = base + 0x100
		cfgAt     = base + 0x120
		fb        = base + 0x100000
		fwDMA     = 0x09020010
		keyRFB    = 0x20
		gpioLine3 = 0x09030000 + 1<<(3+2) // GPIODATA masked to line 3
		w, h      = 320, 240
	)
	var code []uint32
	code = append(code, mov32(0, fwDMA)...)
	code = append(code, 0xe3a01000, 0xe5801000)    // mov r1, #0; str r1, [r0]
	code = append(code, mov32(1, bswap(dmaAt))...) //
	code = append(code, 0xe5801004)                // str r1, [r0, #4]: go
	code = append(code, mov32(2, fb)...)
	code = append(code, mov32(3, windowR<<16|windowG<<8|windowB)...)
	code = append(code, mov32(4, w*h)...)
	code = append(code,
		0xe4823004, // 1: str r3, [r2], #4
		0xe2544001, //    subs r4, r4, #1
		0x1afffffc, //    bne 1b
	)
	code = append(code, mov32(1, gpioLine3)...)
	code = append(code,
		0xe5910000, // 2: ldr r0, [r1]
		0xe3100008, //    tst r0, #8
		0x0afffffc, //    beq 2b
	)
	code = append(code, semihostExit0...)
	for len(code) < 0x100/4 {
		code = append(code, 0)
	}
	if len(code) > 0x100/4 {
		t.Fatal("windowProgram: code overlaps its data")
	}
	data := make([]byte, 0x20+ramfb.CfgSize)
	putBE32(data[0:], keyRFB<<16|8|16)
	putBE32(data[4:], ramfb.CfgSize)
	putBE32(data[8:], 0)
	putBE32(data[12:], cfgAt)
	c := ramfb.Config{Addr: fb, FourCC: uint32('X') | 'R'<<8 | '2'<<16 | '4'<<24, Width: w, Height: h, Stride: w * 4}
	copy(data[0x20:], c.Bytes())
	for i := 0; i < len(data); i += 4 {
		code = append(code, uint32(data[i])|uint32(data[i+1])<<8|uint32(data[i+2])<<16|uint32(data[i+3])<<24)
	}
	return armELF(t, base, code)
}

func putBE32(b []byte, v uint32) {
	b[0], b[1], b[2], b[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
}

// xTool runs an X client tool and returns its trimmed output.
func xTool(t *testing.T, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).Output()
	return strings.TrimSpace(string(out)), err
}

// countColour takes a screenshot of the X screen and counts the pixels
// of the guest's colour, and the bounds they span.
var shots int

func countColour(t *testing.T) (int, image.Rectangle) {
	t.Helper()
	out, err := exec.Command("import", "-window", "root", "png:-").Output()
	if err != nil {
		t.Fatalf("import (ImageMagick): %v", err)
	}
	if dir := os.Getenv("MIMIC_TEST_SCREENSHOTS"); dir != "" {
		// For a person to look at: every screenshot the test took.
		shots++
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("screen%02d.png", shots)), out, 0o644)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("decoding the screenshot: %v", err)
	}
	n := 0
	var span image.Rectangle
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r>>8 == windowR && g>>8 == windowG && bl>>8 == windowB {
				n++
				span = span.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return n, span
}

// closeWindow asks the window to close as a window manager's close
// button does: a WM_DELETE_WINDOW client message (through libX11, with
// Python's ctypes, as no X tool in Debian sends one without a window
// manager).
func closeWindow(t *testing.T, id string) {
	t.Helper()
	const script = `
import ctypes, sys
x = ctypes.cdll.LoadLibrary("libX11.so.6")
x.XOpenDisplay.restype = ctypes.c_void_p
x.XInternAtom.restype = ctypes.c_ulong
x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
x.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long, ctypes.c_void_p]
x.XFlush.argtypes = [ctypes.c_void_p]
d = x.XOpenDisplay(None)
win = int(sys.argv[1])
class Ev(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                ("display", ctypes.c_void_p), ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong),
                ("format", ctypes.c_int), ("l", ctypes.c_long * 5), ("pad", ctypes.c_long * 12)]
e = Ev()
e.type = 33  # ClientMessage
e.window = win
e.message_type = x.XInternAtom(d, b"WM_PROTOCOLS", 0)
e.format = 32
e.l[0] = x.XInternAtom(d, b"WM_DELETE_WINDOW", 0)
x.XSendEvent(d, win, 0, 0, ctypes.byref(e))
x.XFlush(d)
`
	if out, err := exec.Command("python3", "-c", script, id).CombinedOutput(); err != nil {
		t.Fatalf("sending WM_DELETE_WINDOW: %v: %s", err, out)
	}
}

// TestSDLWindow runs a guest in the SDL window on the X server of
// $DISPLAY (start one with Xvfb :99 & DISPLAY=:99) and checks what the
// window shows, that it follows resizes with the aspect kept, the grab
// hot key, and that closing the window presses the guest's power button.
func TestSDLWindow(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		t.Skip("no $DISPLAY (run under Xvfb)")
	}
	// With $DISPLAY set, a missing tool or an X server that does not
	// answer is a broken test setup (scripts/desktop-acceptance.sh), not
	// a reason to skip.
	for _, tool := range []string{"xdotool", "import", "python3"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not installed (scripts/desktop-acceptance.sh installs it)", tool)
		}
	}
	if _, err := xTool(t, "xdotool", "getmouselocation"); err != nil {
		t.Fatalf("no X server at $DISPLAY=%s: %v", os.Getenv("DISPLAY"), err)
	}
	prog := writeFile(t, "window.elf", windowProgram(t))
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, self, "--kernel", prog, "-semihosting", "-device", "ramfb", "-display", "sdl",
		"-device", "virtio-keyboard-device", "-device", "virtio-tablet-device")
	cmd.Env = append(os.Environ(), "MIMIC_TEST_RUN_MAIN=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var waitErr error
	exited := make(chan struct{}) // closed once mimic exited, with waitErr set
	go func() { waitErr = cmd.Wait(); close(exited) }()
	defer func() {
		select {
		case <-exited:
		default:
			cmd.Process.Kill()
			<-exited
		}
	}()

	// poll retries fn until it holds or 10 s pass.
	poll := func(what string, fn func() bool) {
		t.Helper()
		for end := time.Now().Add(10 * time.Second); !fn(); time.Sleep(100 * time.Millisecond) {
			if time.Now().After(end) {
				t.Fatalf("%s: gave up after 10 s; mimic's stderr: %s", what, stderr.String())
			}
			select {
			case <-exited:
				t.Fatalf("%s: mimic exited early (%v): %s", what, waitErr, stderr.String())
			default:
			}
		}
	}
	var id string
	poll("the window", func() bool {
		id, _ = xTool(t, "xdotool", "search", "--name", "^Mimic - window.elf")
		return id != ""
	})
	if strings.Contains(id, "\n") {
		t.Fatalf("several Mimic windows: %q", id)
	}

	// 1:1 at first: the window is the guest's 320x240.
	var n int
	var span image.Rectangle
	poll("the guest's colour in the window", func() bool {
		n, span = countColour(t)
		return n == 320*240
	})
	if span.Dx() != 320 || span.Dy() != 240 {
		t.Errorf("the picture spans %v, want 320x240", span)
	}

	// A wider window: scaled to fit the height, letterboxed left and right.
	if _, err := xTool(t, "xdotool", "windowsize", "--sync", id, "800", "480"); err != nil {
		t.Fatalf("xdotool windowsize: %v", err)
	}
	poll("the picture scaled to 640x480 in an 800x480 window", func() bool {
		n, span = countColour(t)
		return span.Dx() == 640 && span.Dy() == 480
	})
	if n < 640*480*99/100 {
		t.Errorf("%d pixels of the guest's colour in 640x480", n)
	}

	// Ctrl-Alt-G grabs and says so in the title; again releases.
	xTool(t, "xdotool", "windowfocus", "--sync", id)
	for _, want := range []bool{true, false} {
		if _, err := xTool(t, "xdotool", "key", "--clearmodifiers", "ctrl+alt+g"); err != nil {
			t.Fatalf("xdotool key: %v", err)
		}
		poll("the title after Ctrl-Alt-G", func() bool {
			title, _ := xTool(t, "xdotool", "getwindowname", id)
			return strings.Contains(title, "Press Ctrl-Alt-G to release grab") == want
		})
	}

	// Ctrl-Alt-F: full screen, the 4:3 picture letterboxed top and
	// bottom; again: back. That needs a window manager (SDL asks it for
	// _NET_WM_STATE_FULLSCREEN) and a 1280x1024 screen (Xvfb :99 -screen
	// 0 1280x1024x24; openbox will do).
	wm, _ := xTool(t, "xprop", "-root", "_NET_SUPPORTING_WM_CHECK")
	if sw, _ := xTool(t, "xdotool", "getdisplaygeometry"); sw != "1280 1024" || !strings.Contains(wm, "window id") {
		t.Logf("full screen not checked: needs a window manager and a 1280x1024 screen (have %q, %q)", sw, wm)
	} else {
		xTool(t, "xdotool", "key", "--clearmodifiers", "ctrl+alt+f")
		poll("full screen", func() bool {
			_, span = countColour(t)
			return span == image.Rect(0, 32, 1280, 992)
		})
		xTool(t, "xdotool", "key", "--clearmodifiers", "ctrl+alt+f")
		poll("back from full screen", func() bool {
			_, span = countColour(t)
			return span.Dx() < 1280
		})
	}

	// The close button presses the power button; the guest exits 0.
	closeWindow(t, id)
	select {
	case <-exited:
		if waitErr != nil {
			t.Fatalf("mimic: %v; stderr: %s", waitErr, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("the guest did not stop after the close button; stderr: %s", stderr.String())
	}
	if out, _ := xTool(t, "xdotool", "search", "--name", "^Mimic - "); out != "" {
		t.Errorf("a Mimic window is still open: %s", out)
	}
}
