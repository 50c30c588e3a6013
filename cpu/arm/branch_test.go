package arm

import "testing"

func TestBranchAndSVC(t *testing.T) {
	// b +8 ; (skipped) ; (skipped) ; svc #5
	c := newTestCPU(t, false, 0xea000001, 0xe7f000f0, 0xe7f000f0, 0xef000005)
	runN(t, c, 2)
	if got, want := c.Mode(), uint32(ModeSVC); got != want {
		t.Fatalf("mode %#x, want %#x", got, want)
	}
	if got, want := c.R[14], uint32(testRAMBase+16); got != want {
		t.Errorf("LR_svc = %#x, want %#x", got, want)
	}
	if got, want := c.R[15], uint32(0x08); got != want {
		t.Errorf("PC = %#x, want the SVC vector %#x", got, want)
	}
	if got := c.Retired(); got != 2 {
		t.Errorf("retired %d, want 2", got)
	}
}
