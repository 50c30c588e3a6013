package arm

import (
	"encoding/binary"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Encodings below come from GNU as (arm-linux-gnueabihf-as -mcpu=cortex-a15);
// expected values follow the ARM ARM pseudocode, and for UNPREDICTABLE
// cases QEMU's choices (see translate_mem.go).

const (
	memData = testRAMBase + 0x1000 // data area used by the tests
	armLoop = 0xeafffffe           // b .
	t16Loop = 0xe7fe               // b .
)

type memCase struct {
	name    string
	thumb   bool
	code    []uint32 // A32 words, or Thumb halfwords in memory order
	n       uint64   // instructions to run; the code ends in "b ."
	regs    map[int]uint32
	carry   bool
	mem     map[uint32]uint32 // words to place before running
	setup   func(c *CPU)
	want    map[int]uint32 // registers after (15: address of the next instruction)
	wantMem map[uint32]uint32
	check   func(t *testing.T, c *CPU)
}

func runMemCases(t *testing.T, cases []memCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestCPU(t, tc.thumb, tc.code...)
			mapVectorLoops(t, c)
			for r, v := range tc.regs {
				c.R[r] = v
			}
			c.C = tc.carry
			for a, v := range tc.mem {
				putWord(t, c, a, v)
			}
			if tc.setup != nil {
				tc.setup(c)
			}
			n := tc.n
			if n == 0 {
				n = 1
			}
			runN(t, c, n)
			if tc.want != nil {
				got := map[int]uint32{}
				for r := range tc.want {
					got[r] = c.R[r]
				}
				if d := cmp.Diff(tc.want, got); d != "" {
					t.Errorf("registers (-want +got):\n%s", d)
				}
			}
			if tc.wantMem != nil {
				got := map[uint32]uint32{}
				for a := range tc.wantMem {
					got[a] = getWord(t, c, a)
				}
				if d := cmp.Diff(tc.wantMem, got); d != "" {
					t.Errorf("memory (-want +got):\n%s", d)
				}
			}
			if tc.check != nil {
				tc.check(t, c)
			}
		})
	}
}

// mapVectorLoops maps RAM at address 0 holding "b ." at every exception
// vector, so that a test that takes an exception stops there.
func mapVectorLoops(t *testing.T, c *CPU) {
	t.Helper()
	vec := make([]byte, pageSize)
	for i := 0; i < len(vec); i += 4 {
		binary.LittleEndian.PutUint32(vec[i:], armLoop)
	}
	if err := c.Bus.MapRAM("vectors", 0, vec); err != nil {
		t.Fatal(err)
	}
}

func putWord(t *testing.T, c *CPU, a, v uint32) {
	t.Helper()
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], v)
	if err := c.WriteMem(a, b[:]); err != nil {
		t.Fatal(err)
	}
}

func getWord(t *testing.T, c *CPU, a uint32) uint32 {
	t.Helper()
	var b [4]byte
	if err := c.ReadMem(a, b[:]); err != nil {
		t.Fatal(err)
	}
	return binary.LittleEndian.Uint32(b[:])
}

// wantMode checks the processor mode and Thumb state.
func wantMode(mode uint32, thumb bool) func(t *testing.T, c *CPU) {
	return func(t *testing.T, c *CPU) {
		t.Helper()
		if c.Mode() != mode || c.T != thumb {
			t.Errorf("mode %#x T=%v, want %#x T=%v", c.Mode(), c.T, mode, thumb)
		}
	}
}

// wantAbort checks that a data abort was taken by the instruction at pc
// with the given fault status and address.
func wantAbort(pc, fsr, far uint32) func(t *testing.T, c *CPU) {
	return func(t *testing.T, c *CPU) {
		t.Helper()
		got := []uint32{c.Mode(), c.R[14], c.R[15], c.mem.sys.dfsr, c.mem.sys.dfar}
		want := []uint32{ModeABT, pc + 8, vecData, fsr, far}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("abort [mode lr pc dfsr dfar] (-want +got):\n%s", d)
		}
	}
}

// wantUndef checks that the instruction at pc took the Undefined
// Instruction exception. LR_und is the address + 4 in ARM state, + 2 in
// Thumb state, whatever the instruction's size (ARM ARM B1.8.4, table B1-7).
func wantUndef(pc uint32) func(t *testing.T, c *CPU) {
	return func(t *testing.T, c *CPU) {
		t.Helper()
		got := []uint32{c.Mode(), c.R[14], c.R[15]}
		lr := pc + 4
		if c.SPSR()&psrT != 0 {
			lr = pc + 2
		}
		want := []uint32{ModeUND, lr, vecUndef}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("undefined [mode lr pc] (-want +got):\n%s", d)
		}
	}
}

const (
	A = testRAMBase
	D = memData
)

func TestMemA32Single(t *testing.T) {
	runMemCases(t, []memCase{
		{name: "ldr imm", code: []uint32{0xe5910004, armLoop}, // ldr r0, [r1, #4]
			regs: map[int]uint32{1: D}, mem: map[uint32]uint32{D + 4: 0x11223344},
			want: map[int]uint32{0: 0x11223344, 1: D, 15: A + 4}},
		{name: "ldr pre-indexed negative", code: []uint32{0xe5310004, armLoop}, // ldr r0, [r1, #-4]!
			regs: map[int]uint32{1: D + 8}, mem: map[uint32]uint32{D + 4: 0xcafe},
			want: map[int]uint32{0: 0xcafe, 1: D + 4}},
		{name: "ldr post-indexed", code: []uint32{0xe4910008, armLoop}, // ldr r0, [r1], #8
			regs: map[int]uint32{1: D}, mem: map[uint32]uint32{D: 7},
			want: map[int]uint32{0: 7, 1: D + 8}},
		{name: "ldr post-indexed Rt == Rn", code: []uint32{0xe4911008, armLoop}, // ldr r1, [r1], #8
			regs: map[int]uint32{1: D}, mem: map[uint32]uint32{D: 7},
			want: map[int]uint32{1: 7}},
		{name: "ldrb", code: []uint32{0xe5d10001, armLoop}, // ldrb r0, [r1, #1]
			regs: map[int]uint32{1: D}, mem: map[uint32]uint32{D: 0x80ff7f01},
			want: map[int]uint32{0: 0x7f}},
		{name: "ldrsb", code: []uint32{0xe1d100d2, armLoop}, // ldrsb r0, [r1, #2]
			regs: map[int]uint32{1: D}, mem: map[uint32]uint32{D: 0x80ff7f01},
			want: map[int]uint32{0: 0xffffffff}},
		{name: "ldrh", code: []uint32{0xe1d100b2, armLoop}, // ldrh r0, [r1, #2]
			regs: map[int]uint32{1: D}, mem: map[uint32]uint32{D: 0x80ff7f01},
			want: map[int]uint32{0: 0x80ff}},
		{name: "ldrsh", code: []uint32{0xe1d100f2, armLoop}, // ldrsh r0, [r1, #2]
			regs: map[int]uint32{1: D}, mem: map[uint32]uint32{D: 0x80ff7f01},
			want: map[int]uint32{0: 0xffff80ff}},
		{name: "ldrh post-indexed minus register", code: []uint32{0xe01100b2, armLoop}, // ldrh r0, [r1], -r2
			regs: map[int]uint32{1: D, 2: 0x10}, mem: map[uint32]uint32{D: 0x1234},
			want: map[int]uint32{0: 0x1234, 1: D - 0x10}},
		{name: "ldr register lsl", code: []uint32{0xe7910102, armLoop}, // ldr r0, [r1, r2, lsl #2]
			regs: map[int]uint32{1: D, 2: 3}, mem: map[uint32]uint32{D + 12: 99},
			want: map[int]uint32{0: 99}},
		{name: "ldr minus register asr", code: []uint32{0xe71100c2, armLoop}, // ldr r0, [r1, -r2, asr #1]
			regs: map[int]uint32{1: D, 2: 0xfffffff8}, mem: map[uint32]uint32{D + 4: 5},
			want: map[int]uint32{0: 5}},
		{name: "ldr register rrx", code: []uint32{0xe7910062, armLoop}, // ldr r0, [r1, r2, rrx]
			regs: map[int]uint32{1: D + 0x80000000, 2: 8}, carry: true, mem: map[uint32]uint32{D + 4: 6},
			want: map[int]uint32{0: 6}},
		{name: "ldr minus register", code: []uint32{0xe7110002, armLoop}, // ldr r0, [r1, -r2]
			regs: map[int]uint32{1: D + 8, 2: 4}, mem: map[uint32]uint32{D + 4: 3},
			want: map[int]uint32{0: 3, 1: D + 8}},
		{name: "ldrb register pre-indexed", code: []uint32{0xe7f10002, armLoop}, // ldrb r0, [r1, r2]!
			regs: map[int]uint32{1: D, 2: 5}, mem: map[uint32]uint32{D + 4: 0xaabbccdd},
			want: map[int]uint32{0: 0xcc, 1: D + 5}},
		{name: "str pre-indexed", code: []uint32{0xe5210004, armLoop}, // str r0, [r1, #-4]!
			regs: map[int]uint32{0: 0xabcd, 1: D + 8},
			want: map[int]uint32{1: D + 4}, wantMem: map[uint32]uint32{D + 4: 0xabcd}},
		{name: "str register lsr #32 writeback", code: []uint32{0xe7210022, armLoop}, // str r0, [r1, -r2, lsr #32]!
			regs: map[int]uint32{0: 0x77, 1: D, 2: 0xffffffff},
			want: map[int]uint32{1: D}, wantMem: map[uint32]uint32{D: 0x77}},
		{name: "strb post-indexed", code: []uint32{0xe4c10001, armLoop}, // strb r0, [r1], #1
			regs: map[int]uint32{0: 0x1234, 1: D + 1}, mem: map[uint32]uint32{D: 0xffffffff},
			want: map[int]uint32{1: D + 2}, wantMem: map[uint32]uint32{D: 0xffff34ff}},
		{name: "strh post-indexed", code: []uint32{0xe0c100b2, armLoop}, // strh r0, [r1], #2
			regs: map[int]uint32{0: 0x12345678, 1: D + 2},
			want: map[int]uint32{1: D + 4}, wantMem: map[uint32]uint32{D: 0x56780000}},
		{name: "str pc stores pc+8", code: []uint32{0xe1a00000, 0xe581f000, armLoop}, // nop; str pc, [r1]
			n: 2, regs: map[int]uint32{1: D}, wantMem: map[uint32]uint32{D: A + 12}},
		{name: "ldr literal", code: []uint32{0xe59f0000, armLoop, 0xdeadbeef}, // ldr r0, [pc]
			want: map[int]uint32{0: 0xdeadbeef}},
		{name: "ldrh literal negative", code: []uint32{0xe15f00b4, armLoop}, // ldrh r0, [pc, #-4]
			want: map[int]uint32{0: armLoop & 0xffff}},
		{name: "ldrt post-indexed", code: []uint32{0xe4b10004, armLoop}, // ldrt r0, [r1], #4
			regs: map[int]uint32{1: D}, mem: map[uint32]uint32{D: 42},
			want: map[int]uint32{0: 42, 1: D + 4}},
		{name: "strbt register post-indexed", code: []uint32{0xe6610082, armLoop}, // strbt r0, [r1], -r2, lsl #1
			regs: map[int]uint32{0: 0x5a, 1: D, 2: 2},
			want: map[int]uint32{1: D - 4}, wantMem: map[uint32]uint32{D: 0x5a}},
		{name: "ldrsht", code: []uint32{0xe07100f2, armLoop}, // ldrsht r0, [r1], #-2
			regs: map[int]uint32{1: D}, mem: map[uint32]uint32{D: 0xfffe},
			want: map[int]uint32{0: 0xfffffffe, 1: D - 2}},
		{name: "conditional load not taken", code: []uint32{0x05910004, armLoop}, // ldreq r0, [r1, #4]
			regs: map[int]uint32{0: 1, 1: 0}, // an address that would abort
			want: map[int]uint32{0: 1, 15: A + 4}},
		{name: "ldr unaligned, SCTLR.A=0", code: []uint32{0xe5910001, armLoop}, // ldr r0, [r1, #1]
			regs: map[int]uint32{1: D}, mem: map[uint32]uint32{D: 0x44332211, D + 4: 0x88776655},
			want: map[int]uint32{0: 0x55443322}},
		{name: "ldr unaligned across a page", code: []uint32{0xe5910001, armLoop}, // ldr r0, [r1, #1]
			regs: map[int]uint32{1: D + 0xffc}, mem: map[uint32]uint32{D + 0xffc: 0x44332211, D + 0x1000: 0x88776655},
			want: map[int]uint32{0: 0x55443322}},
		{name: "ldr unaligned, SCTLR.A=1 faults", code: []uint32{0xe5910001, armLoop}, // ldr r0, [r1, #1]
			regs: map[int]uint32{0: 5, 1: D}, setup: func(c *CPU) { c.mem.sys.sctlr |= sctlrA },
			want: map[int]uint32{0: 5}, check: wantAbort(A, fsAlignment, D+1)},
		{name: "ldr from unmapped memory aborts", code: []uint32{0xe5b10004, armLoop}, // ldr r0, [r1, #4]!
			regs: map[int]uint32{0: 5, 1: 0x10000000},
			check: func(t *testing.T, c *CPU) {
				wantAbort(A, fsExtAbort, 0x10000004)(t, c)
				if c.R[0] != 5 || *c.bankedReg(ModeSVC, 1) != 0x10000000 {
					t.Errorf("registers changed by an aborted load: r0=%#x r1=%#x", c.R[0], c.R[1])
				}
			}},
		{name: "big-endian ldr and ldrh", code: []uint32{0xe5910000, 0xe1d120b2, armLoop}, // ldr r0, [r1]; ldrh r2, [r1, #2]
			n: 2, regs: map[int]uint32{1: D}, mem: map[uint32]uint32{D: 0x44332211},
			setup: func(c *CPU) { c.setE(true) },
			want:  map[int]uint32{0: 0x11223344, 2: 0x3344}},
		{name: "big-endian str", code: []uint32{0xe5810000, armLoop}, // str r0, [r1]
			regs: map[int]uint32{0: 0x11223344, 1: D}, setup: func(c *CPU) { c.setE(true) },
			wantMem: map[uint32]uint32{D: 0x44332211}},
	})
}

func TestMemA32LoadPC(t *testing.T) {
	runMemCases(t, []memCase{
		{name: "ldr pc interworks to Thumb", code: []uint32{0xe49df004}, // ldr pc, [sp], #4
			regs: map[int]uint32{13: D}, mem: map[uint32]uint32{D: A + 0x101},
			want:  map[int]uint32{13: D + 4, 15: A + 0x100},
			check: wantMode(ModeSVC, true)},
		{name: "pop {r4, pc}", code: []uint32{0xe8bd8010}, // pop {r4, pc}
			regs: map[int]uint32{13: D}, mem: map[uint32]uint32{D: 4, D + 4: A + 0x200},
			want:  map[int]uint32{4: 4, 13: D + 8, 15: A + 0x200},
			check: wantMode(ModeSVC, false)},
		{name: "ldm with pc, slow path", code: []uint32{0xe8b18005}, // ldm r1!, {r0, r2, pc}
			regs: map[int]uint32{1: D + 0xff8}, // crosses into the next page
			mem:  map[uint32]uint32{D + 0xff8: 1, D + 0xffc: 2, D + 0x1000: A + 0x81},
			want: map[int]uint32{0: 1, 2: 2, 1: D + 0x1004, 15: A + 0x80}, check: wantMode(ModeSVC, true)},
	})
}

func TestMemA32Dual(t *testing.T) {
	runMemCases(t, []memCase{
		{name: "ldrd pre-indexed", code: []uint32{0xe16420d8, armLoop}, // ldrd r2, r3, [r4, #-8]!
			regs: map[int]uint32{4: D + 8}, mem: map[uint32]uint32{D: 1, D + 4: 2},
			want: map[int]uint32{2: 1, 3: 2, 4: D}},
		{name: "strd offset", code: []uint32{0xe1c120f8, armLoop}, // strd r2, r3, [r1, #8]
			regs: map[int]uint32{1: D, 2: 0xa, 3: 0xb},
			want: map[int]uint32{1: D}, wantMem: map[uint32]uint32{D + 8: 0xa, D + 12: 0xb}},
		{name: "ldrd register post-indexed", code: []uint32{0xe08120d4, armLoop}, // ldrd r2, r3, [r1], r4
			regs: map[int]uint32{1: D, 4: 0x20}, mem: map[uint32]uint32{D: 5, D + 4: 6},
			want: map[int]uint32{2: 5, 3: 6, 1: D + 0x20}},
		{name: "ldrd word-aligned", code: []uint32{0xe1c120d0, armLoop}, // ldrd r2, r3, [r1]
			regs: map[int]uint32{1: D + 4}, mem: map[uint32]uint32{D + 4: 5, D + 8: 6},
			want: map[int]uint32{2: 5, 3: 6}},
		{name: "ldrd misaligned faults", code: []uint32{0xe1c120d0, armLoop}, // ldrd r2, r3, [r1]
			regs: map[int]uint32{1: D + 2, 2: 9}, want: map[int]uint32{2: 9},
			check: wantAbort(A, fsAlignment, D+2)},
		{name: "ldrd odd Rt is UNDEFINED", code: []uint32{0xe1c410d0, armLoop}, // ldrd r1, [r4]
			regs: map[int]uint32{4: D}, check: wantUndef(A)},
		{name: "ldrd second word aborts", code: []uint32{0xe1c120d0, armLoop}, // ldrd r2, r3, [r1]
			regs: map[int]uint32{1: A + 0xffffc, 2: 9}, want: map[int]uint32{2: 9},
			check: wantAbort(A, fsExtAbort, A+0x100000)},
	})
}

func TestMemA32Multiple(t *testing.T) {
	runMemCases(t, []memCase{
		{name: "ldmia writeback", code: []uint32{0xe8b1002c, armLoop}, // ldm r1!, {r2, r3, r5}
			regs: map[int]uint32{1: D}, mem: map[uint32]uint32{D: 1, D + 4: 2, D + 8: 3},
			want: map[int]uint32{1: D + 12, 2: 1, 3: 2, 5: 3}},
		{name: "ldmib", code: []uint32{0xe991000c, armLoop}, // ldmib r1, {r2, r3}
			regs: map[int]uint32{1: D}, mem: map[uint32]uint32{D: 1, D + 4: 2, D + 8: 3},
			want: map[int]uint32{1: D, 2: 2, 3: 3}},
		{name: "ldmda", code: []uint32{0xe811000c, armLoop}, // ldmda r1, {r2, r3}
			regs: map[int]uint32{1: D + 8}, mem: map[uint32]uint32{D: 1, D + 4: 2, D + 8: 3},
			want: map[int]uint32{2: 2, 3: 3}},
		{name: "ldmdb", code: []uint32{0xe911000c, armLoop}, // ldmdb r1, {r2, r3}
			regs: map[int]uint32{1: D + 8}, mem: map[uint32]uint32{D: 1, D + 4: 2, D + 8: 3},
			want: map[int]uint32{2: 1, 3: 2}},
		{name: "push", code: []uint32{0xe92d4003, armLoop}, // push {r0, r1, lr}
			regs: map[int]uint32{0: 10, 1: 11, 14: 14, 13: D + 12},
			want: map[int]uint32{13: D}, wantMem: map[uint32]uint32{D: 10, D + 4: 11, D + 8: 14}},
		{name: "stm with pc stores pc+8", code: []uint32{0xe8818001, armLoop}, // stm r1, {r0, pc}
			regs: map[int]uint32{0: 3, 1: D}, wantMem: map[uint32]uint32{D: 3, D + 4: A + 8}},
		{name: "stmia writeback with Rn in list stores the old Rn", code: []uint32{0xe8a10006, armLoop}, // stmia r1!, {r1, r2}
			regs: map[int]uint32{1: D, 2: 2},
			want: map[int]uint32{1: D + 8}, wantMem: map[uint32]uint32{D: D, D + 4: 2}},
		{name: "ldm Rn in list without writeback", code: []uint32{0xe8910003, armLoop}, // ldm r1, {r0, r1}
			regs: map[int]uint32{1: D}, mem: map[uint32]uint32{D: 5, D + 4: 6},
			want: map[int]uint32{0: 5, 1: 6}},
		{name: "ldm writeback with Rn in list is UNDEFINED", code: []uint32{0xe8b10003, armLoop}, // ldm r1!, {r0, r1}
			regs: map[int]uint32{1: D}, check: wantUndef(A)},
		{name: "ldm empty list is UNDEFINED", code: []uint32{0xe8910000, armLoop},
			regs: map[int]uint32{1: D}, check: wantUndef(A)},
		{name: "ldm aborting in the second page changes nothing", code: []uint32{0xe8b1003c, armLoop}, // ldm r1!, {r2-r5}
			regs: map[int]uint32{1: A + 0xffff8, 2: 2, 3: 3},
			check: func(t *testing.T, c *CPU) {
				wantAbort(A, fsExtAbort, A+0x100000)(t, c)
				got := []uint32{*c.bankedReg(ModeSVC, 1), c.R[2], c.R[3]}
				if d := cmp.Diff([]uint32{A + 0xffff8, 2, 3}, got); d != "" {
					t.Errorf("r1-r3 (-want +got):\n%s", d)
				}
			}},
		{name: "stm aborting keeps the base", code: []uint32{0xe92d4003, armLoop}, // push {r0, r1, lr}
			regs: map[int]uint32{13: A + 0x100008},
			check: func(t *testing.T, c *CPU) {
				wantAbort(A, fsExtAbort|fsWnR, A+0x100000)(t, c)
				if got := *c.bankedReg(ModeSVC, 13); got != A+0x100008 {
					t.Errorf("sp_svc = %#x, want unchanged", got)
				}
			}},
		{name: "stm to a code page invalidates its translation",
			// stm r1, {r0}; b .+4; mov r2, #1: the store turns the mov,
			// in a later block, into "mov r2, #2".
			code: []uint32{0xe8810001, 0xeaffffff, 0xe3a02001, armLoop}, n: 3,
			regs: map[int]uint32{0: 0xe3a02002, 1: A + 8},
			want: map[int]uint32{2: 2}},
	})
}

func TestMemA32UserAndExceptionReturn(t *testing.T) {
	runMemCases(t, []memCase{
		{name: "ldm exception return", code: []uint32{0xe8fd8001}, // ldm sp!, {r0, pc}^
			regs: map[int]uint32{13: D}, mem: map[uint32]uint32{D: 7, D + 4: A + 0x41},
			setup: func(c *CPU) { c.setSPSR(ModeUSR | psrT | psrC) },
			check: func(t *testing.T, c *CPU) {
				wantMode(ModeUSR, true)(t, c)
				got := []uint32{c.R[0], c.R[15], *c.bankedReg(ModeSVC, 13), bool2u(c.C)}
				if d := cmp.Diff([]uint32{7, A + 0x40, D + 8, 1}, got); d != "" {
					t.Errorf("[r0 pc sp_svc C] (-want +got):\n%s", d)
				}
			}},
		{name: "ldm user registers", code: []uint32{0xe8d16000, armLoop}, // ldm r1, {sp, lr}^
			regs: map[int]uint32{1: D, 13: 0x13, 14: 0x14}, mem: map[uint32]uint32{D: 0xaa, D + 4: 0xbb},
			want: map[int]uint32{13: 0x13, 14: 0x14},
			check: func(t *testing.T, c *CPU) {
				got := []uint32{*c.bankedReg(ModeUSR, 13), *c.bankedReg(ModeUSR, 14)}
				if d := cmp.Diff([]uint32{0xaa, 0xbb}, got); d != "" {
					t.Errorf("sp_usr, lr_usr (-want +got):\n%s", d)
				}
			}},
		{name: "stm user registers", code: []uint32{0xe8c16000, armLoop}, // stmia r1, {sp, lr}^
			regs: map[int]uint32{1: D},
			setup: func(c *CPU) {
				*c.bankedReg(ModeUSR, 13) = 0x1313
				*c.bankedReg(ModeUSR, 14) = 0x1414
			},
			wantMem: map[uint32]uint32{D: 0x1313, D + 4: 0x1414}},
		{name: "ldm user registers from FIQ mode", code: []uint32{0xe8d11f00, armLoop}, // ldm r1, {r8-r12}^
			regs:  map[int]uint32{1: D, 8: 8},
			mem:   map[uint32]uint32{D: 0x80, D + 16: 0xc0},
			setup: func(c *CPU) { c.switchMode(ModeFIQ); c.R[8] = 0xf8 },
			check: func(t *testing.T, c *CPU) {
				got := []uint32{c.R[8], *c.bankedReg(ModeUSR, 8), *c.bankedReg(ModeUSR, 12)}
				if d := cmp.Diff([]uint32{0xf8, 0x80, 0xc0}, got); d != "" {
					t.Errorf("r8_fiq r8_usr r12_usr (-want +got):\n%s", d)
				}
			}},
		{name: "ldm user registers in User mode is UNDEFINED", code: []uint32{0xe8d16000, armLoop},
			regs: map[int]uint32{1: D}, setup: func(c *CPU) { c.switchMode(ModeUSR) },
			check: wantUndef(A)},
		{name: "ldm user registers with writeback is UNDEFINED", code: []uint32{0xe8f16000, armLoop},
			regs: map[int]uint32{1: D}, check: wantUndef(A)},
	})
}

func TestMemA32Exclusive(t *testing.T) {
	const (
		ldrex  = 0xe1910f9f // ldrex r0, [r1]
		strex  = 0xe1812f93 // strex r2, r3, [r1]
		clrex  = 0xf57ff01f
		ldrexb = 0xe1d10f9f // ldrexb r0, [r1]
		strexh = 0xe1e12f93 // strexh r2, r3, [r1]
		ldrexd = 0xe1b14f9f // ldrexd r4, r5, [r1]
		strexd = 0xe1a12f94 // strexd r2, r4, r5, [r1]
	)
	runMemCases(t, []memCase{
		{name: "ldrex strex succeeds", code: []uint32{ldrex, strex, armLoop}, n: 2,
			regs: map[int]uint32{1: D, 3: 0x33}, mem: map[uint32]uint32{D: 0x11},
			want: map[int]uint32{0: 0x11, 2: 0}, wantMem: map[uint32]uint32{D: 0x33}},
		{name: "second strex fails", code: []uint32{ldrex, strex, 0xe1814f95, armLoop}, n: 3, // strex r4, r5, [r1]
			regs: map[int]uint32{1: D, 3: 0x33, 5: 0x55},
			want: map[int]uint32{2: 0, 4: 1}, wantMem: map[uint32]uint32{D: 0x33}},
		{name: "strex without ldrex fails", code: []uint32{strex, armLoop},
			regs: map[int]uint32{1: D, 3: 0x33}, mem: map[uint32]uint32{D: 0x11},
			want: map[int]uint32{2: 1}, wantMem: map[uint32]uint32{D: 0x11}},
		{name: "clrex makes strex fail", code: []uint32{ldrex, clrex, strex, armLoop}, n: 3,
			regs: map[int]uint32{1: D, 3: 0x33}, mem: map[uint32]uint32{D: 0x11},
			want: map[int]uint32{2: 1}, wantMem: map[uint32]uint32{D: 0x11}},
		{name: "strex to another address fails", code: []uint32{ldrex, 0xe2811004, strex, armLoop}, n: 3, // add r1, r1, #4
			regs: map[int]uint32{1: D, 3: 0x33},
			want: map[int]uint32{2: 1}, wantMem: map[uint32]uint32{D + 4: 0}},
		// QEMU's STREX is a compare-and-swap against the value LDREX
		// loaded: a size mismatch succeeds when the value still matches,
		// and fails when it does not.
		{name: "size mismatch, same value, succeeds", code: []uint32{ldrexb, strexh, armLoop}, n: 2,
			regs: map[int]uint32{1: D, 3: 0x33}, mem: map[uint32]uint32{D: 0x11},
			want: map[int]uint32{0: 0x11, 2: 0}, wantMem: map[uint32]uint32{D: 0x33}},
		{name: "size mismatch, different value, fails", code: []uint32{ldrexb, strexh, armLoop}, n: 2,
			regs: map[int]uint32{1: D, 3: 0x33}, mem: map[uint32]uint32{D: 0x2211},
			want: map[int]uint32{0: 0x11, 2: 1}, wantMem: map[uint32]uint32{D: 0x2211}},
		{name: "ldrexh strexh", code: []uint32{0xe1f10f9f, strexh, armLoop}, n: 2,
			regs: map[int]uint32{1: D + 2, 3: 0x12345}, mem: map[uint32]uint32{D: 0xaaaabbbb},
			want: map[int]uint32{0: 0xaaaa, 2: 0}, wantMem: map[uint32]uint32{D: 0x2345bbbb}},
		{name: "ldrexd strexd", code: []uint32{ldrexd, strexd, armLoop}, n: 2,
			regs: map[int]uint32{1: D + 8}, mem: map[uint32]uint32{D + 8: 1, D + 12: 2},
			setup: func(c *CPU) {}, want: map[int]uint32{4: 1, 5: 2, 2: 0},
			wantMem: map[uint32]uint32{D + 8: 1, D + 12: 2}},
		{name: "ldrexd not doubleword-aligned faults", code: []uint32{ldrexd, armLoop},
			regs: map[int]uint32{1: D + 4}, check: wantAbort(A, fsAlignment, D+4)},
		{name: "ldrex misaligned faults", code: []uint32{ldrex, armLoop},
			regs: map[int]uint32{1: D + 2}, check: wantAbort(A, fsAlignment, D+2)},
		{name: "strex misaligned faults", code: []uint32{strex, armLoop},
			regs: map[int]uint32{1: D + 1}, check: wantAbort(A, fsAlignment|fsWnR, D+1)},
		{name: "strex Rd == Rt is UNDEFINED", code: []uint32{0xe1812f92, armLoop}, // strex r2, r2, [r1]
			regs: map[int]uint32{1: D}, check: wantUndef(A)},
		{name: "exception entry clears the monitor", code: []uint32{ldrex, 0xef000000}, n: 2, // svc #0
			regs: map[int]uint32{1: D},
			check: func(t *testing.T, c *CPU) {
				if c.exclValid {
					t.Error("monitor still open after SVC")
				}
			}},
		{name: "swp", code: []uint32{0xe1010092, armLoop}, // swp r0, r2, [r1]
			regs: map[int]uint32{1: D, 2: 0x22}, mem: map[uint32]uint32{D: 0x11},
			want: map[int]uint32{0: 0x11}, wantMem: map[uint32]uint32{D: 0x22}},
		{name: "swpb", code: []uint32{0xe1410092, armLoop}, // swpb r0, r2, [r1]
			regs: map[int]uint32{1: D + 1, 2: 0x122}, mem: map[uint32]uint32{D: 0x4433},
			want: map[int]uint32{0: 0x44}, wantMem: map[uint32]uint32{D: 0x2233}},
	})
}

func TestMemA32Hints(t *testing.T) {
	runMemCases(t, []memCase{
		{name: "preloads never fault", n: 4,
			code: []uint32{0xf5d0f000, 0xf55ff004, 0xf790f001, 0xf4d0f008, armLoop}, // pld [r0]; pld [pc, #-4]; pldw [r0, r1]; pli [r0, #8]
			regs: map[int]uint32{0: 0x10000000, 1: 4},
			want: map[int]uint32{15: A + 16}, check: wantMode(ModeSVC, false)},
		{name: "unallocated hint is a NOP", code: []uint32{0xf4900000, armLoop},
			want: map[int]uint32{15: A + 4}},
	})
}

func TestMemT16(t *testing.T) {
	runMemCases(t, []memCase{
		{name: "ldr imm", thumb: true, code: []uint32{0x6848, t16Loop}, // ldr r0, [r1, #4]
			regs: map[int]uint32{1: D}, mem: map[uint32]uint32{D + 4: 9},
			want: map[int]uint32{0: 9, 15: A + 2}},
		{name: "ldr/ldrsb/ldrsh register", thumb: true, code: []uint32{0x5888, 0x568b, 0x5e8c, t16Loop}, n: 3,
			// ldr r0, [r1, r2]; ldrsb r3, [r1, r2]; ldrsh r4, [r1, r2]
			regs: map[int]uint32{1: D, 2: 4}, mem: map[uint32]uint32{D + 4: 0x8180},
			want: map[int]uint32{0: 0x8180, 3: 0xffffff80, 4: 0xffff8180}},
		{name: "str/strb/strh imm", thumb: true, code: []uint32{0x6088, 0x70c8, 0x80c8, t16Loop}, n: 3,
			// str r0, [r1, #8]; strb r0, [r1, #3]; strh r0, [r1, #6]
			regs:    map[int]uint32{0: 0x11223344, 1: D},
			wantMem: map[uint32]uint32{D: 0x44000000, D + 4: 0x33440000, D + 8: 0x11223344}},
		{name: "ldr sp-relative", thumb: true, code: []uint32{0x9802, t16Loop}, // ldr r0, [sp, #8]
			regs: map[int]uint32{13: D}, mem: map[uint32]uint32{D + 8: 0x88},
			want: map[int]uint32{0: 0x88}},
		{name: "ldr literal aligns the pc", thumb: true, code: []uint32{0xbf00, 0x4801, t16Loop, 0, 0x5678, 0x1234}, n: 2,
			// nop; ldr r0, [pc, #4]: Align(A+2+4, 4) + 4 = A+8
			want: map[int]uint32{0: 0x12345678}},
		{name: "push and pop", thumb: true, code: []uint32{0xb510, 0xbd10}, n: 2, // push {r4, lr}; pop {r4, pc}
			regs: map[int]uint32{4: 4, 14: A + 0x41, 13: D + 8},
			want: map[int]uint32{4: 4, 13: D + 8, 15: A + 0x40}, wantMem: map[uint32]uint32{D: 4, D + 4: A + 0x41},
			check: wantMode(ModeSVC, true)},
		{name: "pop to ARM", thumb: true, code: []uint32{0xbd10}, // pop {r4, pc}
			regs: map[int]uint32{13: D}, mem: map[uint32]uint32{D: 1, D + 4: A + 0x80},
			want: map[int]uint32{4: 1, 15: A + 0x80}, check: wantMode(ModeSVC, false)},
		{name: "ldmia writeback", thumb: true, code: []uint32{0xc905, t16Loop}, // ldmia r1!, {r0, r2}
			regs: map[int]uint32{1: D}, mem: map[uint32]uint32{D: 1, D + 4: 2},
			want: map[int]uint32{0: 1, 2: 2, 1: D + 8}},
		{name: "ldmia Rn in list: no writeback", thumb: true, code: []uint32{0xc903, t16Loop}, // ldmia r1, {r0, r1}
			regs: map[int]uint32{1: D}, mem: map[uint32]uint32{D: 1, D + 4: 2},
			want: map[int]uint32{0: 1, 1: 2}},
		{name: "stmia Rn in list stores the old Rn", thumb: true, code: []uint32{0xc106, t16Loop}, // stmia r1!, {r1, r2}
			regs: map[int]uint32{1: D, 2: 2},
			want: map[int]uint32{1: D + 8}, wantMem: map[uint32]uint32{D: D, D + 4: 2}},
		{name: "conditional load in IT block", thumb: true, code: []uint32{0xbf0c, 0x6848, 0x6888, t16Loop}, n: 3,
			// ite eq; ldreq r0, [r1, #4]; ldrne r0, [r1, #8]
			regs: map[int]uint32{1: D}, mem: map[uint32]uint32{D + 4: 4, D + 8: 8},
			setup: func(c *CPU) { c.Z = false },
			want:  map[int]uint32{0: 8}},
	})
}

func TestMemT32(t *testing.T) {
	runMemCases(t, []memCase{
		{name: "ldr.w imm12", thumb: true, code: []uint32{0xf8d1, 0x0004, t16Loop}, // ldr.w r0, [r1, #4]
			regs: map[int]uint32{1: D}, mem: map[uint32]uint32{D + 4: 4},
			want: map[int]uint32{0: 4, 15: A + 4}},
		{name: "ldr imm8 forms", thumb: true, n: 4,
			code: []uint32{0xf851, 0x0c04, 0xf851, 0x2b04, 0xf853, 0x4f04, 0xf851, 0x5022, t16Loop},
			// ldr r0, [r1, #-4]; ldr r2, [r1], #4; ldr r4, [r3, #4]!; ldr.w r5, [r1, r2, lsl #2]
			regs: map[int]uint32{1: D + 4, 3: D},
			mem:  map[uint32]uint32{D: 10, D + 4: 1, D + 8: 20, D + 12: 30},
			want: map[int]uint32{0: 10, 2: 1, 1: D + 8, 4: 1, 3: D + 4, 5: 30}},
		{name: "ldrsh.w and ldrbt", thumb: true, n: 2, code: []uint32{0xf9b1, 0x0002, 0xf811, 0x2e03, t16Loop},
			// ldrsh.w r0, [r1, #2]; ldrbt r2, [r1, #3]
			regs: map[int]uint32{1: D}, mem: map[uint32]uint32{D: 0x9abcdef0},
			want: map[int]uint32{0: 0xffff9abc, 2: 0x9a}},
		{name: "strh.w pre-indexed", thumb: true, code: []uint32{0xf821, 0x0d02, t16Loop}, // strh.w r0, [r1, #-2]!
			regs: map[int]uint32{0: 0xbeef, 1: D + 4},
			want: map[int]uint32{1: D + 2}, wantMem: map[uint32]uint32{D: 0xbeef0000}},
		{name: "strd ldrd", thumb: true, n: 2, code: []uint32{0xe96d, 0x2302, 0xe8f1, 0x4502, t16Loop},
			// strd r2, r3, [sp, #-8]!; ldrd r4, r5, [r1], #8
			regs: map[int]uint32{2: 2, 3: 3, 13: D + 8, 1: D},
			want: map[int]uint32{13: D, 4: 2, 5: 3, 1: D + 8}},
		{name: "ldrd literal", thumb: true, code: []uint32{0xe9df, 0x2302, t16Loop, 0, 0, 0, 0x11, 0, 0x22, 0},
			// ldrd r2, r3, [pc, #8]: Align(A+4, 4) + 8
			want: map[int]uint32{2: 0x11, 3: 0x22}},
		{name: "ldr.w literal", thumb: true, code: []uint32{0xbf00, 0xf8df, 0x0008, t16Loop, 0, 0, 0x4321, 0x8765}, n: 2,
			// nop; ldr.w r0, [pc, #8] at A+2: Align(A+6, 4) + 8 = A+12
			want: map[int]uint32{0: 0x87654321}},
		{name: "ldrsb.w literal negative", thumb: true, code: []uint32{0xf91f, 0x0003, t16Loop},
			// ldrsb.w r0, [pc, #-3]: A+4-3 = A+1, the high byte of 0xf91f
			want: map[int]uint32{0: 0xfffffff9}},
		{name: "ldrex strex", thumb: true, n: 2, code: []uint32{0xe851, 0x0f01, 0xe841, 0x3201, t16Loop},
			// ldrex r0, [r1, #4]; strex r2, r3, [r1, #4]
			regs: map[int]uint32{1: D, 3: 0x33}, mem: map[uint32]uint32{D + 4: 0x44},
			want: map[int]uint32{0: 0x44, 2: 0}, wantMem: map[uint32]uint32{D + 4: 0x33}},
		{name: "ldrexd strexd", thumb: true, n: 2, code: []uint32{0xe8d1, 0x457f, 0xe8c1, 0x4572, t16Loop},
			regs: map[int]uint32{1: D}, mem: map[uint32]uint32{D: 7, D + 4: 8},
			want: map[int]uint32{4: 7, 5: 8, 2: 0}},
		{name: "ldrexb strexh mismatch", thumb: true, n: 2, code: []uint32{0xe8d1, 0x0f4f, 0xe8c1, 0x3f52, t16Loop},
			regs: map[int]uint32{1: D, 3: 5}, mem: map[uint32]uint32{D: 0x1ff},
			want: map[int]uint32{0: 0xff, 2: 1}},
		{name: "tbb", thumb: true, code: []uint32{0xe8df, 0xf001, 0x0102, 0x0403}, // tbb [pc, r1]
			regs: map[int]uint32{1: 2}, want: map[int]uint32{15: A + 4 + 2*3}},
		{name: "tbh", thumb: true, code: []uint32{0xe8df, 0xf011, 0x0001, 0x0010}, // tbh [pc, r1, lsl #1]
			regs: map[int]uint32{1: 1}, want: map[int]uint32{15: A + 4 + 2*16}},
		{name: "ldr.w pc interworks", thumb: true, code: []uint32{0xf8d1, 0xf000}, // ldr.w pc, [r1]
			regs: map[int]uint32{1: D}, mem: map[uint32]uint32{D: A + 0x100},
			want: map[int]uint32{15: A + 0x100}, check: wantMode(ModeSVC, false)},
		{name: "ldmia.w stmdb pop.w", thumb: true, n: 3,
			code: []uint32{0xe8b1, 0x000c, 0xe92d, 0x4070, 0xe8bd, 0x8030},
			// ldmia.w r1!, {r2, r3}; stmdb sp!, {r4, r5, r6, lr}; ldmia.w sp!, {r4, r5, pc}
			regs:    map[int]uint32{1: D, 4: 4, 5: 5, 6: A + 0x81, 14: 0x14, 13: D + 0x20},
			mem:     map[uint32]uint32{D: 1, D + 4: 2},
			want:    map[int]uint32{1: D + 8, 2: 1, 3: 2, 4: 4, 5: 5, 13: D + 0x1c, 15: A + 0x80},
			wantMem: map[uint32]uint32{D + 0x10: 4, D + 0x14: 5, D + 0x18: A + 0x81, D + 0x1c: 0x14},
			check:   wantMode(ModeSVC, true)},
		{name: "preloads never fault", thumb: true, n: 3,
			code: []uint32{0xf890, 0xf000, 0xf990, 0xf004, 0xf830, 0xf011, t16Loop},
			// pld [r0]; pli [r0, #4]; pldw [r0, r1, lsl #1]
			regs: map[int]uint32{0: 0x10000000},
			want: map[int]uint32{15: A + 12}, check: wantMode(ModeSVC, true)},
		{name: "ldm writeback with Rn in list is UNDEFINED", thumb: true, code: []uint32{0xe8b1, 0x0006},
			regs: map[int]uint32{1: D}, check: wantUndef(A)},
		{name: "ldm of one register is UNDEFINED", thumb: true, code: []uint32{0xe891, 0x0004},
			regs: map[int]uint32{1: D}, check: wantUndef(A)},
		{name: "store with Rn = pc is UNDEFINED", thumb: true, code: []uint32{0xf8cf, 0x0004},
			check: wantUndef(A)},
		{name: "imm8 form with P=0 W=0 is UNDEFINED", thumb: true, code: []uint32{0xf851, 0x0804},
			regs: map[int]uint32{1: D}, check: wantUndef(A)},
	})
}

// BenchmarkMemLoop runs a copy loop of the load/store forms compilers emit
// most (post-indexed LDR/STR, LDM/STM with writeback, immediate and
// register offsets) and reports the time per guest instruction.
func BenchmarkMemLoop(b *testing.B) {
	const iters = 1000
	code := []uint32{
		0xe4902004, // ldr r2, [r0], #4
		0xe4812004, // str r2, [r1], #4
		0xe8b000f0, // ldm r0!, {r4, r5, r6, r7}
		0xe8a100f0, // stmia r1!, {r4, r5, r6, r7}
		0xe5d02001, // ldrb r2, [r0, #1]
		0xe1c120b2, // strh r2, [r1, #2]
		0xe7902103, // ldr r2, [r0, r3, lsl #2]
		0xe2588001, // subs r8, r8, #1
		0x1afffff6, // bne loop
		armLoop,
	}
	c := newTestCPU(b, false, code...)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.R[0], c.R[1], c.R[3], c.R[8] = D, D+0x40000, 1, iters
		c.R[15] = A
		runN(b, c, iters*9)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*iters*9), "ns/insn")
}
