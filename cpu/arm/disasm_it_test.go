package arm

import "testing"

// TestDisasmT16InIT: 16-bit data processing sets the flags only outside an
// IT block, and objdump prints it that way (adds / addeq).
func TestDisasmT16InIT(t *testing.T) {
	for _, tc := range []struct {
		it   uint8
		want string
	}{
		{0x00, "adds r0, r0, r1"},
		{0x08, "addeq r0, r0, r1"}, // ITSTATE: firstcond EQ, last in block
		{0x18, "addne r0, r0, r1"},
	} {
		if got := Disasm(0x1840, 2, true, 0x40000000, tc.it); got != tc.want {
			t.Errorf("Disasm(0x1840, it=%#02x) = %q, want %q", tc.it, got, tc.want)
		}
	}
}
