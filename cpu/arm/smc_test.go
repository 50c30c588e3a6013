package arm

import "testing"

func TestChunkMask(t *testing.T) {
	cases := []struct {
		lo, hi, want uint64
	}{
		{0, 4096, ^uint64(0)},
		{0, 1, 1},
		{63, 65, 0b11},
		{64, 128, 0b10},
		{4095, 4096, 1 << 63},
		{100, 300, 0b11110},
	}
	for _, c := range cases {
		if got := chunkMask(c.lo, c.hi); got != c.want {
			t.Errorf("chunkMask(%d, %d) = %#x, want %#x", c.lo, c.hi, got, c.want)
		}
	}
}

// A loop stores r1 to [r2] on every iteration. Stores next to the code
// (same page, another 64-byte chunk) leave the translation alone; stores
// into the code replace the instruction the next iteration runs.
func TestSelfModifyingCodeGranularity(t *testing.T) {
	loop := []uint32{
		0xe2800001, // add r0, r0, #1
		0xe5821000, // str r1, [r2]
		0xeafffffc, // b the add
	}
	for _, tc := range []struct {
		name     string
		target   uint32 // offset of the store from the code
		wantR0   uint32
		wantInvs bool
	}{
		{"data beside the code", 0x100, 100, false},
		{"the code itself", 0, 1 + 2*99, true},
	} {
		for _, native := range []bool{false, true} {
			c := newTestCPU(t, false, loop...)
			c.NoNative = !native
			c.NativeEager = native
			c.R[1] = 0xe2800002 // add r0, r0, #2
			c.R[2] = testRAMBase + tc.target
			runN(t, c, 300)
			_, invs := c.CacheStats()
			if c.R[0] != tc.wantR0 || (invs > 0) != tc.wantInvs {
				t.Errorf("%s (native %v): r0 = %d, %d code pages invalidated; want r0 = %d, invalidations %v",
					tc.name, native, c.R[0], invs, tc.wantR0, tc.wantInvs)
			}
		}
	}
}
