package sdl

import (
	"fmt"
	"image"
)

// Fit returns where a src-sized picture goes in an out-sized drawable:
// scaled as large as fits with its aspect ratio kept, centred, the rest
// black (letterbox). With integer set, the scale is a whole number when
// the picture fits at least once (sharp pixels), else it shrinks as Fit
// would. An empty src or out gives an empty rectangle.
func Fit(out, src image.Point, integer bool) image.Rectangle {
	if out.X <= 0 || out.Y <= 0 || src.X <= 0 || src.Y <= 0 {
		return image.Rectangle{}
	}
	var w, h int
	if integer && out.X >= src.X && out.Y >= src.Y {
		k := min(out.X/src.X, out.Y/src.Y)
		w, h = src.X*k, src.Y*k
	} else if out.X*src.Y <= out.Y*src.X {
		// Width-bound: full width, height by the ratio (rounded).
		w, h = out.X, (out.X*src.Y+src.X/2)/src.X
	} else {
		w, h = (out.Y*src.X+src.Y/2)/src.Y, out.Y
	}
	w, h = max(1, min(w, out.X)), max(1, min(h, out.Y))
	x, y := (out.X-w)/2, (out.Y-h)/2
	return image.Rect(x, y, x+w, y+h)
}

// ToGuest maps a point p of the drawable to the guest pixel under it,
// given the rectangle dst the src-sized picture fills (Fit). inside is
// false for points on the black bars; the point is then clamped to the
// picture's nearest edge.
func ToGuest(p image.Point, dst image.Rectangle, src image.Point) (g image.Point, inside bool) {
	if dst.Empty() || src.X <= 0 || src.Y <= 0 {
		return image.Point{}, false
	}
	inside = p.In(dst)
	g.X = (p.X - dst.Min.X) * src.X / dst.Dx()
	g.Y = (p.Y - dst.Min.Y) * src.Y / dst.Dy()
	g.X = max(0, min(g.X, src.X-1))
	g.Y = max(0, min(g.Y, src.Y-1))
	return g, inside
}

// ScalePoint converts a point in window coordinates (what mouse events
// report: points, on a HiDPI screen fewer than pixels) to drawable pixels.
func ScalePoint(p, window, drawable image.Point) image.Point {
	if window.X <= 0 || window.Y <= 0 {
		return p
	}
	return image.Pt(p.X*drawable.X/window.X, p.Y*drawable.Y/window.Y)
}

// Title is the window's title: "Mimic - what", and the way out of a grab
// while the window holds the keyboard and mouse, as QEMU's.
func Title(what string, grabbed bool, hotkey string) string {
	t := "Mimic"
	if what != "" {
		t += " - " + what
	}
	if grabbed {
		t += fmt.Sprintf(" (Press %s-G to release grab)", hotkey)
	}
	return t
}
