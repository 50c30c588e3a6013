package arm

import (
	"encoding/binary"
	"io"
	"log/slog"
	"testing"

	"github.com/google/go-cmp/cmp"

	"mimic/devices/bus"
	"mimic/devices/clock"
)

// mProg is a test program: a vector table at 0 and code at 0x100.
type mProg struct {
	vectors []uint32
	code    []byte
	syms    map[string]uint32
}

const (
	mTestSRAM     = 0x20000000
	mTestSRAMSize = 0x10000
)

// newMTest builds an M-profile CPU on a test bus: 256 KiB of RAM at 0
// holding the program, 64 KiB of SRAM at 0x20000000, the SCS mapped, and
// BKPT 0xAB stopping the run. It resets the CPU after loading.
func newMTest(t testing.TB, cfg MConfig, p mProg) *CPU {
	t.Helper()
	b := bus.New()
	flash := make([]byte, 256<<10)
	for i, w := range p.vectors {
		binary.LittleEndian.PutUint32(flash[4*i:], w)
	}
	copy(flash[0x100:], p.code)
	if err := b.MapRAM("flash", 0, flash); err != nil {
		t.Fatal(err)
	}
	if err := b.MapRAM("sram", mTestSRAM, make([]byte, mTestSRAMSize)); err != nil {
		t.Fatal(err)
	}
	c := New(b, Config{Profile: ProfileM, M: cfg}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := b.MapDevice("scs", SCSBase, SCSSize, c.SCS()); err != nil {
		t.Fatal(err)
	}
	c.BKPTHook = func(c *CPU, imm uint32) bool {
		c.RequestStop()
		return true
	}
	c.Reset()
	return c
}

// runM runs until a stop other than the budget, advancing clk (if any)
// whenever the CPU sleeps; it gives up after about budget instructions.
func runM(t testing.TB, c *CPU, clk *clock.Clock, budget uint64) StopReason {
	t.Helper()
	for tries := 0; tries < 1000; tries++ {
		n, why := c.Run(budget)
		budget -= min(n, budget)
		switch why {
		case StopBudget:
			if budget == 0 {
				return why
			}
		case StopHalt:
			at, ok := uint64(0), false
			if clk != nil {
				at, ok = clk.Deadline()
			}
			if !ok {
				return why
			}
			clk.AdvanceTo(at)
		default:
			return why
		}
	}
	return StopBudget
}

func regs(c *CPU, rs ...int) []uint32 {
	v := make([]uint32, len(rs))
	for i, r := range rs {
		v[i] = c.R[r]
	}
	return v
}

func TestMResetFromVectorTable(t *testing.T) {
	c := newMTest(t, MConfig{Model: CortexM3}, mProg_reset)
	if got, want := c.R[15], uint32(0x100); got != want {
		t.Fatalf("PC after reset = %#x, want %#x", got, want)
	}
	if !c.T || c.R[13] != 0x20008000 || c.IPSR() != 0 || c.CONTROL() != 0 || !c.Privileged() {
		t.Fatalf("reset state: T=%v SP=%#x IPSR=%d CONTROL=%#x priv=%v", c.T, c.R[13], c.IPSR(), c.CONTROL(), c.Privileged())
	}
	if why := runM(t, c, nil, 100); why != StopRequest {
		t.Fatalf("stop = %v, want StopRequest", why)
	}
	// r1 = MSP, r2 = CONTROL, r3 = xPSR (EPSR reads as zero), r4 = IPSR.
	if diff := cmp.Diff([]uint32{1, 0x20008000, 0, 0, 0}, regs(c, 0, 1, 2, 3, 4)); diff != "" {
		t.Errorf("registers (-want +got):\n%s", diff)
	}
}

func TestMSpecialRegisters(t *testing.T) {
	c := newMTest(t, MConfig{Model: CortexM4}, mProg_sysreg)
	if why := runM(t, c, nil, 200); why != StopRequest {
		t.Fatalf("stop = %v, want StopRequest (r0=%#x pc=%#x)", why, c.R[0], c.R[15])
	}
	want := []uint32{
		1,          // r0: PRIMASK after CPSID i
		0,          // r1: after CPSIE i
		0x40,       // r3: BASEPRI
		0x40,       // r4: BASEPRI_MAX 0x80 does not lower the priority
		0x20,       // r5: BASEPRI_MAX 0x20 raises it
		2,          // r7: CONTROL.SPSEL
		0x20000800, // r8: SP is PSP
		3,          // r9: unprivileged MSR CONTROL ignored
		0,          // r10: unprivileged CPSID ignored
		1,          // r11: FAULTMASK after CPSID f
	}
	if diff := cmp.Diff(want, regs(c, 0, 1, 3, 4, 5, 7, 8, 9, 10, 11)); diff != "" {
		t.Errorf("registers (-want +got):\n%s", diff)
	}
	if c.Privileged() || c.MSP() != 0x20008000 || c.PSP() != 0x20000800 {
		t.Errorf("priv=%v MSP=%#x PSP=%#x, want unprivileged on PSP", c.Privileged(), c.MSP(), c.PSP())
	}
}

func TestMSVCAndReturn(t *testing.T) {
	c := newMTest(t, MConfig{Model: CortexM3}, mProg_svc)
	if why := runM(t, c, nil, 100); why != StopRequest {
		t.Fatalf("stop = %v", why)
	}
	after := mProg_svc.syms["after"]
	want := []uint32{
		6,          // r0: restored by unstacking, then incremented
		11,         // r4: IPSR in the handler (SVCall)
		0xfffffff9, // r5: EXC_RETURN to Thread mode, main stack
		after,      // r6: stacked return address
		0x01000000, // r7: stacked xPSR: T, flags clear, Thread
	}
	if diff := cmp.Diff(want, regs(c, 0, 4, 5, 6, 7)); diff != "" {
		t.Errorf("registers (-want +got):\n%s", diff)
	}
	if c.IPSR() != 0 || c.R[13] != 0x20008000 {
		t.Errorf("after return: IPSR=%d SP=%#x", c.IPSR(), c.R[13])
	}
}

func TestMPendSVTailChain(t *testing.T) {
	c := newMTest(t, MConfig{Model: CortexM3}, mProg_pendsv)
	if why := runM(t, c, nil, 200); why != StopRequest {
		t.Fatalf("stop = %v", why)
	}
	// SVC handler (1), then PendSV on its return (2), then Thread (3).
	want := []uint32{1, 2, 0xfffffff9, 3}
	if diff := cmp.Diff(want, regs(c, 4, 5, 6, 9)); diff != "" {
		t.Errorf("r4 r5 r6 r9 (-want +got):\n%s", diff)
	}
}

func TestMSysTick(t *testing.T) {
	clk := clock.New()
	c := newMTest(t, MConfig{Model: CortexM3, Clock: clk, CPUClockHz: 1_000_000}, mProg_systick)
	if why := runM(t, c, clk, 1000); why != StopRequest {
		t.Fatalf("stop = %v (pc=%#x)", why, c.R[15])
	}
	if c.R[4] != 1 {
		t.Errorf("SysTick handler ran %d times, want 1", c.R[4])
	}
	// RVR = 99 and CVR cleared: the counter reloads on the first tick and
	// reaches 0 after 100 ticks of 1 us.
	if got := clk.Now(); got != 100_000 {
		t.Errorf("SysTick fired at %d ns, want 100000", got)
	}
	// The first CSR read reports COUNTFLAG and clears it.
	if c.R[5] != 0x10007 || c.R[6] != 0x7 {
		t.Errorf("CSR reads %#x, %#x, want 0x10007, 0x7", c.R[5], c.R[6])
	}
}

func TestMPriorityAndBASEPRI(t *testing.T) {
	c := newMTest(t, MConfig{Model: CortexM3, NumIRQ: 32}, mProg_prio)
	if why := runM(t, c, nil, 300); why != StopRequest {
		t.Fatalf("stop = %v (r0=%#x pc=%#x)", why, c.R[0], c.R[15])
	}
	want := []uint32{
		0,  // r7: IRQ0 (priority 0x80) masked by BASEPRI 0x40
		1,  // r5: IRQ0 taken as soon as BASEPRI is cleared
		2,  // r10: IRQ1 (0x40) preempts IRQ0 at the STIR write
		17, // r4: IPSR in IRQ1, through the stack
		3,  // r11: back in IRQ0
		4,  // r6: back in Thread mode
	}
	if diff := cmp.Diff(want, regs(c, 7, 5, 10, 4, 11, 6)); diff != "" {
		t.Errorf("r7 r5 r10 r4 r11 r6 (-want +got):\n%s", diff)
	}
}

func TestMUsageFaults(t *testing.T) {
	c := newMTest(t, MConfig{Model: CortexM3}, mProg_undef)
	if why := runM(t, c, nil, 100); why != StopRequest {
		t.Fatalf("stop = %v", why)
	}
	if diff := cmp.Diff([]uint32{cfsrUNDEFINSTR, mProg_undef.syms["fault"], excUsageFault}, regs(c, 4, 5, 6)); diff != "" {
		t.Errorf("CFSR, stacked PC, IPSR (-want +got):\n%s", diff)
	}
}

// TestMDSPAndDivide runs QADD (ARMv7E-M only) and UDIV by zero with
// CCR.DIV_0_TRP: the UsageFault handler collects the CFSR bits.
func TestMDSPAndDivide(t *testing.T) {
	for _, tc := range []struct {
		model MModel
		want  uint32
	}{
		{CortexM3, cfsrUNDEFINSTR | cfsrDIVBYZERO},
		{CortexM4, cfsrDIVBYZERO},
	} {
		c := newMTest(t, MConfig{Model: tc.model}, mProg_dsp)
		if why := runM(t, c, nil, 200); why != StopRequest {
			t.Fatalf("%v: stop = %v", tc.model, why)
		}
		if c.R[4] != tc.want {
			t.Errorf("%v: CFSR bits %#x, want %#x", tc.model, c.R[4], tc.want)
		}
		if tc.model == CortexM4 && c.R[3] != 7 {
			t.Errorf("%v: QADD gave %d, want 7", tc.model, c.R[3])
		}
	}
}

func TestMHardFaultForced(t *testing.T) {
	c := newMTest(t, MConfig{Model: CortexM3}, mProg_forced)
	if why := runM(t, c, nil, 100); why != StopRequest {
		t.Fatalf("stop = %v", why)
	}
	want := []uint32{hfsrFORCED, cfsrUNDEFINSTR, mProg_forced.syms["fault"], excHardFault}
	if diff := cmp.Diff(want, regs(c, 4, 5, 6, 7)); diff != "" {
		t.Errorf("HFSR, CFSR, stacked PC, IPSR (-want +got):\n%s", diff)
	}
}

func TestMInvState(t *testing.T) {
	c := newMTest(t, MConfig{Model: CortexM3}, mProg_invstate)
	if why := runM(t, c, nil, 100); why != StopRequest {
		t.Fatalf("stop = %v", why)
	}
	target := mProg_invstate.syms["target"]
	// The stacked xPSR has EPSR.T clear.
	want := []uint32{cfsrINVSTATE, target, 0}
	if diff := cmp.Diff(want, regs(c, 4, 5, 6)); diff != "" {
		t.Errorf("CFSR, stacked PC, stacked xPSR (-want +got):\n%s", diff)
	}
}

func TestMLockup(t *testing.T) {
	c := newMTest(t, MConfig{Model: CortexM3}, mProg_lockup)
	if why := runM(t, c, nil, 100); why != StopLockup {
		t.Fatalf("stop = %v, want StopLockup", why)
	}
	if msg := c.LockupMessage(); msg == "" {
		t.Error("no lockup message")
	}
	// Running again stays locked up.
	if _, why := c.Run(10); why != StopLockup {
		t.Errorf("second Run: stop = %v, want StopLockup", why)
	}
}

func TestMBusFault(t *testing.T) {
	c := newMTest(t, MConfig{Model: CortexM3}, mProg_busfault)
	if why := runM(t, c, nil, 100); why != StopRequest {
		t.Fatalf("stop = %v", why)
	}
	if diff := cmp.Diff([]uint32{cfsrPRECISERR | cfsrBFARVALID, 0x30000000}, regs(c, 4, 5)); diff != "" {
		t.Errorf("CFSR, BFAR (-want +got):\n%s", diff)
	}
}

// TestMNative runs the interrupt-heavy programs with every block compiled
// to native code, where the host has the backend.
func TestMNative(t *testing.T) {
	for name, p := range map[string]mProg{"svc": mProg_svc, "prio": mProg_prio, "pendsv": mProg_pendsv} {
		c := newMTest(t, MConfig{Model: CortexM4, NumIRQ: 32}, p)
		c.NativeEager = true
		if why := runM(t, c, nil, 300); why != StopRequest || c.R[0] == 0xee {
			t.Errorf("%s: stop = %v, r0 = %#x", name, why, c.R[0])
		}
	}
}

// TestMProfileAUntouched checks that the A profile has no M-profile MRS.
func TestMProfileAUntouched(t *testing.T) {
	// MRS r0, PRIMASK is UNDEFINED on the A profile.
	c := newTestCPU(t, true, 0xf3ef, 0x8010)
	c.Run(1)
	if c.GuestErrors()["undefined instruction"] != 1 {
		t.Errorf("A-profile MRS PRIMASK: guest errors %v, want one undefined instruction", c.GuestErrors())
	}
}

// TestMFPFrame checks the extended frame of a Cortex-M4 with an active FP
// context: EXC_RETURN 0xFFFFFFE9, a 0x68-byte frame, S0 restored.
func TestMFPFrame(t *testing.T) {
	c := newMTest(t, MConfig{Model: CortexM4}, mProg_fp)
	if why := runM(t, c, nil, 100); why != StopRequest {
		t.Fatalf("stop = %v (r0=%#x)", why, c.R[0])
	}
	want := []uint32{0xffffffe9, 0x20008000 - 0x68, 0x3f800000, controlFPCA}
	if diff := cmp.Diff(want, regs(c, 4, 5, 6, 7)); diff != "" {
		t.Errorf("LR, SP in handler, S0, CONTROL (-want +got):\n%s", diff)
	}
}

// TestMNOCP: FP on a Cortex-M3, FP on a Cortex-M4 with CPACR denying
// access, and CP15 on either are UsageFault NOCP.
func TestMNOCP(t *testing.T) {
	for _, model := range []MModel{CortexM3, CortexM4} {
		c := newMTest(t, MConfig{Model: model}, mProg_nocp)
		if why := runM(t, c, nil, 100); why != StopRequest {
			t.Fatalf("%v: stop = %v", model, why)
		}
		if c.R[4] != cfsrNOCP || c.R[5] != 2 {
			t.Errorf("%v: CFSR bits %#x after %d faults, want NOCP twice", model, c.R[4], c.R[5])
		}
	}
}

// TestMSCSUnprivileged: an unprivileged access to the SCS is a precise
// BusFault (B3.2.1).
func TestMSCSUnprivileged(t *testing.T) {
	c := newMTest(t, MConfig{Model: CortexM3}, mProg_unpriv)
	if why := runM(t, c, nil, 100); why != StopRequest {
		t.Fatalf("stop = %v", why)
	}
	want := []uint32{cfsrPRECISERR | cfsrBFARVALID, 0xe000ed04, mProg_unpriv.syms["fault"]}
	if diff := cmp.Diff(want, regs(c, 4, 5, 6)); diff != "" {
		t.Errorf("CFSR, BFAR, stacked PC (-want +got):\n%s", diff)
	}
}

// TestMSystemResetRequest: AIRCR.SYSRESETREQ reaches OnSystemReset after
// the store, and a reset from there restarts at the reset vector.
func TestMSystemResetRequest(t *testing.T) {
	c := newMTest(t, MConfig{Model: CortexM3}, mProg_sysreset)
	resets := 0
	c.OnSystemReset = func() {
		resets++
		c.Reset()
	}
	if why := runM(t, c, nil, 100); why != StopRequest {
		t.Fatalf("stop = %v", why)
	}
	if resets != 1 || c.R[1] != 2 {
		t.Errorf("resets = %d, boot count r1 = %d; want 1 and 2", resets, c.R[1])
	}
}

// TestMSysTickClockChange: SetCPUClock changes the rate SysTick counts at
// from the current value on, and moves the next wrap's event with it.
func TestMSysTickClockChange(t *testing.T) {
	clk := clock.New()
	c := newMTest(t, MConfig{Model: CortexM3, Clock: clk, CPUClockHz: 1_000_000}, mProg_reset)
	s := c.SCS()
	s.Write(0x014, 4, 999) // RVR
	s.Write(0x018, 4, 0)   // CVR: reloads on the first tick
	s.Write(0x010, 4, systENABLE|systTICKINT|systCLKSOURCE)
	steps := []struct {
		hz, div uint64 // 0: no change
		advance uint64 // ns
		cvr     uint32
	}{
		{0, 0, 101_000, 999 - 100},   // 101 ticks of 1 us: reload, then 100
		{6_000_000, 3, 100_000, 699}, // 2 MHz as 6 MHz / 3: 200 ticks
		{500_000, 1, 400_000, 499},   // 0.5 MHz: 200 ticks
	}
	for i, st := range steps {
		if st.hz != 0 {
			c.SetCPUClock(st.hz, st.div)
		}
		clk.AdvanceTo(clk.Now() + st.advance)
		if got := uint32(s.Read(0x018, 4)); got != st.cvr {
			t.Errorf("step %d: CVR = %d, want %d", i, got, st.cvr)
		}
	}
	// 499 ticks of 2 us to go before the counter reaches 0.
	at, ok := clk.Deadline()
	if want := clk.Now() + 499*2000; !ok || at != want {
		t.Errorf("next SysTick event at %d (%v), want %d", at, ok, want)
	}
}
