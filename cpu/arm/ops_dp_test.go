package arm

import (
	"math/rand"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// dpState is what the data-processing tests compare: the registers as the
// current mode sees them and the APSR (N Z C V Q GE).
type dpState struct {
	R    [16]uint32
	APSR uint32
}

// dpCase runs code from a fresh CPU with registers in and APSR psr, for n
// instructions (default 1; the code ends the block anyway), and expects
// the registers in want (others unchanged; R15 after the code unless set)
// and APSR wantPSR.
type dpCase struct {
	name    string
	thumb   bool
	code    []uint32
	n       uint64
	in      map[int]uint32
	psr     uint32
	want    map[int]uint32
	wantPSR uint32
}

const (
	fN = psrN
	fZ = psrZ
	fC = psrC
	fV = psrV
	fQ = psrQ
)

func runDPCases(t *testing.T, cases []dpCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// The code is followed by a branch to itself, which ends the
			// block; the PC is expected there unless the case says
			// otherwise.
			code := append([]uint32(nil), tc.code...)
			end := testRAMBase + uint32(len(code))*4
			if tc.thumb {
				code = append(code, 0xe7fe) // b .
				end = testRAMBase + uint32(len(tc.code))*2
			} else {
				code = append(code, 0xeafffffe) // b .
			}
			c := newTestCPU(t, tc.thumb, code...)
			for r, v := range tc.in {
				c.R[r] = v
			}
			c.setFlagsFrom(tc.psr)
			want := dpState{R: c.R, APSR: tc.wantPSR}
			want.R[15] = end
			for r, v := range tc.want {
				want.R[r] = v
			}
			n := tc.n
			if n == 0 {
				n = 1
			}
			runN(t, c, n)
			got := dpState{R: c.R, APSR: c.APSR()}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
		})
	}
}

func TestDPA32Basic(t *testing.T) {
	runDPCases(t, []dpCase{
		{name: "add reg", code: []uint32{0xe0810002}, // add r0, r1, r2
			in: map[int]uint32{1: 5, 2: 7}, want: map[int]uint32{0: 12}},
		{name: "adds carry", code: []uint32{0xe0910002}, // adds r0, r1, r2
			in: map[int]uint32{1: 0xffffffff, 2: 1}, want: map[int]uint32{0: 0}, wantPSR: fZ | fC},
		{name: "adds overflow", code: []uint32{0xe0910002},
			in: map[int]uint32{1: 0x7fffffff, 2: 1}, want: map[int]uint32{0: 0x80000000}, wantPSR: fN | fV},
		{name: "subs borrow", code: []uint32{0xe0510002}, // subs r0, r1, r2
			in: map[int]uint32{1: 1, 2: 2}, want: map[int]uint32{0: 0xffffffff}, wantPSR: fN},
		{name: "subs no borrow", code: []uint32{0xe0510002},
			in: map[int]uint32{1: 2, 2: 2}, want: map[int]uint32{0: 0}, wantPSR: fZ | fC},
		{name: "cmp imm", code: []uint32{0xe3510005}, // cmp r1, #5
			in: map[int]uint32{1: 5}, wantPSR: fZ | fC},
		{name: "cmp signed overflow", code: []uint32{0xe1510002}, // cmp r1, r2
			in: map[int]uint32{1: 0x80000000, 2: 1}, wantPSR: fC | fV},
		{name: "cmn", code: []uint32{0xe3710001}, // cmn r1, #1
			in: map[int]uint32{1: 0xffffffff}, wantPSR: fZ | fC},
		{name: "mov imm rotated", code: []uint32{0xe3a004ff}, // mov r0, #0xff000000
			want: map[int]uint32{0: 0xff000000}},
		{name: "movs imm rotated sets C", code: []uint32{0xe3b004ff}, // movs r0, #0xff000000
			want: map[int]uint32{0: 0xff000000}, wantPSR: fN | fC},
		{name: "movs imm unrotated keeps C", code: []uint32{0xe3b00000}, // movs r0, #0
			psr: fC | fV, want: map[int]uint32{0: 0}, wantPSR: fZ | fC | fV},
		{name: "mvn", code: []uint32{0xe3e00000}, // mvn r0, #0
			want: map[int]uint32{0: 0xffffffff}},
		{name: "lsl imm", code: []uint32{0xe1a00101}, // lsl r0, r1, #2
			in: map[int]uint32{1: 3}, want: map[int]uint32{0: 12}},
		{name: "lsls carry", code: []uint32{0xe1b00f81}, // lsls r0, r1, #31
			in: map[int]uint32{1: 3}, want: map[int]uint32{0: 0x80000000}, wantPSR: fN | fC},
		{name: "lsr #32", code: []uint32{0xe1b00021}, // lsrs r0, r1, #32
			in: map[int]uint32{1: 0x80000000}, want: map[int]uint32{0: 0}, wantPSR: fZ | fC},
		{name: "asr #32", code: []uint32{0xe1a00041}, // asr r0, r1, #32
			in: map[int]uint32{1: 0x80000000}, want: map[int]uint32{0: 0xffffffff}},
		{name: "asrs #1", code: []uint32{0xe1b000c1}, // asrs r0, r1, #1
			in: map[int]uint32{1: 0x80000001}, want: map[int]uint32{0: 0xc0000000}, wantPSR: fN | fC},
		{name: "ror", code: []uint32{0xe1a00461}, // ror r0, r1, #8
			in: map[int]uint32{1: 0x12345678}, want: map[int]uint32{0: 0x78123456}},
		{name: "rrxs", code: []uint32{0xe1b00061}, // rrxs r0, r1
			in: map[int]uint32{1: 3}, psr: fC, want: map[int]uint32{0: 0x80000001}, wantPSR: fN | fC},
		{name: "add lsl", code: []uint32{0xe0810102}, // add r0, r1, r2, lsl #2
			in: map[int]uint32{1: 1, 2: 2}, want: map[int]uint32{0: 9}},
		{name: "add lsr", code: []uint32{0xe0810fa2}, // add r0, r1, r2, lsr #31
			in: map[int]uint32{1: 1, 2: 0x80000000}, want: map[int]uint32{0: 2}},
		{name: "sub asr", code: []uint32{0xe0410fc2}, // sub r0, r1, r2, asr #31
			in: map[int]uint32{1: 1, 2: 0x80000000}, want: map[int]uint32{0: 2}},
		{name: "ands shifter carry", code: []uint32{0xe01100a2}, // ands r0, r1, r2, lsr #1
			in: map[int]uint32{1: 0xffffffff, 2: 3}, want: map[int]uint32{0: 1}, wantPSR: fC},
		{name: "lsl reg", code: []uint32{0xe1a00211}, // lsl r0, r1, r2
			in: map[int]uint32{1: 1, 2: 0x104}, want: map[int]uint32{0: 16}},
		{name: "lsls reg 32", code: []uint32{0xe1b00211}, // lsls r0, r1, r2
			in: map[int]uint32{1: 1, 2: 32}, want: map[int]uint32{0: 0}, wantPSR: fZ | fC},
		{name: "lsrs reg 33", code: []uint32{0xe1b00231}, // lsrs r0, r1, r2
			in: map[int]uint32{1: 0xffffffff, 2: 33}, psr: fC, want: map[int]uint32{0: 0}, wantPSR: fZ},
		{name: "rors reg 0 keeps C", code: []uint32{0xe1b00271}, // rors r0, r1, r2
			in: map[int]uint32{1: 5, 2: 0}, psr: fC, want: map[int]uint32{0: 5}, wantPSR: fC},
		{name: "adc", code: []uint32{0xe0a10002}, // adc r0, r1, r2
			in: map[int]uint32{1: 1, 2: 2}, psr: fC, want: map[int]uint32{0: 4}, wantPSR: fC},
		{name: "adcs", code: []uint32{0xe0b10002}, // adcs r0, r1, r2
			in: map[int]uint32{1: 0xffffffff, 2: 0}, psr: fC, want: map[int]uint32{0: 0}, wantPSR: fZ | fC},
		{name: "sbc", code: []uint32{0xe0c10002}, // sbc r0, r1, r2
			in: map[int]uint32{1: 5, 2: 2}, want: map[int]uint32{0: 2}},
		{name: "sbcs", code: []uint32{0xe0d10002}, // sbcs r0, r1, r2
			in: map[int]uint32{1: 5, 2: 5}, psr: fC, want: map[int]uint32{0: 0}, wantPSR: fZ | fC},
		{name: "rsb imm", code: []uint32{0xe2610000}, // rsb r0, r1, #0
			in: map[int]uint32{1: 1}, want: map[int]uint32{0: 0xffffffff}},
		{name: "rscs", code: []uint32{0xe0f10002}, // rscs r0, r1, r2
			in: map[int]uint32{1: 1, 2: 5}, want: map[int]uint32{0: 3}, wantPSR: fC},
		{name: "bic", code: []uint32{0xe3c100ff}, // bic r0, r1, #255
			in: map[int]uint32{1: 0x1234}, want: map[int]uint32{0: 0x1200}},
		{name: "orr eor", code: []uint32{0xe1810002, 0xe0200003}, n: 2, // orr r0, r1, r2 ; eor r0, r0, r3
			in: map[int]uint32{1: 0xf0, 2: 0x0f, 3: 0x3c}, want: map[int]uint32{0: 0xc3}},
		{name: "tst", code: []uint32{0xe3110102}, // tst r1, #0x80000000
			in: map[int]uint32{1: 0x80000000}, psr: fZ, wantPSR: fN | fC},
		{name: "teq", code: []uint32{0xe1310002}, // teq r1, r2
			in: map[int]uint32{1: 7, 2: 7}, wantPSR: fZ},
		{name: "add reads pc", code: []uint32{0xe08f0001}, // add r0, pc, r1
			in: map[int]uint32{1: 4}, want: map[int]uint32{0: testRAMBase + 12}},
		{name: "mov from pc", code: []uint32{0xe1a0000f}, // mov r0, pc
			want: map[int]uint32{0: testRAMBase + 8}},
		{name: "add pc interworks", code: []uint32{0xe08ff001}, // add pc, pc, r1
			in: map[int]uint32{1: 0x11}, want: map[int]uint32{15: testRAMBase + 0x18}},
		{name: "conditional skipped", code: []uint32{0x03a00001}, // moveq r0, #1
			want: map[int]uint32{}},
		{name: "conditional taken", code: []uint32{0x03a00001},
			psr: fZ, want: map[int]uint32{0: 1}, wantPSR: fZ},
		{name: "movw movt", code: []uint32{0xe3050678, 0xe3410234}, n: 2, // movw r0, #0x5678 ; movt r0, #0x1234
			want: map[int]uint32{0: 0x12345678}},
	})
}

func TestDPA32PCWrite(t *testing.T) {
	// mov pc, r1 to ARM; bx-style interworking sets Thumb.
	c := newTestCPU(t, false, 0xe1a0f001) // mov pc, r1
	c.R[1] = testRAMBase + 0x101
	runN(t, c, 1)
	if got, want := c.R[15], uint32(testRAMBase+0x100); got != want || !c.T {
		t.Errorf("PC %#x T %v, want %#x T true", got, c.T, want)
	}
}

func TestDPA32ExceptionReturn(t *testing.T) {
	// subs pc, lr, #4 from IRQ mode returns to SVC/Thumb with the SPSR.
	c := newTestCPU(t, false, 0xe25ef004)
	c.switchMode(ModeIRQ)
	c.R[14] = testRAMBase + 0x205
	c.setSPSR(ModeSVC | psrT | psrZ)
	runN(t, c, 1)
	if got, want := c.R[15], uint32(testRAMBase+0x200); got != want {
		t.Errorf("PC %#x, want %#x", got, want)
	}
	if c.Mode() != ModeSVC || !c.T || !c.Z {
		t.Errorf("CPSR %#x, want SVC, T, Z", c.CPSR())
	}
	// In User mode the same instruction is UNDEFINED (UNPREDICTABLE).
	c = newTestCPU(t, false, 0xe1b0f00e) // movs pc, lr
	c.switchMode(ModeUSR)
	expectUndef(t, c)
}

// dpVectors is where expectUndef puts the exception vectors.
const dpVectors = testRAMBase + 0x1000

// expectUndef runs one instruction and checks that it took the Undefined
// Instruction exception. The vectors are moved into RAM, each holding a
// branch to itself.
func expectUndef(t *testing.T, c *CPU) {
	t.Helper()
	c.mem.sys.vbar = dpVectors
	for off := uint32(0); off < 0x20; off += 4 {
		if err := c.WriteMem(dpVectors+off, []byte{0xfe, 0xff, 0xff, 0xea}); err != nil {
			t.Fatal(err)
		}
	}
	pc := c.R[15]
	size := uint32(4)
	if c.T {
		size = 2
		var b [2]byte
		if err := c.ReadMem(pc, b[:]); err == nil && b[1]>>3 >= 0x1d {
			size = 4
		}
	}
	runN(t, c, 1)
	if c.Mode() != ModeUND || c.R[15] != dpVectors+4 || c.R[14] != pc+size {
		t.Errorf("mode %#x PC %#x LR %#x, want UND mode, PC %#x, LR %#x", c.Mode(), c.R[15], c.R[14], dpVectors+4, pc+size)
	}
}

func TestDPThumb(t *testing.T) {
	const sp = testRAMBase + 0x80000
	runDPCases(t, []dpCase{
		{name: "adds", thumb: true, code: []uint32{0x1888}, // adds r0, r1, r2
			in: map[int]uint32{1: 1, 2: 2}, want: map[int]uint32{0: 3}},
		{name: "movs imm keeps C", thumb: true, code: []uint32{0x2080}, // movs r0, #0x80
			psr: fC, want: map[int]uint32{0: 0x80}, wantPSR: fC},
		{name: "lsls carry", thumb: true, code: []uint32{0x0048}, // lsls r0, r1, #1
			in: map[int]uint32{1: 0x80000001}, want: map[int]uint32{0: 2}, wantPSR: fC},
		{name: "lsrs #32", thumb: true, code: []uint32{0x0808}, // lsrs r0, r1, #32
			in: map[int]uint32{1: 0x80000000}, want: map[int]uint32{0: 0}, wantPSR: fZ | fC},
		{name: "negs", thumb: true, code: []uint32{0x4248}, // negs r0, r1
			in: map[int]uint32{1: 1}, want: map[int]uint32{0: 0xffffffff}, wantPSR: fN},
		{name: "muls", thumb: true, code: []uint32{0x4348}, // muls r0, r1, r0
			in: map[int]uint32{0: 3, 1: 5}, psr: fC | fV, want: map[int]uint32{0: 15}, wantPSR: fC | fV},
		{name: "add pc operand", thumb: true, code: []uint32{0x4478}, // add r0, pc
			in: map[int]uint32{0: 1}, want: map[int]uint32{0: testRAMBase + 5}},
		{name: "add sp imm", thumb: true, code: []uint32{0xb004, 0xb082}, n: 2, // add sp, #16; sub sp, #8
			want: map[int]uint32{13: sp + 8}},
		{name: "add rd sp imm", thumb: true, code: []uint32{0xa902}, // add r1, sp, #8
			want: map[int]uint32{1: sp + 8}},
		{name: "mov pc", thumb: true, code: []uint32{0x468f}, // mov pc, r1
			in: map[int]uint32{1: testRAMBase + 0x101}, want: map[int]uint32{15: testRAMBase + 0x100}},
		{name: "add pc", thumb: true, code: []uint32{0x448f}, // add pc, r1
			in: map[int]uint32{1: 0x11}, want: map[int]uint32{15: testRAMBase + 0x14}},
		{name: "mov high", thumb: true, code: []uint32{0x4688}, // mov r8, r1
			in: map[int]uint32{1: 7}, psr: fZ, want: map[int]uint32{8: 7}, wantPSR: fZ},
		{name: "cmp high", thumb: true, code: []uint32{0x45c8}, // cmp r8, r9
			in: map[int]uint32{8: 1, 9: 2}, wantPSR: fN},
		{name: "in IT no flags", thumb: true, code: []uint32{0xbf08, 0x1888}, n: 2, // it eq; addeq r0, r1, r2
			in: map[int]uint32{1: 0xffffffff, 2: 1}, psr: fZ, want: map[int]uint32{0: 0}, wantPSR: fZ},
		{name: "in IT skipped", thumb: true, code: []uint32{0xbf08, 0x1888}, n: 2,
			in: map[int]uint32{1: 0xffffffff, 2: 1}},
		{name: "extend reverse", thumb: true, code: []uint32{0xb248, 0xb292, 0xba1b, 0xbae4}, n: 4,
			// sxtb r0, r1; uxth r2, r2; rev r3, r3; revsh r4, r4
			in:   map[int]uint32{1: 0x80, 2: 0x12345678, 3: 0x12345678, 4: 0x1280},
			want: map[int]uint32{0: 0xffffff80, 2: 0x5678, 3: 0x78563412, 4: 0xffff8012}},
		{name: "add.w imm", thumb: true, code: []uint32{0xf501, 0x7080}, // add.w r0, r1, #0x100
			in: map[int]uint32{1: 1}, want: map[int]uint32{0: 0x101}},
		{name: "adds.w replicated imm", thumb: true, code: []uint32{0xf111, 0x20ff}, // adds.w r0, r1, #0xff00ff00
			in: map[int]uint32{1: 0x00ff0100}, want: map[int]uint32{0: 0}, wantPSR: fZ | fC},
		{name: "addw", thumb: true, code: []uint32{0xf601, 0x70ff}, // addw r0, r1, #0xfff
			in: map[int]uint32{1: 1}, want: map[int]uint32{0: 0x1000}},
		{name: "subw sp", thumb: true, code: []uint32{0xf2ad, 0x0204}, // subw r2, sp, #4
			want: map[int]uint32{2: sp - 4}},
		{name: "movs.w rotated imm", thumb: true, code: []uint32{0xf05f, 0x4000}, // movs.w r0, #0x80000000
			want: map[int]uint32{0: 0x80000000}, wantPSR: fN | fC},
		{name: "orn", thumb: true, code: []uint32{0xea61, 0x0002, 0xf061, 0x03ff}, n: 2, // orn r0, r1, r2; orn r3, r1, #0xff
			in: map[int]uint32{1: 0xf0, 2: 0xffffff0f}, want: map[int]uint32{0: 0xf0, 3: 0xfffffff0}},
		{name: "cmp.w shifted", thumb: true, code: []uint32{0xebb1, 0x1f02}, // cmp.w r1, r2, lsl #4
			in: map[int]uint32{1: 0x10, 2: 1}, wantPSR: fZ | fC},
		{name: "lsls.w reg", thumb: true, code: []uint32{0xfa11, 0xf002}, // lsls.w r0, r1, r2
			in: map[int]uint32{1: 3, 2: 31}, want: map[int]uint32{0: 0x80000000}, wantPSR: fN | fC},
		{name: "movw movt", thumb: true, code: []uint32{0xf64a, 0x30cd, 0xf2c1, 0x2034}, n: 2,
			want: map[int]uint32{0: 0x1234abcd}},
		{name: "bitfields", thumb: true, n: 4,
			// ubfx r0, r1, #4, #8; sbfx r2, r1, #4, #8; bfi r3, r1, #8, #4; bfc r4, #0, #16
			code: []uint32{0xf3c1, 0x1007, 0xf341, 0x1207, 0xf361, 0x230b, 0xf36f, 0x040f},
			in:   map[int]uint32{1: 0x00000f80, 3: 0xffffffff, 4: 0x12345678},
			want: map[int]uint32{0: 0xf8, 2: 0xfffffff8, 3: 0xfffff0ff, 4: 0x12340000}},
		{name: "mul pc branches (UNPREDICTABLE)", thumb: true, code: []uint32{0xfb01, 0xff02}, // mul pc, r1, r2
			in: map[int]uint32{1: testRAMBase + 0x41, 2: 1}, want: map[int]uint32{15: testRAMBase + 0x40}},
	})
}

func TestDPA32MulPC(t *testing.T) {
	// mul pc, r1, r2 (UNPREDICTABLE): like QEMU, a plain branch.
	runDPCases(t, []dpCase{
		{name: "mul pc", code: []uint32{0xe00f0291},
			in: map[int]uint32{1: testRAMBase + 0x43, 2: 1}, want: map[int]uint32{15: testRAMBase + 0x40}},
		{name: "umull pc", code: []uint32{0xe08f1392}, // umull r1, pc, r2, r3
			in: map[int]uint32{2: 0x10000, 3: 0x10000}, want: map[int]uint32{1: 0, 15: 0}},
	})
}

// TestDPFnsMatchGeneric checks every generated ALU op against the generic
// evaluator (dpOperand2 and dpEval) on random operands and flags.
func TestDPFnsMatchGeneric(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	edge := []uint32{0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 31, 32, 33, 0x100}
	val := func() uint32 {
		if rng.Intn(3) == 0 {
			return edge[rng.Intn(len(edge))]
		}
		return rng.Uint32()
	}
	a, b := new(CPU), new(CPU) // large: allocate once
	for opc := uint32(0); opc < dpNumOps; opc++ {
		for si := 0; si < 2; si++ {
			for form := 0; form < dpNumForms; form++ {
				fn := dpFns[opc][si][form]
				if fn == nil {
					continue
				}
				for iter := 0; iter < 300; iter++ {
					o := Op{rd: 0, rn: 1, rm: 2, ra: 3, s: si == 1}
					switch form {
					case formImm:
						o.imm, o.amt = val(), uint8(rng.Intn(3))
					case formLsl:
						o.sh, o.amt = shiftLSL, uint8(1+rng.Intn(31))
					case formLsr, formAsr:
						o.sh, o.amt = uint8(form-formLsr+shiftLSR), uint8(1+rng.Intn(32))
					case formShf:
						o.sh, o.amt = shiftROR, uint8(1+rng.Intn(31))
						if rng.Intn(2) == 0 {
							o.sh, o.amt = shiftRRX, 1
						}
					case formRsr:
						o.sh = uint8(rng.Intn(4))
					}
					for r := 0; r < 4; r++ {
						a.R[r] = val()
					}
					a.N, a.Z, a.C, a.V = rng.Intn(2) == 0, rng.Intn(2) == 0, rng.Intn(2) == 0, rng.Intn(2) == 0
					b.R, b.N, b.Z, b.C, b.V = a.R, a.N, a.Z, a.C, a.V
					fn(a, &o)
					g := o
					g.imm2 = opc | uint32(form)<<dpFormShft
					op2, cy := dpOperand2(b, &g)
					r := dpEval(b, opc, b.R[1], op2, cy, o.s)
					if dpHasDest(opc) {
						b.R[0] = r
					}
					if a.R != b.R || a.N != b.N || a.Z != b.Z || a.C != b.C || a.V != b.V {
						t.Fatalf("opcode %d S %d form %d op %+v: specialised R0 %#x NZCV %v%v%v%v, generic R0 %#x NZCV %v%v%v%v",
							opc, si, form, o, a.R[0], a.N, a.Z, a.C, a.V, b.R[0], b.N, b.Z, b.C, b.V)
					}
				}
			}
		}
	}
}
