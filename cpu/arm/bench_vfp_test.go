package arm

import "testing"

// BenchmarkVFPLoopA32 runs a loop of floating-point arithmetic:
//
//	loop: vadd.f64 d0, d0, d1
//	      vmla.f32 s0, s1, s2
//	      subs r0, r0, #1
//	      bne loop
func BenchmarkVFPLoopA32(b *testing.B) {
	code := []uint32{0xee300b01, 0xee000a81, 0xe2500001, 0x1afffffb}
	c := newVFPTestCPU(b, false, code...)
	c.R[0] = 1 << 30
	c.SetDReg(1, 0x3ff8000000000000)
	c.SetSReg(1, f32One)
	c.SetSReg(2, f32Two)
	b.ResetTimer()
	n, _ := c.Run(uint64(b.N))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/insn")
}
