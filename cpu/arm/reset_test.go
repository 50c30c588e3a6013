package arm

import "testing"

// TestResetState checks the architectural reset state (ARM ARM B1.9.2)
// and the QEMU-compatible choice for the UNKNOWN flags (Z set).
func TestResetState(t *testing.T) {
	c := newTestCPU(t, false)
	c.Reset()
	if got, want := c.CPSR(), uint32(0x400001d3); got != want {
		t.Errorf("CPSR after reset = %#08x, want %#08x (SVC, A/I/F masked, Z as QEMU)", got, want)
	}
}
