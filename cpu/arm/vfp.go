package arm

// The Floating-point Extension (VFPv4-D32, ARM ARM A2.6-A2.7, B1.11):
// architectural state, the system registers VMRS/VMSR reach, and the checks
// every floating-point instruction makes before it runs. The instructions
// are in translate_vfp.go (decoding) and ops_vfp.go (semantics); the
// arithmetic is package softfloat.
//
// The model is QEMU 7.2's cortex-a15 with Advanced SIMD removed, the way
// QEMU's `neon=off` property removes it, but keeping the 32 doubleword
// registers (QEMU itself refuses D32 without Neon on AArch32; a real
// Cortex-A15 has no such configuration either, but the guest-visible
// result is a consistent VFPv4-D32 unit). ID register values:
//
//	FPSID 0x410430f0  ARM, VFPv3+ common subarchitecture v3, part 0x30,
//	                  variant 0xf, revision 0 (QEMU's cortex-a15)
//	MVFR0 0x10110222  32 doubleword registers, single and double precision
//	                  (VFPv3+), no trapping, divide, square root, no short
//	                  vectors, all rounding modes (QEMU's cortex-a15)
//	MVFR1 0x11000011  flush-to-zero and default NaN supported, half-precision
//	                  conversion (FPHP=1), fused multiply-accumulate
//	                  (SIMDFMAC=1, which also covers VFP); the Advanced SIMD
//	                  fields SIMDLS, SIMDInt, SIMDSP and SIMDHP are zero
//	                  (QEMU's cortex-a15 0x11111111 with neon=off)
//
// Linux reads these as VFPv3, VFPv4 and VFPD32 and does not advertise
// HWCAP_NEON (it wants MVFR1 bits 19:8 == 0x111).
//
// Deliberate choices, all as QEMU 7.2 makes them:
//   - FPEXC keeps only EN (bit 30); the other bits read as zero. There are
//     no floating-point exception traps: FPSCR.IxE are RAZ/WI.
//   - FPSCR.QC is RAZ/WI (no Advanced SIMD) and FZ16 (bit 19) is RES0;
//     Len and Stride are stored, and while either is non-zero the VFP
//     data-processing instructions that would use short vectors (the
//     three-operand arithmetic, VFMA family, VMOV immediate and register,
//     VABS, VNEG, VSQRT) are UNDEFINED, since MVFR0.FPShVec is 0. VCMP and
//     the conversions ignore Len and Stride.
//   - CPACR: only the cp10 field is consulted (cp11 different from cp10 is
//     UNPREDICTABLE); the reserved value 0b10 denies access. D32DIS is not
//     enforced (QEMU does not either).

import "mimic/cpu/arm/softfloat"

// Identification registers (see the package comment above).
const (
	vfpFPSID = 0x410430f0
	vfpMVFR0 = 0x10110222
	vfpMVFR1 = 0x11000011
)

// Special register numbers, the reg field of VMRS/VMSR (ARM ARM B9.3.20,
// B9.3.21 "VMRS/VMSR, system level"); the others are UNDEFINED: FPINST and
// FPINST2 do not exist from VFPv3 on and MVFR2 from ARMv8.
const (
	vfpRegFPSID = 0
	vfpRegFPSCR = 1
	vfpRegMVFR1 = 6
	vfpRegMVFR0 = 7
	vfpRegFPEXC = 8
)

const (
	fpexcEN = 1 << 30 // FPEXC.EN: the extension is enabled

	// fpscrWritable are the FPSCR bits that hold state: N Z C V, AHP, DN,
	// FZ, RMode, Stride, Len and the cumulative exception flags.
	fpscrWritable = 0xf7f7009f
	// fpscrVector are Len and Stride.
	fpscrVector = softfloat.LenMask | softfloat.StrideMask

	cpacrCP10Shift = 20 // CPACR.cp10, bits 21:20
)

// vfpState is the register file and system registers of the Floating-point
// Extension.
type vfpState struct {
	// d holds D0-D31. The single-precision registers alias the low half:
	// S(2k) is the low word of D(k), S(2k+1) the high word. Instructions
	// address it by "word" index too: word j is S(j) for j < 32, and the
	// halves of D16-D31 for j >= 32.
	d     [32]uint64
	fpscr uint32 // only fpscrWritable bits are ever set
	fpexc uint32 // only EN is ever set
}

// reset puts the extension in its reset state: disabled, registers zero.
func (v *vfpState) reset() { *v = vfpState{} }

// word returns 32-bit word j (0..63) of the register file.
func (v *vfpState) word(j uint8) uint32 {
	return uint32(v.d[j>>1&31] >> (j & 1 * 32))
}

// setWord sets 32-bit word j (0..63) of the register file.
func (v *vfpState) setWord(j uint8, x uint32) {
	i, sh := j>>1&31, j&1*32
	v.d[i] = v.d[i]&^(0xffffffff<<sh) | uint64(x)<<sh
}

// env returns the floating-point environment FPSCR selects for VFP
// instructions, with no flags raised.
func (v *vfpState) env() softfloat.Env { return softfloat.EnvFromFPSCR(v.fpscr) }

// --- Access checks -------------------------------------------------------------

// vfpAccessible reports whether CPACR lets the current mode use CP10/CP11
// (ARM ARM B4.1.40): 0b11 full access, 0b01 PL1 only, 0b00 and the
// reserved 0b10 no access.
func (c *CPU) vfpAccessible() bool {
	switch c.cpacr() >> cpacrCP10Shift & 3 {
	case 3:
		return true
	case 1:
		return c.mode != ModeUSR
	}
	return false
}

// vfpOK is the check every floating-point instruction makes first (ARM
// ARM B1.11, "Enabling Advanced SIMD and floating-point support"): CPACR
// grants access and FPEXC.EN is set. Otherwise it takes the Undefined
// Instruction exception and returns false; the op must then return. It
// is a run-time check because translations do not depend on privilege,
// CPACR or FPEXC.
func (c *CPU) vfpOK(o *Op) bool {
	if c.vfp.fpexc&fpexcEN != 0 && c.cpacr()>>cpacrCP10Shift&3 == 3 {
		return true
	}
	return c.vfpCheckSlow(o, false)
}

// vfpDPOK is vfpOK for the data-processing instructions that short
// vectors would affect: with FPSCR.Len or Stride non-zero they are
// UNDEFINED (MVFR0.FPShVec is 0), as in QEMU.
func (c *CPU) vfpDPOK(o *Op) bool {
	if c.vfp.fpexc&fpexcEN != 0 && c.cpacr()>>cpacrCP10Shift&3 == 3 && c.vfp.fpscr&fpscrVector == 0 {
		return true
	}
	return c.vfpCheckSlow(o, true)
}

func (c *CPU) vfpCheckSlow(o *Op, vector bool) bool {
	if c.m != nil {
		return c.mFPCheck(o, vector)
	}
	if !c.vfpAccessible() || c.vfp.fpexc&fpexcEN == 0 || vector && c.vfp.fpscr&fpscrVector != 0 {
		c.undefined(o)
		return false
	}
	return true
}

// vfpSysOK is the check of VMRS/VMSR of FPSID, FPEXC, MVFR0 and MVFR1:
// PL1 only, subject to CPACR but not to FPEXC.EN.
func (c *CPU) vfpSysOK(o *Op) bool {
	if c.mode == ModeUSR || !c.vfpAccessible() {
		c.undefined(o)
		return false
	}
	return true
}

// --- Exported state, for debuggers, loaders and tests ----------------------------

// DReg returns doubleword register D(n), n in 0..31.
func (c *CPU) DReg(n int) uint64 { return c.vfp.d[n&31] }

// SetDReg sets doubleword register D(n), n in 0..31.
func (c *CPU) SetDReg(n int, v uint64) { c.vfp.d[n&31] = v }

// SReg returns single-precision register S(n), n in 0..31.
func (c *CPU) SReg(n int) uint32 { return c.vfp.word(uint8(n & 31)) }

// SetSReg sets single-precision register S(n), n in 0..31.
func (c *CPU) SetSReg(n int, v uint32) { c.vfp.setWord(uint8(n&31), v) }

// FPSCR returns the Floating-point Status and Control Register.
func (c *CPU) FPSCR() uint32 { return c.vfp.fpscr }

// SetFPSCR writes the FPSCR as VMSR does.
func (c *CPU) SetFPSCR(v uint32) { c.vfp.fpscr = v & fpscrWritable }

// FPEXC returns the Floating-point Exception Control register.
func (c *CPU) FPEXC() uint32 { return c.vfp.fpexc }

// SetFPEXC writes FPEXC as VMSR does (only EN is implemented).
func (c *CPU) SetFPEXC(v uint32) { c.vfp.fpexc = v & fpexcEN }
