package arm

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMUnstackingFault: a pop of the exception frame that faults (a bus
// error, or the MPU with the privilege returned to) abandons the return
// (B1.5.8, B1.5.11, B1.5.14): the returning exception is deactivated,
// nothing popped is committed, the SP keeps pointing at the frame, and
// the derived fault (MUNSTKERR or UNSTKERR) is tail-chained with LR = the
// EXC_RETURN that failed, escalating to HardFault (FORCED) when disabled
// or masked. Its handler can repair the SP and return through the frame.
func TestMUnstackingFault(t *testing.T) {
	const frameSP = 0x20004000 // PSP before the SVCall
	tests := []struct {
		name    string
		shcsr   uint32
		mpu     bool // the frame is privileged-only; Thread is unprivileged
		badSP   uint32
		primask bool
		taken   int
		cfsr    uint32
		hfsr    uint32
	}{
		{"bus error, BusFault enabled", shcsrBUSFAULTEN, false, 0x10001000, false, excBusFault, cfsrUNSTKERR, 0},
		{"bus error, BusFault disabled", 0, false, 0x10001000, false, excHardFault, cfsrUNSTKERR, hfsrFORCED},
		{"bus error, PRIMASK set", shcsrBUSFAULTEN, false, 0x10001000, true, excHardFault, cfsrUNSTKERR, hfsrFORCED},
		{"MPU, MemManage enabled", shcsrMEMFAULTEN, true, 0, false, excMemManage, cfsrMUNSTKERR, 0},
		{"MPU, MemManage disabled", 0, true, 0, false, excHardFault, cfsrMUNSTKERR, hfsrFORCED},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newMTest(t, MConfig{Model: CortexM3}, mProg_reset)
			m := c.m
			m.shcsr = tt.shcsr
			m.mpu.rbar[0], m.mpu.rasr[0] = 0, 3<<24|31<<1|rasrENABLE          // all: RW
			m.mpu.rbar[1], m.mpu.rasr[1] = 0x20000000, 1<<24|15<<1|rasrENABLE // SRAM: privileged only
			c.mSetSP(true, frameSP)
			ctl := uint32(controlSPSEL)
			if tt.mpu {
				ctl |= controlNPRIV
			}
			c.setControl(ctl)
			c.mUpdate()
			c.R[0], c.R[1], c.R[2], c.R[3], c.R[12] = 10, 11, 12, 13, 14
			c.mEntry(excSVCall, 0x104, 0)
			c.mBoundary()
			if m.ipsr != excSVCall || c.R[14] != 0xfffffffd {
				t.Fatalf("SVCall entry: IPSR %d, LR %#x", m.ipsr, c.R[14])
			}
			frame := c.PSP()
			if tt.mpu {
				m.mpu.ctrl = mpuENABLE // after the push, which it would refuse
				c.mUpdate()
			}
			if tt.badSP != 0 {
				c.mSetSP(true, tt.badSP)
			}
			c.I = tt.primask
			c.R[0], c.R[1] = 0x55, 0x66
			c.mExceptionReturn(0xfffffffd)
			c.mBoundary()

			wantPSP := frame
			if tt.badSP != 0 {
				wantPSP = tt.badSP
			}
			got := []uint32{m.ipsr, c.R[14], c.PSP(), c.R[0], c.R[1], m.cfsr, m.hfsr}
			want := []uint32{uint32(tt.taken), 0xfffffffd, wantPSP, 0x55, 0x66, tt.cfsr, tt.hfsr}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("IPSR, LR, PSP, R0, R1, CFSR, HFSR (-want +got):\n%s", diff)
			}
			if m.exc[excSVCall].active || !m.exc[tt.taken].active || c.Lockup() {
				t.Errorf("SVCall active %v, fault active %v, lockup %v", m.exc[excSVCall].active, m.exc[tt.taken].active, c.Lockup())
			}

			// The fault handler repairs the stack and returns through the
			// frame: the interrupted Thread code resumes.
			c.mSetSP(true, frame)
			c.SCS().Write(0xd94, 4, 0) // MPU_CTRL: off
			c.I = false
			c.mUpdate()
			c.mExceptionReturn(c.R[14])
			c.mBoundary()
			got = []uint32{m.ipsr, c.R[15], c.PSP(), c.R[0], c.R[1], c.R[2], c.R[3], c.R[12]}
			want = []uint32{0, 0x104, frameSP, 10, 11, 12, 13, 14}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("after the repaired return: IPSR, PC, PSP, R0-R3, R12 (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMUnstackingFaultLockup: a pop that faults on a return from NMI to
// the HardFault handler cannot be taken (the execution priority is -1):
// Lockup (B1.5.15).
func TestMUnstackingFaultLockup(t *testing.T) {
	c := newMTest(t, MConfig{Model: CortexM3}, mProg_reset)
	m := c.m
	m.shcsr = shcsrBUSFAULTEN
	c.mEntry(excHardFault, 0x104, 0)
	c.mBoundary()
	c.mEntry(excNMI, 0x106, 0)
	c.mBoundary()
	if m.ipsr != excNMI || c.R[14] != 0xfffffff1 {
		t.Fatalf("NMI entry: IPSR %d, LR %#x", m.ipsr, c.R[14])
	}
	c.R[13] = 0x10001000 // unmapped
	c.mExceptionReturn(0xfffffff1)
	c.mBoundary()
	if !c.Lockup() || m.cfsr != cfsrUNSTKERR || m.exc[excNMI].active {
		t.Errorf("lockup %v, CFSR %#x, NMI active %v; want lockup, UNSTKERR, NMI inactive", c.Lockup(), m.cfsr, m.exc[excNMI].active)
	}
}
