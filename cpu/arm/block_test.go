package arm

import "testing"

// Past its budget the block cache is flushed whole and code translated
// again as it runs: the program's result must not change, and the memory
// the cache holds must stay near the budget.
func TestBlockCacheBudget(t *testing.T) {
	// 40 blocks of "add r0, r0, #k; b next", looping while r0 < 4096.
	var code []uint32
	for k := range 40 {
		code = append(code, 0xe2800000|uint32(k+1), 0xeaffffff) // add r0, r0, #k+1; b .+8
	}
	code = append(code,
		0xe3500a01, // cmp r0, #4096
		0x3a000000|(uint32(-(len(code)+3))&0xffffff), // blo the first block
		0xeafffffe, // b .
	)
	run := func(budget int, native bool) *CPU {
		defer func(n int) { cacheBudget = n }(cacheBudget)
		cacheBudget = budget
		c := newTestCPU(t, false, code...)
		c.NoNative = !native
		c.NativeEager = native
		runN(t, c, 20000)
		return c
	}
	ref := run(1<<30, false)
	if ref.R[0] < 4096 || ref.cache.flushes != 0 {
		t.Fatalf("unbounded: r0 = %d, flushes = %d", ref.R[0], ref.cache.flushes)
	}
	one := blockBytes(&Block{ops: make([]Op, 2)})
	for _, native := range []bool{false, true} {
		c := run(5*one, native)
		if c.R[0] != ref.R[0] {
			t.Errorf("native=%v: r0 = %d with a small budget, %d without", native, c.R[0], ref.R[0])
		}
		if c.cache.flushes == 0 {
			t.Errorf("native=%v: the cache was never flushed", native)
		}
		if c.cache.bytes > 6*one || len(c.cache.blocks) > 6 {
			t.Errorf("native=%v: cache holds %d bytes in %d blocks, budget %d", native, c.cache.bytes, len(c.cache.blocks), 5*one)
		}
	}
}
