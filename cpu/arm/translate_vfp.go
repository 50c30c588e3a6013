package arm

// Floating-point (VFP) instructions, the translator side: the handlers of
// spec/a32_vfp.decode and spec/t32_vfp.decode pick one op per instruction
// (ops_vfp.go). Op operands:
//
//   - rd, rn, rm name floating-point registers as vfpTag|n, where n is an
//     S register number for single-precision operands and a D register
//     number for double-precision ones. The tag keeps the fields from ever
//     reading 15, which would make emit insert an opSetPC.
//   - Register transfers and loads/stores address the register file by
//     32-bit word (vfpState.word): word j is S(j), and D(k) is words 2k and
//     2k+1. They keep the word index in imm (transfers) or rd&63 (VLDM).
//   - Core registers read by an op are in rn/rm (so a PC operand gets its
//     value as usual); core registers written are in amt and sh.
//
// Nothing here depends on privilege, CPACR, FPEXC or FPSCR: those are
// checked by the ops at run time (vfp.go), because one translation serves
// every mode.
//
// UNPREDICTABLE choices, all as QEMU 7.2 (target/arm/tcg/translate-vfp.c)
// makes them unless noted:
//   - Encodings with (0)/(1) bits of the wrong value (VMOV immediate bits
//     7 and 5, the compare-with-zero Vm and M, the transfer forms' low
//     bits) are UNDEFINED: the patterns require the QEMU values.
//   - VCVT to/from 16-bit fixed-point with imm5 > 16 uses the negative
//     fraction-bit count (scaling the other way), as QEMU's scalbn does.
//   - VMOV from a single register or VMRS with Rt = 15 sets N Z C V from
//     the value's bits 31:28 (QEMU treats every VMRS and VMOV-to-core of a
//     single register with Rt = 15 as the APSR_nzcv form).
//   - VMOV to two core registers or VMOV.32 scalar to core with Rt (or
//     Rt2) = 15 branches to the value (BranchWritePC); with Rt = Rt2 the
//     second value wins. Core-to-VFP transfers with Rt = 15 read the PC.
//     Rt = 13 in T32 is allowed.
//   - VMOV two single registers with Sm = S31 uses "S32", the low half of
//     D16, as QEMU's register layout does.
//   - VLDM/VSTM with no registers, more than 16 doubleword registers, or a
//     list running past the last register are UNDEFINED; so is writeback
//     to the PC. With Rn = PC and no writeback (and VLDR/VSTR with
//     Rn = PC, including T32 VSTR) the base is Align(PC, 4).
//   - FLDMX/FSTMX (odd imm8) transfer imm8/2 doubleword registers and
//     write back imm8 words (ARM ARM, FLDMX/FSTMX).
//   - FPSCR.Len/Stride non-zero makes the short-vector-capable
//     data-processing instructions UNDEFINED (see vfp.go).
//   - A CPACR.cp11 value different from cp10 is ignored: cp10 decides.

// vfpD16 reports whether the register file has only D0-D15 (S0-S31):
// the M profile's FPv4-SP-D16 (ARMv7-M ARM A2.5). Its encodings that name
// D16-D31 are UNDEFINED (a UsageFault UNDEFINSTR, before the CPACR check
// as the decode comes first), as QEMU 7.2 makes them without
// aa32_simd_r32. The A profile here is VFPv4-D32 (vfp.go).
func (t *translator) vfpD16() bool { return t.c.m != nil }

// vfpTag marks a floating-point register number in an op's register field.
const vfpTag = 0x20

// vfpR returns the op field for floating-point register n (0..31).
func vfpR(n uint32) uint8 { return uint8(vfpTag | n&31) }

// Register numbers from the instruction (ARM ARM A7.3 "Register
// encoding"): a D register is D:Vd, an S register Vd:D.
func vfpSd(insn uint32) uint32 { return insn>>11&0x1e | insn>>22&1 }
func vfpDd(insn uint32) uint32 { return insn>>18&0x10 | insn>>12&0xf }
func vfpSn(insn uint32) uint32 { return insn>>15&0x1e | insn>>7&1 }
func vfpDn(insn uint32) uint32 { return insn>>3&0x10 | insn>>16&0xf }
func vfpSm(insn uint32) uint32 { return insn<<1&0x1e | insn>>5&1 }
func vfpDm(insn uint32) uint32 { return insn>>1&0x10 | insn&0xf }

// vfpSm1 is Sm + 1, the second register of VMOV (two singles).
func vfpSm1(insn uint32) uint32 { return vfpSm(insn) + 1 }

// vfpImm8 is imm8 of VLDM/VSTM (FLDMX/FSTMX patterns fix its bit 0).
func vfpImm8(insn uint32) uint32 { return insn & 0xff }

// vfpImm8x4 is the VLDR/VSTR byte offset.
func vfpImm8x4(insn uint32) uint32 { return insn & 0xff << 2 }

// vfpLastS and vfpLastD are the last register of a VLDM/VSTM list.
func vfpLastS(insn uint32) uint32 { return vfpSd(insn) + insn&0xff - 1 }
func vfpLastD(insn uint32) uint32 { return vfpDd(insn) + insn&0xff>>1 - 1 }

// vfpFracBits is the fraction-bit count of VCVT (fixed-point): size -
// imm4:i, size 16 or 32 by sx (bit 7). It is negative (as a uint32) for
// the UNPREDICTABLE 16-bit encodings with imm5 > 16.
func vfpFracBits(insn uint32) uint32 {
	size := uint32(16)
	if insn>>7&1 != 0 {
		size = 32
	}
	return size - (insn&0xf<<1 | insn>>5&1)
}

// vfpExpandImm32 and vfpExpandImm64 are VFPExpandImm (ARM ARM A7.5.1).
func vfpExpandImm32(imm8 uint32) uint32 {
	b6 := imm8 >> 6 & 1
	return imm8>>7<<31 | (b6^1)<<30 | b6*0x1f<<25 | imm8&0x3f<<19
}

func vfpExpandImm64(imm8 uint32) uint64 {
	b6 := uint64(imm8 >> 6 & 1)
	return uint64(imm8>>7)<<63 | (b6^1)<<62 | b6*0xff<<54 | uint64(imm8&0x3f)<<48
}

// --- Data processing ---------------------------------------------------------

// vfp3Ops are the three-register operations by x (see the spec) and
// precision.
var vfp3Ops = [13][2]opFunc{
	{opVMLAs, opVMLAd}, {opVMLSs, opVMLSd}, {opVNMLSs, opVNMLSd}, {opVNMLAs, opVNMLAd},
	{opVMULs, opVMULd}, {opVNMULs, opVNMULd}, {opVADDs, opVADDd}, {opVSUBs, opVSUBd},
	{opVDIVs, opVDIVd}, {opVFNMSs, opVFNMSd}, {opVFNMAs, opVFNMAd}, {opVFMAs, opVFMAd},
	{opVFMSs, opVFMSd},
}

// VFP3 translates the three-register arithmetic.
func (t *translator) VFP3(f *fields) bool {
	t.emit(Op{fn: vfp3Ops[f.x][f.D], rd: vfpR(f.d), rn: vfpR(f.n), rm: vfpR(f.m)})
	return true
}

var vfp2Ops = [4][2]opFunc{{opVMOVs, opVMOVd}, {opVABSs, opVABSd}, {opVNEGs, opVNEGd}, {opVSQRTs, opVSQRTd}}

// VFP2 translates VMOV (register), VABS, VNEG and VSQRT.
func (t *translator) VFP2(f *fields) bool {
	t.emit(Op{fn: vfp2Ops[f.x][f.D], rd: vfpR(f.d), rm: vfpR(f.m)})
	return true
}

// VMOVI translates VMOV (immediate): imm is the value, or for double
// precision its high word (the low word of VFPExpandImm is zero).
func (t *translator) VMOVI(f *fields) bool {
	// UNPREDICTABLE: bits 7 and 5 set are UNDEFINED (no pattern), as QEMU.
	if f.D == 0 {
		t.emit(Op{fn: opVMOVIs, rd: vfpR(f.d), imm: vfpExpandImm32(f.i)})
	} else {
		t.emit(Op{fn: opVMOVId, rd: vfpR(f.d), imm: uint32(vfpExpandImm64(f.i) >> 32)})
	}
	return true
}

var vcmpOps = [4][2]opFunc{{opVCMPs, opVCMPd}, {opVCMPEs, opVCMPEd}, {opVCMPZs, opVCMPZd}, {opVCMPEZs, opVCMPEZd}}

// VCMP translates VCMP and VCMPE, with a register or zero.
func (t *translator) VCMP(f *fields) bool {
	// UNPREDICTABLE: the compare-with-zero forms with M or Vm non-zero are
	// UNDEFINED (no pattern), as QEMU.
	t.emit(Op{fn: vcmpOps[f.x][f.D], rd: vfpR(f.d), rm: vfpR(f.m)})
	return true
}

// VCVTDS translates VCVT between single and double precision; D is the
// source precision.
func (t *translator) VCVTDS(f *fields) bool {
	fn := opVCVTds
	if f.D == 1 {
		fn = opVCVTsd
	}
	t.emit(Op{fn: fn, rd: vfpR(f.d), rm: vfpR(f.m)})
	return true
}

// VCVTH translates VCVTB/VCVTT between half and single precision; amt is
// the shift of the half-precision value (0 bottom, 16 top).
func (t *translator) VCVTH(f *fields) bool {
	fn := opVCVTfromHalf
	if f.x == 1 {
		fn = opVCVTtoHalf
	}
	t.emit(Op{fn: fn, rd: vfpR(f.d), rm: vfpR(f.m), amt: uint8(16 * f.T)})
	return true
}

var vcvtifOps = [2][2]opFunc{{opVCVTfromU32s, opVCVTfromU32d}, {opVCVTfromS32s, opVCVTfromS32d}}

// VCVTIF translates VCVT from a 32-bit integer to floating-point.
func (t *translator) VCVTIF(f *fields) bool {
	t.emit(Op{fn: vcvtifOps[f.x][f.D], rd: vfpR(f.d), rm: vfpR(f.m)})
	return true
}

var vcvtfiOps = [4][2]opFunc{
	{opVCVTRtoU32s, opVCVTRtoU32d}, {opVCVTRtoS32s, opVCVTRtoS32d},
	{opVCVTtoU32s, opVCVTtoU32d}, {opVCVTtoS32s, opVCVTtoS32d},
}

// VCVTFI translates VCVT and VCVTR from floating-point to a 32-bit integer.
func (t *translator) VCVTFI(f *fields) bool {
	t.emit(Op{fn: vcvtfiOps[f.x][f.D], rd: vfpR(f.d), rm: vfpR(f.m)})
	return true
}

var vcvtxOps = [2][2]opFunc{{opVCVTfromFixeds, opVCVTfromFixedd}, {opVCVTtoFixeds, opVCVTtoFixedd}}

// VCVTX translates VCVT between floating-point and fixed-point, in place:
// amt is the fixed-point size, sh 1 for unsigned, imm the fraction bits
// (an int32).
func (t *translator) VCVTX(f *fields) bool {
	// UNPREDICTABLE: a 16-bit size with imm5 > 16 gives negative fraction
	// bits, which scale the other way (QEMU's scalbn helpers do the same).
	size := uint8(16)
	if f.x&4 != 0 {
		size = 32
	}
	t.emit(Op{fn: vcvtxOps[f.x>>1&1][f.D], rd: vfpR(f.d), amt: size, sh: uint8(f.x & 1), imm: f.i})
	return true
}

// --- Loads and stores ----------------------------------------------------------

// VLDR translates VLDR.
func (t *translator) VLDR(f *fields) bool { return t.vldrVstr(f, true) }

// VSTR translates VSTR.
func (t *translator) VSTR(f *fields) bool { return t.vldrVstr(f, false) }

// vldrOps by [load][double][PC-relative].
var vldrOps = [2][2][2]opFunc{
	{{opVSTRs, opVSTRsAbs}, {opVSTRd, opVSTRdAbs}},
	{{opVLDRs, opVLDRsAbs}, {opVLDRd, opVLDRdAbs}},
}

// vldrVstr emits a VLDR/VSTR: imm is the signed offset from Rn, or with
// Rn = PC the absolute address Align(PC, 4) + offset.
func (t *translator) vldrVstr(f *fields, load bool) bool {
	// UNPREDICTABLE: T32 VSTR with Rn = PC stores to Align(PC, 4) + offset
	// (QEMU).
	if f.D == 1 && f.d >= 16 && t.vfpD16() {
		return false
	}
	off := f.i
	if f.U == 0 {
		off = -off
	}
	o := Op{rd: vfpR(f.d), rn: uint8(f.n), imm: off}
	lit := 0
	if f.n == 15 {
		lit = 1
		o.rn = 0
		o.imm = t.pcRead()&^3 + off
	}
	o.fn = vldrOps[bool2u(load)][f.D][lit]
	t.emit(o)
	return true
}

// Flags of opVLDM/opVSTM in Op.sh.
const (
	vldmDouble = 1 << iota // doubleword registers: word pairs swap when big-endian
	vldmWB                 // write back Rn + imm2
	vldmAbs                // imm is the absolute start address (Rn = PC)
)

// VLDM translates VLDM, VPOP and FLDMX.
func (t *translator) VLDM(f *fields) bool { return t.vldmVstm(f, opVLDM) }

// VSTM translates VSTM, VPUSH and FSTMX.
func (t *translator) VSTM(f *fields) bool { return t.vldmVstm(f, opVSTM) }

// vldmVstm emits a load/store multiple: rd&63 is the first word, amt the
// number of words, imm the start offset from Rn (or the start address),
// imm2 the writeback offset.
func (t *translator) vldmVstm(f *fields, fn opFunc) bool {
	// UNPREDICTABLE: an empty list, more than 16 doubleword registers, a
	// list past the last register and writeback to the PC are UNDEFINED;
	// T32 with Rn = PC (no writeback) uses Align(PC, 4) (QEMU).
	imm8 := f.i
	var regs, first, words uint32
	var sh uint8
	if f.D == 0 {
		regs, first, words = imm8, f.d, imm8
	} else {
		regs, first, words = imm8/2, 2*f.d, imm8/2*2
		sh |= vldmDouble
		if regs > 16 {
			return false // UNPREDICTABLE: UNDEFINED, as QEMU
		}
	}
	if regs == 0 || f.d+regs > 32 {
		return false // UNPREDICTABLE: UNDEFINED, as QEMU
	}
	if f.D == 1 && f.d+regs > 16 && t.vfpD16() {
		return false // a list reaching D16-D31
	}
	size := imm8 * 4
	var start, wb uint32
	if f.P == 1 { // decrement before (always with writeback)
		start, wb = -size, -size
	} else {
		start, wb = 0, size
	}
	o := Op{fn: fn, rd: uint8(0x40 | first), rn: uint8(f.n), amt: uint8(words), imm: start, imm2: wb}
	if f.W == 1 {
		if f.n == 15 {
			return false // UNPREDICTABLE: UNDEFINED, as QEMU
		}
		sh |= vldmWB
	}
	if f.n == 15 {
		sh |= vldmAbs
		o.rn = 0
		o.imm = t.pcRead()&^3 + start
	}
	o.sh = sh
	t.emit(o)
	return true
}

// --- Register transfers -----------------------------------------------------------

// VMOVSR translates VMOV Sn, Rt.
func (t *translator) VMOVSR(f *fields) bool {
	// UNPREDICTABLE: Rt = 15 reads the PC; Rt = 13 in T32 is allowed (QEMU).
	t.emit(Op{fn: opVMOVtoWord, rn: uint8(f.t), imm: f.n})
	return true
}

// VMOVRS translates VMOV Rt, Sn.
func (t *translator) VMOVRS(f *fields) bool {
	// UNPREDICTABLE: Rt = 15 sets N Z C V from Sn bits 31:28 (QEMU).
	t.emit(Op{fn: opVMOVfromWordNZCV, amt: uint8(f.t), imm: f.n})
	return true
}

// VMOVXR translates VMOV.32 Dn[x], Rt.
func (t *translator) VMOVXR(f *fields) bool {
	if f.n >= 16 && t.vfpD16() {
		return false
	}
	t.emit(Op{fn: opVMOVtoWord, rn: uint8(f.t), imm: 2*f.n + f.z})
	return true
}

// VMOVRX translates VMOV.32 Rt, Dn[x].
func (t *translator) VMOVRX(f *fields) bool {
	// UNPREDICTABLE: Rt = 15 branches to the value (QEMU).
	if f.n >= 16 && t.vfpD16() {
		return false
	}
	fn := opVMOVfromWord
	if f.t == 15 {
		fn = opVMOVfromWordPC
		t.end = true
	}
	t.emit(Op{fn: fn, amt: uint8(f.t), imm: 2*f.n + f.z})
	return true
}

// vmov2First is the first word of a two-register transfer.
func vmov2First(f *fields) uint32 {
	if f.D == 1 {
		return 2 * f.m
	}
	return f.m
}

// VMOV2 translates VMOV Sm, Sm1, Rt, Rt2 and VMOV Dm, Rt, Rt2.
func (t *translator) VMOV2(f *fields) bool {
	// UNPREDICTABLE: Sm = S31 writes "S32", the low half of D16; Rt or
	// Rt2 = 15 reads the PC (QEMU).
	if f.D == 1 && f.m >= 16 && t.vfpD16() {
		return false
	}
	t.emit(Op{fn: opVMOVto2, rn: uint8(f.t), rm: uint8(f.u), imm: vmov2First(f)})
	return true
}

// VMOVR2 translates VMOV Rt, Rt2, Sm, Sm1 and VMOV Rt, Rt2, Dm.
func (t *translator) VMOVR2(f *fields) bool {
	// UNPREDICTABLE: Rt = Rt2 leaves the second value; Rt or Rt2 = 15
	// branches to the value; Sm = S31 reads "S32", the low half of D16
	// (QEMU).
	if f.D == 1 && f.m >= 16 && t.vfpD16() {
		return false
	}
	fn := opVMOVfrom2
	if f.t == 15 || f.u == 15 {
		fn = opVMOVfrom2PC
		t.end = true
	}
	t.emit(Op{fn: fn, amt: uint8(f.t), sh: uint8(f.u), imm: vmov2First(f)})
	return true
}

// VMSR translates VMSR to FPSCR, FPEXC, and (writes ignored) FPSID, MVFR0
// and MVFR1.
func (t *translator) VMSR(f *fields) bool {
	// UNPREDICTABLE: Rt = 15 writes the PC value (QEMU).
	var fn opFunc
	switch f.e {
	case vfpRegFPSCR:
		fn = opVMSRfpscr
	case vfpRegFPEXC:
		fn = opVMSRfpexc
	default:
		fn = opVMSRid
	}
	t.emit(Op{fn: fn, rn: uint8(f.t)})
	return true
}

// VMRS translates VMRS from FPSCR, FPEXC, FPSID, MVFR0 and MVFR1; Rt = 15
// moves bits 31:28 to the APSR flags.
func (t *translator) VMRS(f *fields) bool {
	// UNPREDICTABLE: Rt = 15 with a register other than FPSCR also sets
	// the flags (QEMU).
	o := Op{amt: uint8(f.t)}
	switch f.e {
	case vfpRegFPSCR:
		o.fn = opVMRSfpscr
	case vfpRegFPEXC:
		o.fn = opVMRSfpexc
	case vfpRegFPSID:
		o.fn, o.imm = opVMRSid, vfpFPSID
	case vfpRegMVFR0:
		o.fn, o.imm = opVMRSid, vfpMVFR0
	default:
		o.fn, o.imm = opVMRSid, vfpMVFR1
	}
	t.emit(o)
	return true
}
