package arm

import (
	"encoding/binary"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMMPU runs mProg_mpu: regions programmed through RBAR/RASR and their
// aliases, then accesses that the MPU allows or refuses. Each refusal is
// a MemManage fault whose handler logs CFSR and MMFAR to SRAM.
func TestMMPU(t *testing.T) {
	c := newMTest(t, MConfig{Model: CortexM3}, mProg_mpu)
	if why := runM(t, c, nil, 2000); why != StopRequest {
		t.Fatalf("stop = %v (r0=%#x pc=%#x)", why, c.R[0], c.R[15])
	}
	if diff := cmp.Diff([]uint32{0x800, 3, 0x20004003, 0x12345678}, regs(c, 7, 6, 5, 4)); diff != "" {
		t.Errorf("MPU_TYPE, MPU_RNR, MPU_RBAR, word written with FAULTMASK set (-want +got):\n%s", diff)
	}
	const logBase = 0x20000108
	n := (c.R[8] - logBase) / 8
	got := make([][2]uint32, 0, n)
	buf := make([]byte, 8)
	for i := range n {
		if err := c.ReadMem(logBase+8*i, buf); err != nil {
			t.Fatal(err)
		}
		got = append(got, [2]uint32{binary.LittleEndian.Uint32(buf), binary.LittleEndian.Uint32(buf[4:])})
	}
	dacc := uint32(cfsrDACCVIOL | cfsrMMARVALID)
	want := [][2]uint32{
		{dacc, 0x1000},             // write to the read-only flash region
		{dacc, 0x20004000},         // write to the read-only region 3
		{cfsrIACCVIOL, 0x20004000}, // execute from Execute Never SRAM (MMFAR not written)
		{cfsrIACCVIOL, 0x20004000}, // fall through into the 32-byte XN region in a code page
		{dacc, 0x20001000},         // unprivileged read of the privileged-only region
		{dacc, 0x30000000},         // unprivileged access to no region
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("MemManage log: CFSR, MMFAR (-want +got):\n%s", diff)
	}
}

// TestMMPUTranslate checks the region decoding directly: priority of the
// highest region, sub-regions, the background region, the default map's
// Execute Never regions, and HFNMIENA.
func TestMMPUTranslate(t *testing.T) {
	c := newMTest(t, MConfig{Model: CortexM4}, mProg_reset)
	p := &c.m.mpu
	set := func(i int, base, rasr uint32) { p.rbar[i], p.rasr[i] = base, rasr }
	rasr := func(ap, size, srd uint32, xn bool) uint32 {
		v := ap<<24 | srd<<8 | (size-1)<<1 | rasrENABLE
		if xn {
			v |= rasrXN
		}
		return v
	}
	set(0, 0x00000000, rasr(6, 20, 0, false))   // 1 MiB RO, executable
	set(1, 0x20000000, rasr(3, 16, 0, true))    // 64 KiB RW, XN
	set(2, 0x20000000, rasr(1, 12, 0x81, true)) // 4 KiB, priv RW, sub-regions 0 and 7 off
	set(5, 0x20008000, rasr(0, 5, 0, false))    // 32 bytes, no access
	set(7, 0x40000000, rasr(3, 12, 0, false))   // a peripheral page, executable
	const r, w, x = accRead, accWrite, accExec
	tests := []struct {
		name string
		ctrl uint32
		va   uint32
		kind accKind
		user bool
		ok   bool
	}{
		{"off: flash write", 0, 0x100, w, true, true},
		{"off: peripheral fetch is XN", 0, 0x40000000, x, false, false},
		{"off: device fetch is XN", 0, 0xa0000000, x, false, false},
		{"off: RAM fetch", 0, 0x60000000, x, false, true},
		{"flash read", 1, 0x100, r, true, true},
		{"flash write", 1, 0x100, w, false, false},
		{"flash fetch", 1, 0x100, x, true, true},
		{"SRAM write user", 1, 0x20004000, w, true, true},
		{"SRAM fetch", 1, 0x20004000, x, false, false},
		{"region 2 user", 1, 0x20000200, r, true, false},
		{"region 2 priv", 1, 0x20000200, w, false, true},
		{"region 2 sub-region 0 off: region 1", 1, 0x20000000, r, true, true},
		{"region 2 sub-region 7 off: region 1", 1, 0x20000e00, w, true, true},
		{"region 5 no access", 1, 0x20008010, r, false, false},
		{"region 5 end", 1, 0x20008020, r, true, true},
		{"region 7 peripheral fetch", 1, 0x40000010, x, false, true},
		{"no region, priv, no PRIVDEFENA", 1, 0x60000000, r, false, false},
		{"background priv", 5, 0x60000000, x, false, true},
		{"background user", 5, 0x60000000, r, true, false},
		{"background peripheral fetch", 5, 0x40001000, x, false, false},
		{"PPB unaffected", 1, 0xe000ed00, w, true, true},
		{"system fetch", 5, 0xe000ed00, x, false, false},
	}
	for _, tt := range tests {
		p.ctrl = tt.ctrl
		p.on = p.applies(0)
		tr := c.mpuTranslate(tt.va, tt.kind, tt.user)
		if ok := tr.fsr == 0; ok != tt.ok {
			t.Errorf("%s: %#x kind %d user %v: allowed = %v, want %v", tt.name, tt.va, tt.kind, tt.user, ok, tt.ok)
		}
	}
	// HFNMIENA: at priority -1 the MPU applies only when it is set.
	for _, ctrl := range []uint32{1, 3} {
		p.ctrl = ctrl
		p.on = p.applies(-1)
		tr := c.mpuTranslate(0x100, w, false)
		if ok, want := tr.fsr == 0, ctrl&mpuHFNMIENA == 0; ok != want {
			t.Errorf("MPU_CTRL %#x at priority -1: flash write allowed = %v, want %v", ctrl, ok, want)
		}
	}
	// Uniformity: a page holding a region smaller than a page is not.
	for _, tt := range []struct {
		page uint32
		want bool
	}{{0x0, true}, {0x20000000, false}, {0x20001000, true}, {0x20008000, false}, {0x40000000, true}} {
		if got := p.uniform(tt.page); got != tt.want {
			t.Errorf("uniform(%#x) = %v, want %v", tt.page, got, tt.want)
		}
	}
}

// TestMStackingFault: a push that the MPU refuses (with the privilege of
// the interrupted code) or that hits nothing is a derived fault
// (B1.5.14): MemManage MSTKERR or BusFault STKERR pends, or HardFault
// (FORCED) when the fault is disabled. By late arrival the higher-
// priority of the exception and the fault (then the lower number) is
// taken on the frame, and the other stays pending.
func TestMStackingFault(t *testing.T) {
	tests := []struct {
		name      string
		mpu       bool
		sp        uint32
		shcsr     uint32
		svcPrio   uint8 // SVCall's priority
		faultPrio uint8 // MemManage's and BusFault's
		basepri   uint8
		cfsr      uint32
		taken     int
		pending   int
		hfsr      uint32
	}{
		{"MPU, MemManage enabled", true, 0x20001000, shcsrMEMFAULTEN, 0x40, 0, 0, cfsrMSTKERR, excMemManage, excSVCall, 0},
		{"MPU, SVCall higher", true, 0x20001000, shcsrMEMFAULTEN, 0, 0x40, 0, cfsrMSTKERR, excSVCall, excMemManage, 0},
		{"MPU, equal priority: lower number", true, 0x20001000, shcsrMEMFAULTEN, 0x20, 0x20, 0, cfsrMSTKERR, excMemManage, excSVCall, 0},
		{"MPU, MemManage disabled", true, 0x20001000, 0, 0, 0, 0, cfsrMSTKERR, excHardFault, excSVCall, hfsrFORCED},
		{"MPU, MemManage masked by BASEPRI", true, 0x20001000, shcsrMEMFAULTEN, 0, 0x40, 0x40, cfsrMSTKERR, excHardFault, excSVCall, hfsrFORCED},
		{"no MPU, read-only region allowed", false, 0x20001000, shcsrMEMFAULTEN, 0, 0, 0, 0, excSVCall, -1, 0},
		{"unmapped stack", false, 0x10001000, shcsrBUSFAULTEN, 0, 0, 0, cfsrSTKERR, excBusFault, excSVCall, 0},
		{"unmapped stack, SVCall higher", false, 0x10001000, shcsrBUSFAULTEN, 0, 0x20, 0, cfsrSTKERR, excSVCall, excBusFault, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newMTest(t, MConfig{Model: CortexM3}, mProg_reset)
			m := c.m
			m.mpu.rbar[0], m.mpu.rasr[0] = 0, 3<<24|31<<1|rasrENABLE          // all: RW
			m.mpu.rbar[1], m.mpu.rasr[1] = 0x20000000, 2<<24|15<<1|rasrENABLE // SRAM: user RO
			if tt.mpu {
				m.mpu.ctrl = mpuENABLE
			}
			m.shcsr = tt.shcsr
			m.exc[excSVCall].prio = tt.svcPrio
			m.exc[excMemManage].prio, m.exc[excBusFault].prio = tt.faultPrio, tt.faultPrio
			m.basepri = tt.basepri
			c.setControl(controlNPRIV)
			c.mUpdate()
			c.R[13] = tt.sp
			c.mEntry(excSVCall, 0x100, 0)
			if m.ipsr != uint32(tt.taken) || !m.exc[tt.taken].active {
				t.Errorf("IPSR = %d, want %d taken", m.ipsr, tt.taken)
			}
			if c.R[13] != tt.sp-0x20 || c.R[14] != 0xfffffff9 {
				t.Errorf("SP %#x, LR %#x; want the one frame at %#x, LR 0xfffffff9", c.R[13], c.R[14], tt.sp-0x20)
			}
			pending := -1
			for _, n := range []int{excHardFault, excMemManage, excBusFault, excSVCall} {
				if m.exc[n].pending {
					pending = n
				}
			}
			if m.cfsr != tt.cfsr || pending != tt.pending || m.hfsr != tt.hfsr {
				t.Errorf("CFSR %#x, pending %d, HFSR %#x; want %#x, %d, %#x", m.cfsr, pending, m.hfsr, tt.cfsr, tt.pending, tt.hfsr)
			}
		})
	}
}

// mProg_mpuswitch, assembled with arm-none-eabi-as -mcpu=cortex-m4 from:
//
//	 .thumb_func
//	 reset:
//		ldr r0, =0xE000ED94	@ MPU_CTRL = ENABLE | PRIVDEFENA
//		movs r1, #5
//		str r1, [r0]
//		ldr r0, =0xE000ED98	@ MPU_RNR
//		mov.w r4, #0x20000000
//		ldr r5, =0x0300001f	@ RW, 64 KiB, enabled
//	 loop:				@ an RTOS context switch: two regions
//		movs r1, #0
//		str r1, [r0]
//		str r4, [r0, #4]
//		str r5, [r0, #8]
//		movs r1, #1
//		str r1, [r0]
//		str r4, [r0, #4]
//		str r5, [r0, #8]
//		ldr r2, [r4]		@ then an access through the TLB
//		b loop
var mProg_mpuswitch = mProg{
	vectors: []uint32{0x20008000, 0x101},
	code: []byte{
		0x8, 0x48, 0x5, 0x21, 0x1, 0x60, 0x8, 0x48, 0x4f, 0xf0, 0x0, 0x54, 0x7, 0x4d, 0x0, 0x21,
		0x1, 0x60, 0x44, 0x60, 0x85, 0x60, 0x1, 0x21, 0x1, 0x60, 0x44, 0x60, 0x85, 0x60, 0x22, 0x68,
		0xf5, 0xe7, 0x0, 0x0, 0x94, 0xed, 0x0, 0xe0, 0x98, 0xed, 0x0, 0xe0, 0x1f, 0x0, 0x0, 0x3,
	},
}

// BenchmarkMPUContextSwitch measures six MPU register writes (the region
// reprogramming of an RTOS context switch) and one access after them;
// each iteration is one pass of mProg_mpuswitch's loop.
func BenchmarkMPUContextSwitch(b *testing.B) {
	c := newMTest(b, MConfig{Model: CortexM4}, mProg_mpuswitch)
	c.Run(7) // the set-up, up to the loop
	b.ResetTimer()
	for range b.N {
		if n, why := c.Run(10); n != 10 || why != StopBudget {
			b.Fatalf("ran %d instructions, stop %v (pc %#x)", n, why, c.R[15])
		}
	}
}
