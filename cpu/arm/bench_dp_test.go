package arm

import "testing"

// BenchmarkDPLoopA32 runs a loop of typical compiled integer code:
//
//	loop: add r0, r0, r1, lsl #2
//	      eor r2, r2, r0
//	      and r3, r2, #0xff
//	      orr r4, r4, r3
//	      mov r5, r4, lsr #3
//	      subs r6, r6, #1
//	      bne loop
func BenchmarkDPLoopA32(b *testing.B) {
	code := []uint32{0xe0800101, 0xe0222000, 0xe20230ff, 0xe1844003, 0xe1a051a4, 0xe2566001, 0x1afffff8}
	c := newTestCPU(b, false, code...)
	c.R[6] = 1 << 30
	b.ResetTimer()
	n, _ := c.Run(uint64(b.N))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/insn")
}

// BenchmarkDPLoopT16 is the same loop in 16-bit Thumb code:
//
//	loop: lsls r7, r1, #2
//	      adds r0, r0, r7
//	      eors r2, r0
//	      uxtb r3, r2
//	      orrs r4, r3
//	      lsrs r5, r4, #3
//	      subs r6, #1
//	      bne loop
func BenchmarkDPLoopT16(b *testing.B) {
	code := []uint32{0x008f, 0x19c0, 0x4042, 0xb2d3, 0x431c, 0x08e5, 0x3e01, 0xd1f7}
	c := newTestCPU(b, true, code...)
	c.R[6] = 1 << 30
	b.ResetTimer()
	n, _ := c.Run(uint64(b.N))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/insn")
}
