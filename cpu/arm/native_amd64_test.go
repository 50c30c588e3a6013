//go:build amd64 && linux

package arm

import "testing"

// When the native block table fills up, everything compiled is dropped
// and compiled again as it runs: a program of many blocks must give the
// same result as in the interpreter while that happens over and over.
func TestNativeResetWhenFull(t *testing.T) {
	defer func(n int) { natBlockLimit = n }(natBlockLimit)
	natBlockLimit = 5
	// 40 blocks of "add r0, r0, #k; b next", then a branch back to the
	// first while r0 is below a bound.
	var code []uint32
	for k := range 40 {
		code = append(code, 0xe2800000|uint32(k+1), 0xeaffffff) // add r0, r0, #k+1; b .+8
	}
	code = append(code,
		0xe3500a01, // cmp r0, #4096
		0x3a000000|(uint32(-(len(code)+3))&0xffffff), // blo the first block
		0xeafffffe, // b .
	)
	var want uint32
	for i, native := range []bool{false, true} {
		c := newTestCPU(t, false, code...)
		c.NoNative = !native
		c.NativeEager = native
		runN(t, c, 20000)
		if i == 0 {
			want = c.R[0]
			if want < 4096 {
				t.Fatalf("interpreter: r0 = %d, the loop did not finish", want)
			}
		} else if c.R[0] != want {
			t.Errorf("native with resets: r0 = %d, interpreter %d", c.R[0], want)
		}
	}
}
