// Package softfloat is a bit-exact software model of the floating-point
// arithmetic of the ARMv7 VFPv4 unit and the Advanced SIMD (NEON)
// floating-point operations, following the pseudocode of the ARM ARM
// (DDI0406C, A2.7 "Floating-point data types and arithmetic" and the
// floating-point functions of appendix "Pseudocode definitions").
//
// Values are IEEE 754 bit patterns: uint16 (half precision), uint32
// (single) and uint64 (double). Every operation takes an *Env that carries
// the FPSCR controls (rounding mode, flush-to-zero, default NaN,
// alternative half precision) and accumulates the cumulative exception
// flags in FPSCR bit positions, so a caller ORs Env.Flags into FPSCR.
//
// Arithmetic is done on exact integer significands (math/bits for the wide
// products and quotients) and rounded once by round, the counterpart of the
// ARM ARM's FPRound; no host floating point is involved, so the results do
// not depend on the host's rounding mode or its handling of denormals.
//
// The Advanced SIMD operations use StandardEnv. A few ARMv8 AArch32
// operations (VRINT*, VCVT{A,N,P,M}, VMAXNM/VMINNM, double<->half) are
// included for later profiles; the ARMv7 model does not decode them.
//
// Verification: golden_test.go replays about 680,000 vectors recorded from
// QEMU (qemu-arm -cpu cortex-a15, and -cpu max for the ARMv8 operations)
// covering every operation under every rounding mode with and without
// flush-to-zero and default NaN (and AHP for half precision); see
// testdata/gen for the recipe. fuzz_test.go compares the round-to-nearest
// results with the host's IEEE arithmetic.
//
// Floating-point exception trapping (FPSCR.IDE, IXE, UFE, OFE, DZE, IOE) is
// not modelled: Cortex-A15 does not support it and those bits are RAZ/WI.
package softfloat

// FPSCR bits (ARM ARM, "FPSCR, Floating-point Status and Control
// Register").
const (
	IOC = 1 << 0 // Invalid Operation cumulative flag
	DZC = 1 << 1 // Division by Zero cumulative flag
	OFC = 1 << 2 // Overflow cumulative flag
	UFC = 1 << 3 // Underflow cumulative flag
	IXC = 1 << 4 // Inexact cumulative flag
	IDC = 1 << 7 // Input Denormal cumulative flag

	IOE = 1 << 8  // Invalid Operation trap enable (not supported)
	DZE = 1 << 9  // Division by Zero trap enable (not supported)
	OFE = 1 << 10 // Overflow trap enable (not supported)
	UFE = 1 << 11 // Underflow trap enable (not supported)
	IXE = 1 << 12 // Inexact trap enable (not supported)
	IDE = 1 << 15 // Input Denormal trap enable (not supported)

	LenShift    = 16 // FPSCR.Len, bits 18:16
	LenMask     = 7 << LenShift
	StrideShift = 20 // FPSCR.Stride, bits 21:20
	StrideMask  = 3 << StrideShift
	RModeShift  = 22 // FPSCR.RMode, bits 23:22
	RModeMask   = 3 << RModeShift

	FZ  = 1 << 24 // flush-to-zero mode
	DN  = 1 << 25 // default NaN mode
	AHP = 1 << 26 // alternative half-precision format
	QC  = 1 << 27 // Advanced SIMD saturation flag

	NZCVShift = 28 // FPSCR.{N,Z,C,V}, bits 31:28
	NZCVMask  = 0xf << NZCVShift

	// FlagsMask selects the cumulative exception flags.
	FlagsMask = IOC | DZC | OFC | UFC | IXC | IDC
)

// RoundingMode is a floating-point rounding mode. The first four values are
// the FPSCR.RMode encodings.
type RoundingMode uint8

const (
	RoundNearest  RoundingMode = 0 // RN: to nearest, ties to even
	RoundPlusInf  RoundingMode = 1 // RP: towards plus infinity
	RoundMinusInf RoundingMode = 2 // RM: towards minus infinity
	RoundZero     RoundingMode = 3 // RZ: towards zero
	// RoundTiesAway is to nearest with ties away from zero. It has no FPSCR
	// encoding; only the ARMv8 VRINTA and VCVTA instructions use it.
	RoundTiesAway RoundingMode = 4
)

// Env is the floating-point environment of one operation: the FPSCR
// controls it reads and the cumulative flags it raises.
type Env struct {
	RMode RoundingMode // rounding mode; RoundTiesAway is not valid here
	FZ    bool         // flush denormal inputs and results to zero
	DN    bool         // return the default NaN instead of propagating
	AHP   bool         // half precision uses the alternative format
	// Flags accumulates the exception flags raised, in FPSCR bit positions
	// (IOC, DZC, OFC, UFC, IXC, IDC). Operations only ever set bits.
	Flags uint32
}

// EnvFromFPSCR returns the environment VFP instructions use: the controls
// of fpscr, with no flags raised yet.
func EnvFromFPSCR(fpscr uint32) Env {
	return Env{
		RMode: RoundingMode(fpscr >> RModeShift & 3),
		FZ:    fpscr&FZ != 0,
		DN:    fpscr&DN != 0,
		AHP:   fpscr&AHP != 0,
	}
}

// StandardEnv returns the environment of Advanced SIMD instructions, the
// ARM ARM's StandardFPSCRValue(): round to nearest, flush-to-zero and
// default NaN, with only FPSCR.AHP taken from fpscr.
func StandardEnv(fpscr uint32) Env {
	return Env{RMode: RoundNearest, FZ: true, DN: true, AHP: fpscr&AHP != 0}
}

// Default NaNs (FPDefaultNaN): positive, quiet, zero payload.
const (
	DefaultNaN16 uint16 = 0x7e00
	DefaultNaN32 uint32 = 0x7fc00000
	DefaultNaN64 uint64 = 0x7ff8000000000000
)
