// Package pl061 models the ARM PrimeCell General Purpose Input/Output
// (PL061), Technical Reference Manual ARM DDI 0190, as QEMU's "pl061"
// presents it on the virt board (at 0x09030000, SPI 7), where its line 3
// is the power button that Linux's gpio-keys driver reports as KEY_POWER.
//
// Interface:
//   - MMIO: one 4 KiB register window. Registers are 8 bits wide in 32-bit
//     slots; 1-, 2- and 4-byte accesses at a slot's offset see its low
//     byte (Linux's gpio-pl061 uses byte accesses). Everything else is a
//     guest error: read as zero, write ignored.
//   - IRQ: one output, GPIOINTR, high while any bit of GPIOMIS is set.
//   - Pins: eight lines, GPIO[7:0]. The board drives input levels with
//     SetInput; a line configured as an output (GPIODIR) is driven by
//     GPIODATA instead, and Level reads what the pad carries either way.
//
// Interrupts follow the TRM: edge-sensitive lines (GPIOIS clear) latch
// GPIORIS on the edge GPIOIEV selects, or on both with GPIOIBE, until a
// write of 1 to GPIOIC; level-sensitive lines show in GPIORIS while the
// pad is at the level GPIOIEV selects, and GPIOIC does not affect them.
// Edges are detected on the pad, so a line driven as an output
// interrupts too.
//
// Deliberate deviations from the PL061 hardware:
//   - Changing GPIOIS, GPIOIBE or GPIOIEV never produces a spurious edge
//     (the TRM warns that it may on hardware).
//   - GPIOAFSEL is a plain register: no alternate function is wired, so
//     lines it selects behave as before.
//   - (Mimic) Undriven inputs read as the board's pull setting (QEMU's
//     virt pulls every line down, the default here). QEMU's model also
//     keeps level interrupts latched until GPIOIC; Mimic follows the TRM.
package pl061

import (
	"errors"
	"fmt"
	"log/slog"

	"mimic/devices/bus"
	"mimic/devices/irq"
)

// Register offsets (TRM Table 3-1). GPIODATA spans 0x000..0x3fc: address
// bits [9:2] mask which lines an access sees.
const (
	regDataEnd = 0x400
	regDIR     = 0x400
	regIS      = 0x404
	regIBE     = 0x408
	regIEV     = 0x40c
	regIE      = 0x410
	regRIS     = 0x414
	regMIS     = 0x418
	regIC      = 0x41c
	regAFSEL   = 0x420
	regPeriph  = 0xfe0
)

// WindowSize is the size of the MMIO window.
const WindowSize = 0x1000

// Lines is the number of GPIO lines.
const Lines = 8

// periphID holds GPIOPeriphID0..3 (part number 0x061, designer ARM,
// revision 0) and GPIOPCellID0..3.
var periphID = [8]uint8{0x61, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1}

// luminaryID is the Stellaris (Luminary Micro) GPIO port's, as QEMU's
// pl061_luminary reports it (LM3S6965 data sheet, GPIOPeriphID0-3).
var luminaryID = [8]uint8{0x61, 0x00, 0x18, 0x01, 0x0d, 0xf0, 0x05, 0xb1}

// The Stellaris ports' registers beyond the PL061's (LM3S6965 data sheet,
// GPIODR2R..GPIOAMSEL): pad drive, open drain, pulls, slew rate, digital
// enable, the commit lock, analogue mode. Mimic stores them: no pad is
// electrical here, so they change nothing a guest can see but their
// values. GPIOCR reads all ones: every bit may be committed (the JTAG
// pins the lock protects on real parts are not modelled).
const (
	regDR2R  = 0x500
	regAMSEL = 0x528
	regLOCK  = 0x520
	regCR    = 0x524
	numLum   = (regAMSEL-regDR2R)/4 + 1
	lockKey  = 0x1acce551
)

// Options configure a PL061.
type Options struct {
	// PullUp is the level of each input line that the board does not
	// drive (bit n: line n reads 1). QEMU's virt pulls all lines down: 0.
	PullUp uint8
	// Luminary makes the Stellaris variant (QEMU's pl061_luminary): the
	// extra port registers at 0x500-0x528 and Luminary's identification.
	Luminary bool
}

// GPIO is a PL061. Create it with New. It is not safe for concurrent use:
// the board calls SetInput on the machine's goroutine.
type GPIO struct {
	irq irq.Line

	data, dir        uint8 // GPIODATA (output latch), GPIODIR
	is, ibe, iev, ie uint8
	edge             uint8 // edge-detected interrupts latched in GPIORIS
	afsel            uint8
	in               uint8 // input levels on the pads
	pad              uint8 // the level each line carries, last computed
	level            bool  // GPIOINTR
	guestErrors      uint64

	luminary bool
	lum      [numLum]uint8 // GPIODR2R..GPIOAMSEL (Luminary only)
}

var _ bus.Device = (*GPIO)(nil)

// New returns a PL061 after reset, driving line (nil: unwired).
func New(line irq.Line, o Options) *GPIO {
	if line == nil {
		line = irq.None
	}
	g := &GPIO{irq: line, in: o.PullUp, luminary: o.Luminary}
	g.Reset()
	return g
}

// Reset is a machine reset: every register returns to zero (all lines
// inputs, interrupts masked and clear). Input levels are outside the
// block and stay.
func (g *GPIO) Reset() {
	g.data, g.dir, g.is, g.ibe, g.iev, g.ie, g.edge, g.afsel = 0, 0, 0, 0, 0, 0, 0, 0
	g.lum = g.lumReset()
	g.pad = g.padLevel()
	g.update(true)
}

// lumReset is the reset value of the Stellaris registers: GPIODR2R all
// ones (2 mA drive), GPIOLOCK locked; zero on an ARM PL061.
func (g *GPIO) lumReset() (r [numLum]uint8) {
	if g.luminary {
		r[0], r[(regLOCK-regDR2R)/4] = 0xff, 1
	}
	return r
}

// SetInput drives input line n (0..7) to level, as a pin outside the
// chip would. It panics on a line that does not exist (a board bug).
func (g *GPIO) SetInput(n int, level bool) {
	if n < 0 || n >= Lines {
		panic(fmt.Sprintf("BUG: pl061: no line %d", n))
	}
	bit := uint8(1) << n
	if level {
		g.in |= bit
	} else {
		g.in &^= bit
	}
	g.detect()
}

// Level returns the level line n carries: the input level, or GPIODATA
// for an output.
func (g *GPIO) Level(n int) bool { return n >= 0 && n < Lines && g.pad&(1<<n) != 0 }

// Outputs returns the lines configured as outputs and their levels.
func (g *GPIO) Outputs() (dir, levels uint8) { return g.dir, g.data & g.dir }

// GuestErrors returns how many guest errors the PL061 has seen.
func (g *GPIO) GuestErrors() uint64 { return g.guestErrors }

func (g *GPIO) guestError(msg string, args ...any) {
	g.guestErrors++
	slog.Warn("guest error: pl061: "+msg, args...)
}

func (g *GPIO) padLevel() uint8 { return g.data&g.dir | g.in&^g.dir }

// detect recomputes the pads and latches the edges the interrupt
// configuration asks for (TRM 2.3.2).
func (g *GPIO) detect() {
	now := g.padLevel()
	changed := now ^ g.pad
	g.pad = now
	if changed != 0 {
		rising, falling := changed&now, changed&^now
		hits := g.ibe&changed | ^g.ibe&(g.iev&rising|^g.iev&falling)
		g.edge |= hits &^ g.is
	}
	g.update(false)
}

// ris returns GPIORIS: latched edges of edge-sensitive lines, and the
// level-sensitive lines at their active level.
func (g *GPIO) ris() uint8 { return g.edge&^g.is | g.is&^(g.pad^g.iev) }

func (g *GPIO) update(force bool) {
	level := g.ris()&g.ie != 0
	if level != g.level || force {
		g.level = level
		g.irq.Set(level)
	}
}

// Read implements bus.Device.
func (g *GPIO) Read(off uint64, size int) uint64 {
	if !g.validAccess("read", off, size) {
		return 0
	}
	if off < regDataEnd {
		return uint64(g.pad & uint8(off>>2))
	}
	switch off {
	case regDIR:
		return uint64(g.dir)
	case regIS:
		return uint64(g.is)
	case regIBE:
		return uint64(g.ibe)
	case regIEV:
		return uint64(g.iev)
	case regIE:
		return uint64(g.ie)
	case regRIS:
		return uint64(g.ris())
	case regMIS:
		return uint64(g.ris() & g.ie)
	case regAFSEL:
		return uint64(g.afsel)
	case regIC:
		g.guestError("read of write-only register GPIOIC")
		return 0
	}
	if g.luminary {
		switch {
		case off == regCR:
			return 0xff
		case off >= regDR2R && off <= regAMSEL:
			return uint64(g.lum[(off-regDR2R)/4])
		case off >= regPeriph:
			return uint64(luminaryID[(off-regPeriph)/4])
		case off >= 0xfd0:
			return 0 // PeriphID4-7
		}
	}
	if off >= regPeriph {
		return uint64(periphID[(off-regPeriph)/4])
	}
	g.guestError("read of bad offset", "offset", fmt.Sprintf("%#x", off))
	return 0
}

// Write implements bus.Device.
func (g *GPIO) Write(off uint64, size int, val uint64) {
	if !g.validAccess("write", off, size) {
		return
	}
	v := uint8(val)
	if off < regDataEnd {
		// Only unmasked output lines change (TRM 3.3.1).
		mask := uint8(off>>2) & g.dir
		g.data = g.data&^mask | v&mask
		g.detect()
		return
	}
	switch off {
	case regDIR:
		g.dir = v
		g.detect()
	case regIS:
		// A line that becomes level-sensitive forgets a latched edge.
		g.is = v
		g.edge &^= v
		g.update(false)
	case regIBE:
		g.ibe = v
	case regIEV:
		g.iev = v
		g.update(false)
	case regIE:
		g.ie = v
		g.update(false)
	case regIC:
		g.edge &^= v
		g.update(false)
	case regAFSEL:
		g.afsel = v
	case regRIS, regMIS:
		g.guestError("write to read-only register", "offset", fmt.Sprintf("%#x", off))
	default:
		switch {
		case g.luminary && off == regLOCK:
			// The key unlocks GPIOCR; any other value locks it.
			locked := uint8(1)
			if uint32(val) == lockKey {
				locked = 0
			}
			g.lum[(regLOCK-regDR2R)/4] = locked
		case g.luminary && off == regCR:
			g.guestError("write to read-only register GPIOCR")
		case g.luminary && off >= regDR2R && off <= regAMSEL:
			g.lum[(off-regDR2R)/4] = v
		default:
			g.guestError("write to bad offset", "offset", fmt.Sprintf("%#x", off))
		}
	}
}

func (g *GPIO) validAccess(op string, off uint64, size int) bool {
	switch {
	case size != 1 && size != 2 && size != 4:
		g.guestError("bad access size", "op", op, "offset", fmt.Sprintf("%#x", off), "size", size)
		return false
	case off%4 != 0 || off >= WindowSize:
		g.guestError("unaligned or out-of-window access", "op", op, "offset", fmt.Sprintf("%#x", off), "size", size)
		return false
	}
	return true
}

// StateVersion is the version of State this package writes. Version 2
// added Luminary; a version 1 state restores with its reset values.
const StateVersion = 2

// State is a snapshot of the PL061: its registers, the latched edge
// interrupts and the input levels the board drives.
type State struct {
	Version          int
	Data, Dir        uint8
	IS, IBE, IEV, IE uint8
	EdgeLatched      uint8
	AFSEL            uint8
	Inputs           uint8
	// Luminary holds GPIODR2R..GPIOAMSEL of the Stellaris variant.
	Luminary [numLum]uint8
}

// State returns a snapshot of the PL061.
func (g *GPIO) State() State {
	return State{
		Version: StateVersion,
		Data:    g.data, Dir: g.dir,
		IS: g.is, IBE: g.ibe, IEV: g.iev, IE: g.ie,
		EdgeLatched: g.edge, AFSEL: g.afsel, Inputs: g.in,
		Luminary: g.lum,
	}
}

// ErrBadState is wrapped by every error Restore returns.
var ErrBadState = errors.New("pl061: bad state")

// Restore replaces the PL061's state with s after checking it and sets
// the interrupt line to match. Restoring detects no edges. On error the
// PL061 is unchanged.
func (g *GPIO) Restore(s State) error {
	switch {
	case s.Version < 1 || s.Version > StateVersion:
		return fmt.Errorf("%w: version %d, this Mimic reads 1 to %d", ErrBadState, s.Version, StateVersion)
	case s.EdgeLatched&s.IS != 0:
		return fmt.Errorf("%w: edge interrupts %#x latched on level-sensitive lines %#x", ErrBadState, s.EdgeLatched, s.IS)
	}
	g.data, g.dir = s.Data, s.Dir
	g.is, g.ibe, g.iev, g.ie = s.IS, s.IBE, s.IEV, s.IE
	g.edge, g.afsel, g.in = s.EdgeLatched, s.AFSEL, s.Inputs
	if s.Version >= 2 {
		g.lum = s.Luminary
	} else {
		g.lum = g.lumReset()
	}
	g.pad = g.padLevel()
	g.update(true)
	return nil
}
