package arm

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// ctlState is the architectural state the ctl tests compare.
type ctlState struct {
	R             [16]uint32
	N, Z, C, V, Q bool
	GE            uint32
	IT            uint8
	T, E, A, I, F bool
	Mode          uint32
	SPSR          uint32
	Halted, Event bool
	Retired       uint64
}

func ctlSnap(c *CPU) ctlState {
	return ctlState{R: c.R, N: c.N, Z: c.Z, C: c.C, V: c.V, Q: c.Q, GE: c.GE, IT: c.IT,
		T: c.T, E: c.E, A: c.A, I: c.I, F: c.F, Mode: c.mode, SPSR: c.SPSR(),
		Halted: c.halted, Event: c.eventReg, Retired: c.retired}
}

// runBlocks runs n translated blocks without interrupt checks or the halt
// test of Run, so that a test stops right after an exception entry (the
// vectors are not mapped in the test machine).
func runBlocks(t testing.TB, c *CPU, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		if b := c.lookup(nil); b != nil {
			c.exec(b)
		}
	}
}

const base = testRAMBase

// ctlCase is one table entry: code at base, setup, the number of blocks to
// run, and the expected changes to the state after setup.
type ctlCase struct {
	name   string
	thumb  bool
	code   []uint32
	setup  func(c *CPU)
	blocks int
	want   func(s *ctlState)
}

func runCtlCases(t *testing.T, tests []ctlCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, term := newCtlCPU(t, tc.thumb, tc.code)
			if tc.setup != nil {
				tc.setup(c)
			}
			want := ctlSnap(c)
			tc.want(&want)
			n := tc.blocks
			if n == 0 {
				n = 1
			}
			runBlocks(t, c, n)
			if diff := cmp.Diff(want, ctlSnapTerm(c, term)); diff != "" {
				t.Errorf("state mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// termMark is where the terminator that newCtlCPU appends to test code
// branches: a block runs on until it ends, and the terminator makes sure
// it ends right after the code under test without changing anything but
// the PC.
const termMark = base + 0x8000

// newCtlCPU is newTestCPU with a terminator branch to termMark after the
// code; it returns the terminator's address.
func newCtlCPU(t *testing.T, thumb bool, code []uint32) (*CPU, uint32) {
	t.Helper()
	size := uint32(4)
	if thumb {
		size = 2
	}
	term := base + size*uint32(len(code))
	if !thumb {
		code = append(code[:len(code):len(code)], 0xea000000|(termMark-(term+8))>>2&0xffffff)
	} else {
		off := termMark - (term + 4)
		s := off >> 24 & 1
		j1 := ^(off>>23&1 ^ s) & 1
		j2 := ^(off>>22&1 ^ s) & 1
		code = append(code[:len(code):len(code)], 0xf000|s<<10|off>>12&0x3ff, 0x9000|j1<<13|j2<<11|off>>1&0x7ff)
	}
	return newTestCPU(t, thumb, code...), term
}

// ctlSnapTerm is ctlSnap, undoing the terminator if it ran.
func ctlSnapTerm(c *CPU, term uint32) ctlState {
	s := ctlSnap(c)
	if s.R[15] == termMark {
		s.R[15] = term
		s.Retired--
	}
	return s
}

// toUser switches the test CPU to User mode (as an exception return would).
func toUser(c *CPU) { c.switchMode(ModeUSR); c.A, c.I, c.F = false, false, false }

func TestBranchA32(t *testing.T) {
	runCtlCases(t, []ctlCase{
		{name: "B", code: []uint32{0xea000001}, want: func(s *ctlState) {
			s.R[15] = base + 12
			s.Retired = 1
		}},
		{name: "BL backwards", code: []uint32{0xe1a00000, 0xebfffffd}, setup: func(c *CPU) { c.R[15] = base + 4 },
			want: func(s *ctlState) {
				s.R[15] = base
				s.R[14] = base + 8
				s.Retired = 1
			}},
		{name: "Bcond not taken", code: []uint32{0x0a000010}, want: func(s *ctlState) {
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "Bcond taken", code: []uint32{0x0a000010}, setup: func(c *CPU) { c.Z = true }, want: func(s *ctlState) {
			s.R[15] = base + 8 + 0x40
			s.Retired = 1
		}},
		{name: "BLX imm", code: []uint32{0xfa000001}, want: func(s *ctlState) {
			s.R[15] = base + 12
			s.R[14] = base + 4
			s.T = true
			s.Retired = 1
		}},
		{name: "BLX imm H", code: []uint32{0xfb000001}, want: func(s *ctlState) {
			s.R[15] = base + 14
			s.R[14] = base + 4
			s.T = true
			s.Retired = 1
		}},
		{name: "BX to Thumb", code: []uint32{0xe12fff13}, setup: func(c *CPU) { c.R[3] = base + 0x101 }, want: func(s *ctlState) {
			s.R[15] = base + 0x100
			s.T = true
			s.Retired = 1
		}},
		{name: "BXJ as BX", code: []uint32{0xe12fff22}, setup: func(c *CPU) { c.R[2] = base + 0x200 }, want: func(s *ctlState) {
			s.R[15] = base + 0x200
			s.Retired = 1
		}},
		{name: "BXNE not taken", code: []uint32{0x112fff1e}, setup: func(c *CPU) { c.Z = true; c.R[14] = 0x1234 }, want: func(s *ctlState) {
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "BLX reg lr", code: []uint32{0xe12fff3e}, setup: func(c *CPU) { c.R[14] = base + 0x81 }, want: func(s *ctlState) {
			s.R[15] = base + 0x80
			s.R[14] = base + 4
			s.T = true
			s.Retired = 1
		}},
		{name: "ADR add and sub", code: []uint32{0xe28f0008, 0xe24f1004, 0xe320f003}, want: func(s *ctlState) {
			s.R[0] = base + 16
			s.R[1] = base + 4 + 8 - 4
			s.R[15] = base + 12
			s.Halted = true
			s.Retired = 3
		}},
		{name: "ADR pc", code: []uint32{0xe28ff004}, want: func(s *ctlState) {
			s.R[15] = base + 12
			s.Retired = 1
		}},
	})
}

func TestBranchThumb(t *testing.T) {
	runCtlCases(t, []ctlCase{
		{name: "B T2", thumb: true, code: []uint32{0xe002}, want: func(s *ctlState) {
			s.R[15] = base + 8
			s.Retired = 1
		}},
		{name: "B T2 back", thumb: true, code: []uint32{0xbf00, 0xe7fd}, setup: func(c *CPU) { c.R[15] = base + 2 },
			want: func(s *ctlState) {
				s.R[15] = base
				s.Retired = 1
			}},
		{name: "BEQ T1 taken", thumb: true, code: []uint32{0xd001}, setup: func(c *CPU) { c.Z = true }, want: func(s *ctlState) {
			s.R[15] = base + 6
			s.Retired = 1
		}},
		{name: "BEQ T1 not taken", thumb: true, code: []uint32{0xd001}, want: func(s *ctlState) {
			s.R[15] = base + 2
			s.Retired = 1
		}},
		{name: "BNE.W T3", thumb: true, code: []uint32{0xf040, 0x83e6}, want: func(s *ctlState) {
			s.R[15] = base + 4 + 0x7cc
			s.Retired = 1
		}},
		{name: "BLT.W T3 back", thumb: true, code: []uint32{0xf6ff, 0xa7fe}, setup: func(c *CPU) { c.N = true }, want: func(s *ctlState) {
			s.R[15] = base - 0x80000
			s.Retired = 1
		}},
		{name: "B.W T4", thumb: true, code: []uint32{0xf0ff, 0xbffe}, want: func(s *ctlState) {
			s.R[15] = base + 0x100000
			s.Retired = 1
		}},
		{name: "BL", thumb: true, code: []uint32{0xf000, 0xf830}, want: func(s *ctlState) {
			s.R[15] = base + 0x64
			s.R[14] = base + 5
			s.Retired = 1
		}},
		{name: "BL back", thumb: true, code: []uint32{0xf7ff, 0xf7fe}, want: func(s *ctlState) {
			s.R[15] = base - 0x400000
			s.R[14] = base + 5
			s.Retired = 1
		}},
		{name: "BLX imm aligned", thumb: true, code: []uint32{0xbf00, 0xf000, 0xe864}, want: func(s *ctlState) {
			s.R[15] = base + 4 + 0xc8
			s.R[14] = base + 7
			s.T = false
			s.Retired = 2
		}},
		{name: "BLX imm H=1 is UNDEFINED", thumb: true, code: []uint32{0xf000, 0xe865}, want: func(s *ctlState) { // LR = address + 2 in Thumb (B1.8.3)
			s.R[13] = 0
			s.R[15] = 0x04
			s.R[14] = base + 2
			s.SPSR = 0x1f3
			s.Mode = ModeUND
			s.T = false
		}},
		{name: "CBZ taken", thumb: true, code: []uint32{0xb141}, want: func(s *ctlState) {
			s.R[15] = base + 4 + 0x10
			s.Retired = 1
		}},
		{name: "CBZ not taken", thumb: true, code: []uint32{0xb141}, setup: func(c *CPU) { c.R[1] = 1 }, want: func(s *ctlState) {
			s.R[15] = base + 2
			s.Retired = 1
		}},
		{name: "CBNZ taken", thumb: true, code: []uint32{0xb96f}, setup: func(c *CPU) { c.R[7] = 1 }, want: func(s *ctlState) {
			s.R[15] = base + 4 + 0x1a
			s.Retired = 1
		}},
		{name: "CBZ max", thumb: true, code: []uint32{0xb3f8}, want: func(s *ctlState) {
			s.R[15] = base + 4 + 126
			s.Retired = 1
		}},
		{name: "BX lr to ARM", thumb: true, code: []uint32{0x4770}, setup: func(c *CPU) { c.R[14] = base + 0x40 }, want: func(s *ctlState) {
			s.R[15] = base + 0x40
			s.T = false
			s.Retired = 1
		}},
		{name: "BLX r3", thumb: true, code: []uint32{0xbf00, 0x4798}, setup: func(c *CPU) { c.R[3] = base + 0x81 }, want: func(s *ctlState) {
			s.R[15] = base + 0x80
			s.R[14] = base + 5
			s.Retired = 2
		}},
		{name: "BXJ", thumb: true, code: []uint32{0xf3c2, 0x8f00}, setup: func(c *CPU) { c.R[2] = base + 0x80 }, want: func(s *ctlState) {
			s.R[15] = base + 0x80
			s.T = false
			s.Retired = 1
		}},
		{name: "ADR T1 and T32", thumb: true, code: []uint32{0xa001, 0xf20f, 0x0106, 0xf2af, 0x020c, 0xbf30}, want: func(s *ctlState) {
			s.R[0] = base + 4 + 4
			s.R[1] = base + 4 + 6
			s.R[2] = base + 8 - 12
			s.R[15] = base + 12
			s.Halted = true
			s.Retired = 4
		}},
		{name: "BCOND in IT block is UNDEFINED", thumb: true, code: []uint32{0xbf08, 0xd001}, setup: func(c *CPU) { c.Z = true },
			want: func(s *ctlState) {
				s.R[13] = 0
				s.R[15] = 0x04
				s.R[14] = base + 4
				s.SPSR = 0x400001f3 | 0x08<<8 // IT bits 15:10 hold ITSTATE<7:2>
				s.Mode = ModeUND
				s.T = false
				s.Retired = 1
			}},
	})
}

func TestIT(t *testing.T) {
	// it eq; adr r0 ; adr r1 (outside)
	itEq := []uint32{0xbf08, 0xa001, 0xa102, 0xbf30}
	// itte ne; adr r0; adr r1; adr r2 (else); wfi
	itte := []uint32{0xbf1a, 0xa001, 0xa101, 0xa201, 0xbf30}
	runCtlCases(t, []ctlCase{
		{name: "IT EQ passes", thumb: true, code: itEq, setup: func(c *CPU) { c.Z = true }, want: func(s *ctlState) {
			s.R[0] = base + 8
			s.R[1] = base + 4 + 4 + 8
			s.R[15] = base + 8
			s.Halted = true
			s.Retired = 4
		}},
		{name: "IT EQ fails", thumb: true, code: itEq, want: func(s *ctlState) {
			s.R[1] = base + 4 + 4 + 8
			s.R[15] = base + 8
			s.Halted = true
			s.Retired = 4
		}},
		{name: "ITTE NE", thumb: true, code: itte, want: func(s *ctlState) {
			s.R[0] = base + 8
			s.R[1] = base + 12
			s.R[15] = base + 10
			s.Halted = true
			s.Retired = 5
		}},
		{name: "ITTE EQ", thumb: true, code: itte, setup: func(c *CPU) { c.Z = true }, want: func(s *ctlState) {
			s.R[2] = base + 12
			s.R[15] = base + 10
			s.Halted = true
			s.Retired = 5
		}},
		{name: "branch last in IT block", thumb: true, code: []uint32{0xbf1c, 0xa001, 0xe000, 0xa201}, want: func(s *ctlState) {
			// itt ne; adr r0; b.n +0 (lands after the next instruction)
			s.R[0] = base + 8
			s.R[15] = base + 8
			s.Retired = 3
		}},
		{name: "nested IT runs when its condition passes", thumb: true,
			code: []uint32{0xbf18, 0xbf08, 0xa001, 0xbf30}, setup: func(c *CPU) { c.Z = false },
			blocks: 2, want: func(s *ctlState) {
				// it ne; (ne) it eq; (eq fails) adr r0; wfi
				s.R[15] = base + 8
				s.Halted = true
				s.Retired = 4
			}},
	})
}

func TestSVCAndHooks(t *testing.T) {
	var hookCalls []uint32
	hook := func(c *CPU, imm uint32) bool {
		hookCalls = append(hookCalls, imm)
		c.R[0] = 42
		return true
	}
	refuse := func(c *CPU, imm uint32) bool { hookCalls = append(hookCalls, imm); return false }
	tests := []struct {
		ctlCase
		svc, bkpt, hvc func(c *CPU, imm uint32) bool
		calls          []uint32
	}{
		{ctlCase: ctlCase{name: "HVC hook", code: []uint32{0xe1412374}, want: func(s *ctlState) {
			s.R[0] = 42
			s.R[15] = base + 4
			s.Retired = 1
		}}, hvc: hook, calls: []uint32{0x1234}},
		{ctlCase: ctlCase{name: "HVC hook T32", thumb: true, code: []uint32{0xf7e1, 0x8234}, want: func(s *ctlState) {
			s.R[0] = 42
			s.R[15] = base + 4
			s.Retired = 1
		}}, hvc: hook, calls: []uint32{0x1234}},
		{ctlCase: ctlCase{name: "HVC refused", code: []uint32{0xe1400075}, want: undef(4, 0x1d3)}, hvc: refuse, calls: []uint32{5}},
		{ctlCase: ctlCase{name: "HVC in User mode", code: []uint32{0xe1400075}, setup: toUser, want: undef(4, 0x10)}, hvc: hook},
		{ctlCase: ctlCase{name: "SVC", code: []uint32{0xef000005}, setup: toUser, want: func(s *ctlState) {
			s.Mode = ModeSVC
			s.R[13] = base + 0x80000
			s.R[14] = base + 4
			s.R[15] = 0x08
			s.SPSR = 0x10
			s.I = true
			s.Retired = 1
		}}, svc: hook},
		{ctlCase: ctlCase{name: "SVC semihosting ARM", code: []uint32{0xef123456}, want: func(s *ctlState) {
			s.R[0] = 42
			s.R[15] = base + 4
			s.Retired = 1
		}}, svc: hook, calls: []uint32{0x123456}},
		{ctlCase: ctlCase{name: "SVC 0xAB in ARM is a plain SVC", code: []uint32{0xef0000ab}, want: func(s *ctlState) {
			s.R[14] = base + 4
			s.R[15] = 0x08
			s.SPSR = 0x1d3
			s.Retired = 1
		}}, svc: hook},
		{ctlCase: ctlCase{name: "SVC semihosting Thumb", thumb: true, code: []uint32{0xdfab}, want: func(s *ctlState) {
			s.R[0] = 42
			s.R[15] = base + 2
			s.Retired = 1
		}}, svc: hook, calls: []uint32{0xab}},
		{ctlCase: ctlCase{name: "SVC semihosting refused", thumb: true, code: []uint32{0xdfab}, want: func(s *ctlState) {
			s.R[14] = base + 2
			s.R[15] = 0x08
			s.SPSR = 0x1f3
			s.T = false
			s.Retired = 1
		}}, svc: refuse, calls: []uint32{0xab}},
		{ctlCase: ctlCase{name: "BKPT ARM", code: []uint32{0xe1200070}, want: func(s *ctlState) {
			s.Mode = ModeABT
			s.R[13], s.R[14] = 0, base+4
			s.R[15] = 0x0c
			s.SPSR = 0x1d3
		}}, bkpt: hook},
		{ctlCase: ctlCase{name: "BKPT 0xAB Thumb", thumb: true, code: []uint32{0xbeab}, want: func(s *ctlState) {
			s.R[0] = 42
			s.R[15] = base + 2
			s.Retired = 1
		}}, bkpt: hook, calls: []uint32{0xab}},
		{ctlCase: ctlCase{name: "BKPT Thumb in IT block is unconditional", thumb: true, code: []uint32{0xbf08, 0xbe01}, want: func(s *ctlState) {
			s.Mode = ModeABT
			s.R[13], s.R[14] = 0, base+6
			s.R[15] = 0x0c
			s.SPSR = 0x1f3 | 0x08<<8
			s.T = false
			s.Retired = 1
		}}, bkpt: hook},
		{ctlCase: ctlCase{name: "UDF", code: []uint32{0xe7f000f0}, want: func(s *ctlState) {
			s.Mode = ModeUND
			s.R[13], s.R[14] = 0, base+4
			s.R[15] = 0x04
			s.SPSR = 0x1d3
		}}},
		{ctlCase: ctlCase{name: "UDF T16", thumb: true, code: []uint32{0xde07}, want: func(s *ctlState) {
			s.Mode = ModeUND
			s.R[13], s.R[14] = 0, base+2
			s.R[15] = 0x04
			s.SPSR = 0x1f3
			s.T = false
		}}},
		{ctlCase: ctlCase{name: "HVC UNDEFINED", code: []uint32{0xe1400075}, want: func(s *ctlState) {
			s.Mode = ModeUND
			s.R[13], s.R[14] = 0, base+4
			s.R[15] = 0x04
			s.SPSR = 0x1d3
		}}},
		{ctlCase: ctlCase{name: "SMC UNDEFINED T32", thumb: true, code: []uint32{0xf7f3, 0x8000}, want: func(s *ctlState) {
			s.Mode = ModeUND
			s.R[13], s.R[14] = 0, base+2
			s.R[15] = 0x04
			s.SPSR = 0x1f3
			s.T = false
		}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hookCalls = nil
			c, term := newCtlCPU(t, tc.thumb, tc.code)
			c.SVCHook, c.BKPTHook, c.HVCHook = tc.svc, tc.bkpt, tc.hvc
			if tc.setup != nil {
				tc.setup(c)
			}
			want := ctlSnap(c)
			tc.want(&want)
			runBlocks(t, c, 1)
			if diff := cmp.Diff(want, ctlSnapTerm(c, term)); diff != "" {
				t.Errorf("state mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.calls, hookCalls); diff != "" {
				t.Errorf("hook calls (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBKPTIFSR(t *testing.T) {
	c, _ := newCtlCPU(t, false, []uint32{0xe1200070})
	runBlocks(t, c, 1)
	if got := c.mem.sys.ifsr; got != 2 {
		t.Errorf("IFSR = %#x, want 0x2 (debug event)", got)
	}
}

// undefState is what an UNDEFINED instruction at base (ARM, size bytes)
// leaves, entered from mode m with CPSR psr.
func undef(size uint32, psr uint32) func(s *ctlState) {
	return func(s *ctlState) {
		s.Mode = ModeUND
		s.R[13] = 0
		s.R[14] = base + size
		s.R[15] = 0x04
		s.SPSR = psr
		s.T = false
		s.I = true
	}
}

func TestMRSMSR(t *testing.T) {
	runCtlCases(t, []ctlCase{
		{name: "MRS CPSR", code: []uint32{0xe10f1000}, setup: func(c *CPU) { c.N, c.C = true, true; c.IT = 0 }, want: func(s *ctlState) {
			s.R[1] = 0xa00001d3
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "MRS CPSR Thumb hides T", thumb: true, code: []uint32{0xf3ef, 0x8000}, setup: func(c *CPU) { c.GE = 0xa; c.E = true }, want: func(s *ctlState) {
			s.R[0] = 0x000a03d3
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "MSR CPSR_f reg", code: []uint32{0xe128f002}, setup: func(c *CPU) { c.R[2] = 0xf80f03ff }, want: func(s *ctlState) {
			s.N, s.Z, s.C, s.V, s.Q = true, true, true, true, true
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "MSR CPSR_c imm to System", code: []uint32{0xe321f01f}, want: func(s *ctlState) {
			s.Mode = ModeSYS
			s.R[13] = 0
			s.R[14] = 0
			s.I, s.F = false, false
			s.SPSR = 0
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "MSR CPSR_fsxc reg keeps T and IT", code: []uint32{0xe12ff000}, setup: func(c *CPU) { c.R[0] = 0x0f0ffe32 | psrQ | psrT }, want: func(s *ctlState) {
			s.Q = true
			s.GE = 0xf
			s.E, s.A, s.I, s.F = true, false, false, false
			s.Mode = ModeIRQ
			s.R[13], s.R[14] = 0, 0
			s.SPSR = 0
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "MSR CPSR in User mode writes only flags GE E", code: []uint32{0xe12ff000}, setup: func(c *CPU) {
			toUser(c)
			c.R[0] = 0xf80f02d3
		}, want: func(s *ctlState) {
			s.N, s.Z, s.C, s.V, s.Q = true, true, true, true, true
			s.GE = 0xf
			s.E = true
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "MSR CPSR_c to Monitor mode keeps the mode", code: []uint32{0xe32ff016}, want: func(s *ctlState) {
			s.I, s.F, s.A = false, false, false
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "MSR SPSR then MRS SPSR", code: []uint32{0xe16ff003, 0xe14f1000}, setup: func(c *CPU) { c.R[3] = 0xfffffff0 }, want: func(s *ctlState) {
			s.SPSR = 0xff1ffff0
			s.R[1] = 0xff1ffff0
			s.R[15] = base + 8
			s.Retired = 2
		}},
		{name: "MSR SPSR_x", code: []uint32{0xe162f001}, setup: func(c *CPU) { c.R[1] = 0xffffffff; c.setSPSR(0x10) }, want: func(s *ctlState) {
			s.SPSR = 0xff10
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "MRS SPSR in User mode is UNDEFINED", code: []uint32{0xe14f1000}, setup: toUser, want: undef(4, 0x10)},
		{name: "MSR SPSR in User mode is UNDEFINED", code: []uint32{0xe16ff003}, setup: toUser, want: undef(4, 0x10)},
		{name: "MSR Thumb CPSR_c", thumb: true, code: []uint32{0xf381, 0x8100}, setup: func(c *CPU) { c.R[1] = 0x1f | psrA }, want: func(s *ctlState) {
			s.Mode = ModeSYS
			s.R[13], s.R[14] = 0, 0
			s.I, s.F = false, false
			s.SPSR = 0
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "MRS pc branches", code: []uint32{0xe10ff000}, setup: func(c *CPU) { c.N = true }, want: func(s *ctlState) {
			s.R[15] = 0x800001d0
			s.Retired = 1
		}},
	})
}

func TestBankedMRSMSR(t *testing.T) {
	runCtlCases(t, []ctlCase{
		{name: "UNDEFINED without the Virtualization Extensions", code: []uint32{0xe1052200}, want: undef(4, 0x1d3)},
	})
	virtExtBanked = true
	defer func() { virtExtBanked = false }()
	runCtlCases(t, []ctlCase{
		{name: "MRS R8_usr from FIQ", code: []uint32{0xe1002200}, setup: func(c *CPU) {
			c.R[8] = 0x88
			c.switchMode(ModeFIQ)
			c.R[8] = 0xf8
		}, want: func(s *ctlState) {
			s.R[2] = 0x88
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "MRS R8_usr from SVC is UNDEFINED", code: []uint32{0xe1002200}, want: undef(4, 0x1d3)},
		{name: "MRS SP_usr from System is UNDEFINED", code: []uint32{0xe1052200}, setup: func(c *CPU) { c.switchMode(ModeSYS) }, want: undef(4, 0x1df)},
		{name: "MRS SP_usr from SVC", code: []uint32{0xe1052200}, setup: func(c *CPU) { c.bankR13[bankUSR] = 0x1234 }, want: func(s *ctlState) {
			s.R[2] = 0x1234
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "MSR SP_svc from IRQ", code: []uint32{0xe123f301}, setup: func(c *CPU) {
			c.switchMode(ModeIRQ)
			c.R[1] = 0x5678
		}, want: func(s *ctlState) {
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "MRS SPSR_und from SVC", code: []uint32{0xe1464300}, setup: func(c *CPU) { c.spsr[bankUND] = 0x600001d0 }, want: func(s *ctlState) {
			s.R[4] = 0x600001d0
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "MRS SPSR_svc from SVC is UNDEFINED", code: []uint32{0xe1424300}, want: undef(4, 0x1d3)},
		{name: "MRS from User is UNDEFINED", code: []uint32{0xe1464300}, setup: toUser, want: undef(4, 0x10)},
	})
	// MSR SP_svc from IRQ wrote the SVC bank.
	c, _ := newCtlCPU(t, false, []uint32{0xe123f301})
	c.switchMode(ModeIRQ)
	c.R[1] = 0x5678
	runBlocks(t, c, 1)
	if got := c.bankR13[bankSVC]; got != 0x5678 {
		t.Errorf("SP_svc = %#x, want 0x5678", got)
	}
}

func TestCPSAndSETEND(t *testing.T) {
	runCtlCases(t, []ctlCase{
		{name: "CPSIE if", code: []uint32{0xf10800c0}, want: func(s *ctlState) {
			s.I, s.F = false, false
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "CPSIE a, #19 from System", code: []uint32{0xf10a0113}, setup: func(c *CPU) { c.switchMode(ModeSYS) }, want: func(s *ctlState) {
			s.A = false
			s.Mode = ModeSVC
			s.R[13] = base + 0x80000
			s.SPSR = 0
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "CPSID aif in User mode is a NOP", code: []uint32{0xf10c01c0}, setup: toUser, want: func(s *ctlState) {
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "CPS T16", thumb: true, code: []uint32{0xb662, 0xb671}, setup: func(c *CPU) { c.F = false }, blocks: 2, want: func(s *ctlState) {
			s.I, s.F = false, true
			s.R[15] = base + 4
			s.Retired = 2
		}},
		{name: "CPS T32 mode", thumb: true, code: []uint32{0xf3af, 0x8113}, setup: func(c *CPU) { c.switchMode(ModeABT) }, want: func(s *ctlState) {
			s.Mode = ModeSVC
			s.R[13] = base + 0x80000
			s.SPSR = 0
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "SETEND BE then LE", code: []uint32{0xf1010200}, want: func(s *ctlState) {
			s.E = true
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "SETEND LE Thumb", thumb: true, code: []uint32{0xb650}, setup: func(c *CPU) { c.E = true }, want: func(s *ctlState) {
			s.E = false
			s.R[15] = base + 2
			s.Retired = 1
		}},
	})
}

func TestSRSRFE(t *testing.T) {
	t.Run("SRSDB sp!, #svc from IRQ", func(t *testing.T) {
		c, _ := newCtlCPU(t, false, []uint32{0xf96d0513})
		c.switchMode(ModeIRQ)
		c.bankR13[bankSVC] = base + 0x1000
		c.R[14] = 0x11111111
		c.setSPSR(0x22222222)
		runBlocks(t, c, 1)
		var got [2]uint32
		for i := range got {
			v, _ := c.Bus.Read(uint64(base+0x1000-8+4*i), 4)
			got[i] = uint32(v)
		}
		if diff := cmp.Diff([2]uint32{0x11111111, 0x22222222}, got); diff != "" {
			t.Errorf("stored (-want +got):\n%s", diff)
		}
		if got, want := c.bankR13[bankSVC], uint32(base+0xff8); got != want {
			t.Errorf("SP_svc = %#x, want %#x", got, want)
		}
		if got, want := c.R[15], uint32(termMark); got != want {
			t.Errorf("PC = %#x, want %#x", got, want)
		}
	})
	t.Run("SRSIA T32 own mode", func(t *testing.T) {
		c, _ := newCtlCPU(t, true, []uint32{0xe9ad, 0xc013})
		c.R[13] = base + 0x2000
		c.R[14] = 0x33
		c.setSPSR(0x44)
		runBlocks(t, c, 1)
		a, _ := c.Bus.Read(base+0x2000, 4)
		b, _ := c.Bus.Read(base+0x2004, 4)
		if a != 0x33 || b != 0x44 || c.R[13] != base+0x2008 {
			t.Errorf("stored %#x %#x, SP %#x", a, b, c.R[13])
		}
	})
	runCtlCases(t, []ctlCase{
		{name: "SRS from System is UNDEFINED", code: []uint32{0xf96d0513}, setup: func(c *CPU) { c.switchMode(ModeSYS) }, want: undef(4, 0x1df)},
		{name: "SRS from User is UNDEFINED", code: []uint32{0xf96d0513}, setup: toUser, want: undef(4, 0x10)},
		{name: "SRS to Monitor is UNDEFINED", code: []uint32{0xf96d0516}, want: undef(4, 0x1d3)},
		{name: "RFEIA r0! to Thumb User", code: []uint32{0xf8b00a00}, setup: func(c *CPU) {
			c.R[0] = base + 0x100
			c.Bus.Write(base+0x100, 4, base+0x201)
			c.Bus.Write(base+0x104, 4, 0x80000030)
		}, want: func(s *ctlState) {
			s.R[0] = base + 0x108
			s.R[15] = base + 0x200
			s.T = true
			s.N = true
			s.A, s.I, s.F = false, false, false
			s.Mode = ModeUSR
			s.R[13], s.R[14] = 0, 0
			s.SPSR = 0
			s.Retired = 1
		}},
		{name: "RFEDB T32", thumb: true, code: []uint32{0xe83d, 0xc000}, setup: func(c *CPU) {
			c.Bus.Write(base+0x80000-8, 4, base+0x300)
			c.Bus.Write(base+0x80000-4, 4, 0x1d3)
		}, want: func(s *ctlState) {
			s.R[13] = base + 0x80000 - 8
			s.R[15] = base + 0x300
			s.T = false
			s.Retired = 1
		}},
		{name: "RFE in User is UNDEFINED", code: []uint32{0xf8b00a00}, setup: toUser, want: undef(4, 0x10)},
	})
}

func TestExceptionReturnT32AndERET(t *testing.T) {
	runCtlCases(t, []ctlCase{
		{name: "SUBS PC, LR, #4", thumb: true, code: []uint32{0xf3de, 0x8f04}, setup: func(c *CPU) {
			c.R[14] = base + 0x105
			c.setSPSR(0x30)
		}, want: func(s *ctlState) {
			s.R[15] = base + 0x100
			s.Mode = ModeUSR
			s.R[13], s.R[14] = 0, 0
			s.A, s.I, s.F = false, false, false
			s.SPSR = 0
			s.Retired = 1
		}},
		{name: "ERET", code: []uint32{0xe160006e}, setup: func(c *CPU) {
			c.R[14] = base + 0x100
			c.setSPSR(0x1d3 | psrZ)
		}, want: func(s *ctlState) {
			s.R[15] = base + 0x100
			s.Z = true
			s.Retired = 1
		}},
		{name: "ERET in User is UNDEFINED", code: []uint32{0xe160006e}, setup: toUser, want: undef(4, 0x10)},
	})
}

func TestHints(t *testing.T) {
	runCtlCases(t, []ctlCase{
		{name: "NOP YIELD DMB DSB DBG hint", code: []uint32{0xe320f000, 0xe320f001, 0xf57ff05b, 0xf57ff04f, 0xe320f0f3, 0xe320f055, 0xe320f003},
			want: func(s *ctlState) {
				s.R[15] = base + 28
				s.Halted = true
				s.Retired = 7
			}},
		{name: "ISB ends the block", code: []uint32{0xf57ff06f, 0xe320f003}, want: func(s *ctlState) {
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "WFE with event clears it", code: []uint32{0xe320f002}, setup: func(c *CPU) { c.eventReg = true }, want: func(s *ctlState) {
			s.Event = false
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "WFE without event halts", code: []uint32{0xe320f002}, want: func(s *ctlState) {
			s.Halted = true
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "SEV then WFE", thumb: true, code: []uint32{0xbf40, 0xbf20}, want: func(s *ctlState) {
			s.R[15] = base + 4
			s.Retired = 2
		}},
		{name: "WFI T32", thumb: true, code: []uint32{0xf3af, 0x8003}, want: func(s *ctlState) {
			s.Halted = true
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "WFI conditional not taken", code: []uint32{0x0320f003}, want: func(s *ctlState) {
			s.R[15] = base + 4
			s.Retired = 1
		}},
	})
}

func TestWFIRun(t *testing.T) {
	c, _ := newCtlCPU(t, false, []uint32{0xe320f003, 0xe320f000})
	n, why := c.Run(100)
	if n != 1 || why != StopHalt {
		t.Fatalf("Run = %d, %v; want 1, StopHalt", n, why)
	}
	if got, want := c.R[15], uint32(base+4); got != want {
		t.Errorf("PC = %#x, want %#x", got, want)
	}
	// A pending interrupt (even masked) wakes the CPU; it continues after
	// the WFI.
	c.irqLine = true
	n, why = c.Run(1)
	if n != 2 || why != StopBudget || c.R[15] != termMark {
		t.Errorf("after wake-up: Run = %d, %v, PC %#x", n, why, c.R[15])
	}
}

// fakeCP is a coprocessor with a register map; privileged-only registers
// have opc1 = 1.
type fakeCP struct {
	regs   map[uint32]uint32
	regs64 map[uint32]uint64
}

func fakeCPKey(opc1, crn, crm, opc2 uint32) uint32 { return opc1<<12 | crn<<8 | crm<<4 | opc2 }

func (f *fakeCP) MRC(opc1, crn, crm, opc2 uint32, priv bool) (uint32, bool) {
	v, ok := f.regs[fakeCPKey(opc1, crn, crm, opc2)]
	return v, ok && (priv || opc1 == 0)
}

func (f *fakeCP) MCR(opc1, crn, crm, opc2 uint32, val uint32, priv bool) bool {
	k := fakeCPKey(opc1, crn, crm, opc2)
	if _, ok := f.regs[k]; !ok || !priv && opc1 != 0 {
		return false
	}
	f.regs[k] = val
	return true
}

func (f *fakeCP) MRRC(opc1, crm uint32, priv bool) (uint64, bool) {
	v, ok := f.regs64[opc1<<4|crm]
	return v, ok
}

func (f *fakeCP) MCRR(opc1, crm uint32, val uint64, priv bool) bool {
	if _, ok := f.regs64[opc1<<4|crm]; !ok {
		return false
	}
	f.regs64[opc1<<4|crm] = val
	return true
}

func TestCoprocessor(t *testing.T) {
	withCP := func(extra func(c *CPU)) func(c *CPU) {
		return func(c *CPU) {
			c.SetCoprocessor(15, &fakeCP{
				regs:   map[uint32]uint32{fakeCPKey(0, 1, 0, 0): 0xa0000005, fakeCPKey(1, 2, 3, 4): 7},
				regs64: map[uint32]uint64{2<<4 | 2: 0x1122334455667788},
			})
			if extra != nil {
				extra(c)
			}
		}
	}
	runCtlCases(t, []ctlCase{
		{name: "MRC", code: []uint32{0xee110f10}, setup: withCP(nil), want: func(s *ctlState) {
			s.R[0] = 0xa0000005
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "MCR then MRC", code: []uint32{0xee011f10, 0xee110f10}, setup: withCP(func(c *CPU) { c.R[1] = 0x55 }), blocks: 2,
			want: func(s *ctlState) {
				s.R[0] = 0x55
				s.R[15] = base + 8
				s.Retired = 2
			}},
		{name: "MRC APSR_nzcv", code: []uint32{0xee11ff10}, setup: withCP(func(c *CPU) { c.Z = true; c.V = false }), want: func(s *ctlState) {
			s.N, s.Z, s.C, s.V = true, false, true, false
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "MRC T32", thumb: true, code: []uint32{0xee11, 0x0f10}, setup: withCP(nil), want: func(s *ctlState) {
			s.R[0] = 0xa0000005
			s.R[15] = base + 4
			s.Retired = 1
		}},
		{name: "MCRR MRRC", code: []uint32{0xec432f22, 0xec554f22}, setup: withCP(func(c *CPU) { c.R[2], c.R[3] = 0xaaaa, 0xbbbb }), blocks: 2,
			want: func(s *ctlState) {
				s.R[4], s.R[5] = 0xaaaa, 0xbbbb
				s.R[15] = base + 8
				s.Retired = 2
			}},
		{name: "MRC unknown register is UNDEFINED", code: []uint32{0xee120f10}, setup: withCP(nil), want: undef(4, 0x1d3)},
		{name: "MRC privileged register from User is UNDEFINED", code: []uint32{0xee3204b3}, setup: withCP(toUser), want: undef(4, 0x10)},
		{name: "MRC without coprocessor is UNDEFINED", code: []uint32{0xee110e10}, want: undef(4, 0x1d3)},
		{name: "MRC2 is UNDEFINED", code: []uint32{0xfe110f10}, setup: withCP(nil), want: undef(4, 0x1d3)},
	})
}
