package gpu

import "math"

// EDID 1.4 base block (VESA E-EDID Release A, Revision 2), the answer to
// GET_EDID: one 128-byte block whose preferred (first detailed) timing is
// the output's current size at 60 Hz, so that a guest's DRM picks it.
const edidSize = 128

// edidDPI is the pixel density the physical size fields claim (QEMU's
// default as well).
const edidDPI = 100

// makeEDID returns the EDID of an output of w x h pixels, output index
// serial (so two outputs differ).
func makeEDID(w, h, serial uint32) []byte {
	e := make([]byte, edidSize)
	copy(e, []byte{0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00})
	// Manufacturer "MIM": three 5-bit letters, big-endian.
	id := uint16('M'-'@')<<10 | uint16('I'-'@')<<5 | uint16('M'-'@')
	e[8], e[9] = byte(id>>8), byte(id)
	e[10], e[11] = 0x01, 0x00 // product code
	e[12] = byte(serial)
	e[16], e[17] = 1, 2024-1990 // week and year of manufacture
	e[18], e[19] = 1, 4         // EDID 1.4
	e[20] = 0xa5                // digital input, 8 bits per colour, DisplayPort
	wmm, hmm := mm(w), mm(h)
	e[21], e[22] = byte(min(wmm/10, 255)), byte(min(hmm/10, 255))
	e[23] = 120  // gamma 2.2
	e[24] = 0x06 // sRGB default, preferred timing is native
	chromaticity(e[25:35])
	// No established timings (35..37); standard timings unused.
	for i := 38; i < 54; i++ {
		e[i] = 0x01
	}
	dtd(e[54:72], w, h, wmm, hmm)
	rangeLimits(e[72:90])
	name(e[90:108], "Mimic Monitor")
	e[108+3] = 0x10 // dummy descriptor
	e[126] = 0      // no extension blocks
	var sum byte
	for _, b := range e[:127] {
		sum += b
	}
	e[127] = -sum
	return e
}

func mm(px uint32) uint32 { return uint32(uint64(px) * 254 / (edidDPI * 10)) }

// chromaticity writes sRGB's primaries and white point as 10-bit
// fractions: two bytes of low bits, then the high eight bits of each.
func chromaticity(b []byte) {
	v := [8]float64{0.640, 0.330, 0.300, 0.600, 0.150, 0.060, 0.3127, 0.3290} // Rx Ry Gx Gy Bx By Wx Wy
	var q [8]uint16
	for i, f := range v {
		q[i] = uint16(math.Round(f * 1024))
	}
	b[0] = byte(q[0]&3<<6 | q[1]&3<<4 | q[2]&3<<2 | q[3]&3)
	b[1] = byte(q[4]&3<<6 | q[5]&3<<4 | q[6]&3<<2 | q[7]&3)
	for i := range q {
		b[2+i] = byte(q[i] >> 2)
	}
}

// dtd writes a detailed timing descriptor for w x h with reduced
// blanking at (at most) 60 Hz. The fields hold 12 bits: larger sizes are
// clamped (GET_DISPLAY_INFO carries the exact size).
func dtd(b []byte, w, h, wmm, hmm uint32) {
	w, h = min(w, 4095), min(h, 4095)
	const hfront, hsync, hblank = 48, 32, 160
	const vfront, vsync, vblank = 3, 5, 30
	clock := uint64(w+hblank) * uint64(h+vblank) * 60 / 10000 // 10 kHz units
	clock = max(min(clock, 0xffff), 1)
	b[0], b[1] = byte(clock), byte(clock>>8)
	b[2], b[3], b[4] = byte(w), byte(hblank), byte(w>>8)<<4|byte(hblank>>8)
	b[5], b[6], b[7] = byte(h), byte(vblank), byte(h>>8)<<4|byte(vblank>>8)
	b[8], b[9] = hfront, hsync
	b[10] = vfront<<4 | vsync
	b[11] = 0
	wmm, hmm = min(wmm, 4095), min(hmm, 4095)
	b[12], b[13], b[14] = byte(wmm), byte(hmm), byte(wmm>>8)<<4|byte(hmm>>8)
	b[17] = 0x18 | 0x02 // digital separate sync, hsync positive, vsync negative
}

// rangeLimits writes a display range limits descriptor wide enough for
// any mode the device reports.
func rangeLimits(b []byte) {
	b[3] = 0xfd
	b[5], b[6] = 50, 125 // vertical Hz
	b[7], b[8] = 30, 255 // horizontal kHz
	b[9] = 66            // pixel clock, 10 MHz units (the DTD's maximum)
	b[10] = 0x01         // range limits only
	copy(b[11:], []byte{0x0a, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20})
}

// name writes a monitor name descriptor (up to 13 characters).
func name(b []byte, s string) {
	b[3] = 0xfc
	n := copy(b[5:18], s)
	if n < 13 {
		b[5+n] = 0x0a
		for i := 5 + n + 1; i < 18; i++ {
			b[i] = 0x20
		}
	}
}
