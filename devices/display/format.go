package display

import (
	"encoding/binary"
	"fmt"
	"image"
)

// Format is a pixel format named by its DRM fourcc code (Linux
// include/uapi/drm/drm_fourcc.h). DRM formats are little-endian: the
// components named from high bits to low bits of the packed pixel word,
// so XRGB8888 keeps blue in the byte at the lowest address.
type Format uint32

// The formats devices may use.
const (
	XRGB8888 = Format('X') | 'R'<<8 | '2'<<16 | '4'<<24 // bytes B, G, R, x
	ARGB8888 = Format('A') | 'R'<<8 | '2'<<16 | '4'<<24 // bytes B, G, R, A
	XBGR8888 = Format('X') | 'B'<<8 | '2'<<16 | '4'<<24 // bytes R, G, B, x
	ABGR8888 = Format('A') | 'B'<<8 | '2'<<16 | '4'<<24 // bytes R, G, B, A
	RGBX8888 = Format('R') | 'X'<<8 | '2'<<16 | '4'<<24 // bytes x, B, G, R
	RGBA8888 = Format('R') | 'A'<<8 | '2'<<16 | '4'<<24 // bytes A, B, G, R
	BGRX8888 = Format('B') | 'X'<<8 | '2'<<16 | '4'<<24 // bytes x, R, G, B
	BGRA8888 = Format('B') | 'A'<<8 | '2'<<16 | '4'<<24 // bytes A, R, G, B
	RGB888   = Format('R') | 'G'<<8 | '2'<<16 | '4'<<24 // bytes B, G, R
	BGR888   = Format('B') | 'G'<<8 | '2'<<16 | '4'<<24 // bytes R, G, B
	RGB565   = Format('R') | 'G'<<8 | '1'<<16 | '6'<<24 // little-endian u16 R:5 G:6 B:5
)

// layout says where a byte-aligned format keeps its components: the byte
// offsets of red, green, blue and alpha (-1: none) within a pixel, and
// its size.
type layout struct{ r, g, b, a, size int }

var layouts = map[Format]layout{
	XRGB8888: {2, 1, 0, -1, 4},
	ARGB8888: {2, 1, 0, 3, 4},
	XBGR8888: {0, 1, 2, -1, 4},
	ABGR8888: {0, 1, 2, 3, 4},
	RGBX8888: {3, 2, 1, -1, 4},
	RGBA8888: {3, 2, 1, 0, 4},
	BGRX8888: {1, 2, 3, -1, 4},
	BGRA8888: {1, 2, 3, 0, 4},
	RGB888:   {2, 1, 0, -1, 3},
	BGR888:   {0, 1, 2, -1, 3},
	RGB565:   {a: -1, size: 2},
}

// Valid reports whether the package knows f.
func (f Format) Valid() bool { _, ok := layouts[f]; return ok }

// BytesPerPixel returns the size of one pixel, 0 for an unknown format.
func (f Format) BytesPerPixel() int { return layouts[f].size }

// String returns the fourcc's four characters, or its value in hex when
// they are not printable.
func (f Format) String() string {
	b := []byte{byte(f), byte(f >> 8), byte(f >> 16), byte(f >> 24)}
	for _, c := range b {
		if c < ' ' || c > '~' {
			return fmt.Sprintf("0x%08x", uint32(f))
		}
	}
	return string(b)
}

// HasAlpha reports whether f carries an alpha channel.
func (f Format) HasAlpha() bool { l, ok := layouts[f]; return ok && l.a >= 0 }

// NewRGBA converts a w x h picture of format f, rows stride bytes apart
// in src, into a new RGBA image keeping its alpha (opaque for formats
// without one): for cursor images. It returns nil when src is too short
// or the format unknown.
func NewRGBA(src []byte, stride, w, h int, f Format) *image.RGBA {
	l, ok := layouts[f]
	if !ok || w <= 0 || h <= 0 || stride < w*l.size || len(src) < (h-1)*stride+w*l.size {
		return nil
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride:]
		toRGBA(row, src[y*stride:], f, w)
		if l.a >= 0 {
			for x := 0; x < w; x++ {
				row[4*x+3] = src[y*stride+x*l.size+l.a]
			}
		}
	}
	return img
}

// toRGBA converts n pixels of format f in src to opaque RGBA bytes in
// dst (4*n bytes). Alpha is ignored: a screen is opaque, and QEMU shows
// ARGB scanouts as XRGB as well.
func toRGBA(dst, src []byte, f Format, n int) {
	l := layouts[f]
	if f == RGB565 {
		for i := 0; i < n; i++ {
			p := binary.LittleEndian.Uint16(src[2*i:])
			r, g, b := byte(p>>11), byte(p>>5)&0x3f, byte(p)&0x1f
			d := dst[4*i : 4*i+4 : 4*i+4]
			d[0], d[1], d[2], d[3] = r<<3|r>>2, g<<2|g>>4, b<<3|b>>2, 0xff
		}
		return
	}
	for i := 0; i < n; i++ {
		s := src[l.size*i : l.size*i+l.size : l.size*i+l.size]
		d := dst[4*i : 4*i+4 : 4*i+4]
		d[0], d[1], d[2], d[3] = s[l.r], s[l.g], s[l.b], 0xff
	}
}
