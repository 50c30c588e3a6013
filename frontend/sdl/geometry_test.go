package sdl

import (
	"image"
	"testing"
)

func TestFit(t *testing.T) {
	tests := []struct {
		out, src image.Point
		integer  bool
		want     image.Rectangle
	}{
		{image.Pt(640, 480), image.Pt(640, 480), false, image.Rect(0, 0, 640, 480)},
		{image.Pt(1280, 960), image.Pt(640, 480), false, image.Rect(0, 0, 1280, 960)},
		// Wider window: bars left and right.
		{image.Pt(1000, 480), image.Pt(640, 480), false, image.Rect(180, 0, 820, 480)},
		// Taller window: bars top and bottom.
		{image.Pt(640, 800), image.Pt(640, 480), false, image.Rect(0, 160, 640, 640)},
		// Shrinking keeps the ratio.
		{image.Pt(320, 320), image.Pt(640, 480), false, image.Rect(0, 40, 320, 280)},
		// Integer scaling: the largest whole multiple, centred.
		{image.Pt(1000, 800), image.Pt(320, 200), true, image.Rect(20, 100, 980, 700)},
		{image.Pt(1000, 800), image.Pt(320, 200), false, image.Rect(0, 87, 1000, 712)},
		// Too small for 1x: shrink as without it.
		{image.Pt(320, 320), image.Pt(640, 480), true, image.Rect(0, 40, 320, 280)},
		{image.Pt(0, 480), image.Pt(640, 480), false, image.Rectangle{}},
		{image.Pt(640, 480), image.Pt(0, 0), false, image.Rectangle{}},
	}
	for _, tt := range tests {
		if got := Fit(tt.out, tt.src, tt.integer); got != tt.want {
			t.Errorf("Fit(%v, %v, %v) = %v, want %v", tt.out, tt.src, tt.integer, got, tt.want)
		}
	}
}

func TestToGuest(t *testing.T) {
	src := image.Pt(640, 480)
	dst := Fit(image.Pt(1000, 480), src, false) // (180,0)-(820,480)
	tests := []struct {
		p      image.Point
		want   image.Point
		inside bool
	}{
		{image.Pt(180, 0), image.Pt(0, 0), true},
		{image.Pt(819, 479), image.Pt(639, 479), true},
		{image.Pt(500, 240), image.Pt(320, 240), true},
		{image.Pt(10, 240), image.Pt(0, 240), false},
		{image.Pt(990, 500), image.Pt(639, 479), false},
	}
	for _, tt := range tests {
		got, inside := ToGuest(tt.p, dst, src)
		if got != tt.want || inside != tt.inside {
			t.Errorf("ToGuest(%v) = %v, %v; want %v, %v", tt.p, got, inside, tt.want, tt.inside)
		}
	}
	// Scaled 2x: every guest pixel is 2x2 drawable pixels.
	dst = Fit(image.Pt(1280, 960), src, false)
	if g, _ := ToGuest(image.Pt(3, 5), dst, src); g != image.Pt(1, 2) {
		t.Errorf("2x: ToGuest(3,5) = %v, want (1,2)", g)
	}
}

func TestScalePoint(t *testing.T) {
	// A HiDPI window: 800x600 points, 1600x1200 pixels.
	if got := ScalePoint(image.Pt(100, 50), image.Pt(800, 600), image.Pt(1600, 1200)); got != image.Pt(200, 100) {
		t.Errorf("ScalePoint = %v, want (200,100)", got)
	}
}

func TestTitle(t *testing.T) {
	if got := Title("linux.img", false, "Ctrl-Alt"); got != "Mimic - linux.img" {
		t.Errorf("Title = %q", got)
	}
	if got := Title("demo", true, "Ctrl-Alt"); got != "Mimic - demo (Press Ctrl-Alt-G to release grab)" {
		t.Errorf("Title grabbed = %q", got)
	}
}
