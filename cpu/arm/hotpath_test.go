package arm

import "testing"

// TestHotPathDoesNotAllocate runs translated code (a loop of data
// processing, loads, stores and a conditional branch) from the block cache,
// in the interpreter and as native code, and checks that executing it
// allocates nothing (DESIGN: the hot path does not allocate).
func TestHotPathDoesNotAllocate(t *testing.T) {
	for _, native := range []bool{false, true} {
		c := newTestCPU(t, false,
			0xe3a00000, // mov r0, #0
			0xe59f101c, // ldr r1, [pc, #28]  (the loop count)
			0xe2800001, // loop: add r0, r0, #1
			0xe58d0000, // str r0, [sp]
			0xe59d2000, // ldr r2, [sp]
			0xe0822000, // add r2, r2, r0
			0xe10f3000, // mrs r3, apsr (an op the native code leaves to Go)
			0xe1500001, // cmp r0, r1
			0x1afffff8, // bne loop
			0xeafffffe, // b .
			1<<30,      // loop count: effectively forever
		)
		c.NoNative = !native
		runN(t, c, 1000) // translate (and compile) everything first
		n := testing.AllocsPerRun(50, func() { c.Run(10000) })
		if n != 0 {
			t.Errorf("native %v: %v allocations per 10000 instructions", native, n)
		}
		if c.R[0] < 1000 {
			t.Fatalf("native %v: loop did not run: r0 = %d", native, c.R[0])
		}
	}
}
