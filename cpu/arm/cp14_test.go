package arm

import "testing"

// TestCP14LinuxHWBreakpoint follows what Linux's hw_breakpoint probe does
// on a v7.1 debug implementation (arch/arm/kernel/hw_breakpoint.c):
// count the resources, clear the OS Lock, clear vector catch and every
// breakpoint and watchpoint, enable monitor mode and check it stuck, and
// find the maximum watchpoint length. No access may be UNDEFINED.
func TestCP14LinuxHWBreakpoint(t *testing.T) {
	c := newMMUTestCPU(t)
	r := func(crn, crm, opc2 uint32) uint32 {
		t.Helper()
		v, ok := mrc(c, 14, 0, crn, crm, opc2, true)
		if !ok {
			t.Fatalf("MRC p14, 0, c%d, c%d, %d UNDEFINED", crn, crm, opc2)
		}
		return v
	}
	w := func(crn, crm, opc2, v uint32) {
		t.Helper()
		if !mcr(c, 14, 0, crn, crm, opc2, v, true) {
			t.Fatalf("MCR p14, 0, c%d, c%d, %d UNDEFINED", crn, crm, opc2)
		}
	}
	didr := r(0, 0, 0)
	if arch := didr >> 16 & 0xf; arch != 5 {
		t.Fatalf("debug architecture %d, want 5 (v7.1)", arch)
	}
	brps, wrps := didr>>24&0xf+1, didr>>28+1
	if brps != 6 || wrps != 4 {
		t.Fatalf("%d breakpoints, %d watchpoints; want 6, 4", brps, wrps)
	}
	if r(1, 3, 4)&1 != 0 { // DBGOSDLR: double lock must be clear
		t.Fatal("OS double lock set")
	}
	w(1, 0, 4, ^uint32(oslarKey)) // DBGOSLAR: unlock
	if v := r(1, 1, 4); v&oslsrOSLK != 0 {
		t.Errorf("DBGOSLSR = %#x: OS Lock still set", v)
	}
	w(0, 7, 0, 0) // DBGVCR
	for i := uint32(0); i < brps; i++ {
		w(0, i, 5, 0)
		w(0, i, 4, 0)
	}
	for i := uint32(0); i < wrps; i++ {
		w(0, i, 7, 0)
		w(0, i, 6, 0)
	}
	// enable_monitor_mode: DBGDSCRint shows MDBGEN after the write to
	// DBGDSCRext.
	dscr := r(0, 1, 0)
	w(0, 2, 2, dscr|1<<15)
	if r(0, 1, 0)&(1<<15) == 0 {
		t.Error("DBGDSCRint.MDBGEN not set: Linux would warn \"Failed to enable monitor mode\"")
	}
	// get_max_wp_len: an 8-byte byte-address-select sticks.
	ctrl := uint32(0xff<<5 | 3<<3 | 2<<1)
	w(0, 0, 6, 0)
	w(0, 0, 7, ctrl)
	if r(0, 0, 7)&ctrl != ctrl {
		t.Error("8-byte watchpoint length not supported")
	}
}

// TestCP14ThumbEE: TEEHBR is reachable from PL0 unless TEECR.XED.
func TestCP14ThumbEE(t *testing.T) {
	c := newMMUTestCPU(t)
	if !mcr(c, 14, 6, 1, 0, 0, 0x1234, false) {
		t.Fatal("PL0 TEEHBR write UNDEFINED")
	}
	if v, ok := mrc(c, 14, 6, 1, 0, 0, true); !ok || v != 0x1234 {
		t.Errorf("TEEHBR = %#x, %v", v, ok)
	}
	mcr(c, 14, 6, 0, 0, 0, 1, true)
	if _, ok := mrc(c, 14, 6, 1, 0, 0, false); ok {
		t.Error("PL0 TEEHBR read allowed with TEECR.XED")
	}
	// Reset relocks the OS Lock and clears ThumbEE.
	c.Reset()
	if v, _ := mrc(c, 14, 0, 1, 1, 4, true); v != 0xa {
		t.Errorf("DBGOSLSR after reset = %#x", v)
	}
	if v, _ := mrc(c, 14, 6, 0, 0, 0, true); v != 0 {
		t.Errorf("TEECR after reset = %#x", v)
	}
}
