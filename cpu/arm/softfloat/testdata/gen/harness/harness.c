/*
 * harness runs single VFP and Advanced SIMD floating-point instructions for
 * the softfloat golden-vector generator (main.go), under qemu-arm.
 *
 * Each input line is "<instruction> <fpscr> <a> <b> <c>" (hex operands,
 * up to 64 bits). The harness writes FPSCR, loads the operands into fixed
 * registers, runs the instruction, reads FPSCR back and prints
 * "<result> <fpscr>" in hex. Register conventions:
 *
 *   S ops: s0 = a, s1 = b, s2 = c; result s2
 *   D ops: d0 = a, d1 = b, d2 = c; result d2 (s4 for single results;
 *          s0 is the low half of a for single or half sources)
 *   N ops (Advanced SIMD, both lanes equal): d0 = {a, a}, d1 = {b, b},
 *          d2 = {c, c}; result s4 (lane 0 of d2)
 *
 * ARMv8 instructions (for qemu-arm -cpu max) are given as .inst words so
 * that the file assembles for ARMv7 with -mfpu=vfpv4.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void opfn(uint32_t fpscr, uint64_t a, uint64_t b, uint64_t c,
                  uint64_t *res, uint32_t *st);

#define DEF_S(id, name, insn)                                              \
	static void id(uint32_t fpscr, uint64_t a, uint64_t b, uint64_t c,     \
	               uint64_t *res, uint32_t *st)                            \
	{                                                                      \
		uint32_t r, f;                                                     \
		__asm__ volatile("vmov s0, %[a]\n\t"                               \
		                 "vmov s1, %[b]\n\t"                               \
		                 "vmov s2, %[c]\n\t"                               \
		                 "vmsr fpscr, %[fpscr]\n\t" insn "\n\t"            \
		                 "vmrs %[f], fpscr\n\t"                            \
		                 "vmov %[r], s2\n\t"                               \
		                 "vmsr fpscr, %[zero]\n\t"                         \
		                 : [r] "=&r"(r), [f] "=&r"(f)                      \
		                 : [a] "r"((uint32_t)a), [b] "r"((uint32_t)b),     \
		                   [c] "r"((uint32_t)c), [fpscr] "r"(fpscr),       \
		                   [zero] "r"(0)                                   \
		                 : "d0", "d1", "d2", "memory");                    \
		*res = r;                                                          \
		*st = f;                                                           \
	}

#define DEF_D(id, name, insn)                                              \
	static void id(uint32_t fpscr, uint64_t a, uint64_t b, uint64_t c,     \
	               uint64_t *res, uint32_t *st)                            \
	{                                                                      \
		uint64_t r;                                                        \
		uint32_t f;                                                        \
		__asm__ volatile("vmov d0, %Q[a], %R[a]\n\t"                       \
		                 "vmov d1, %Q[b], %R[b]\n\t"                       \
		                 "vmov d2, %Q[c], %R[c]\n\t"                       \
		                 "vmsr fpscr, %[fpscr]\n\t" insn "\n\t"            \
		                 "vmrs %[f], fpscr\n\t"                            \
		                 "vmov %Q[r], %R[r], d2\n\t"                       \
		                 "vmsr fpscr, %[zero]\n\t"                         \
		                 : [r] "=&r"(r), [f] "=&r"(f)                      \
		                 : [a] "r"(a), [b] "r"(b), [c] "r"(c),             \
		                   [fpscr] "r"(fpscr), [zero] "r"(0)               \
		                 : "d0", "d1", "d2", "memory");                    \
		*res = r;                                                          \
		*st = f;                                                           \
	}

#define DEF_N(id, name, insn)                                              \
	static void id(uint32_t fpscr, uint64_t a, uint64_t b, uint64_t c,     \
	               uint64_t *res, uint32_t *st)                            \
	{                                                                      \
		uint32_t r, f;                                                     \
		uint32_t a32 = a, b32 = b, c32 = c;                                \
		__asm__ volatile("vmov d0, %[a], %[a]\n\t"                         \
		                 "vmov d1, %[b], %[b]\n\t"                         \
		                 "vmov d2, %[c], %[c]\n\t"                         \
		                 "vmsr fpscr, %[fpscr]\n\t" insn "\n\t"            \
		                 "vmrs %[f], fpscr\n\t"                            \
		                 "vmov %[r], s4\n\t"                               \
		                 "vmsr fpscr, %[zero]\n\t"                         \
		                 : [r] "=&r"(r), [f] "=&r"(f)                      \
		                 : [a] "r"(a32), [b] "r"(b32), [c] "r"(c32),       \
		                   [fpscr] "r"(fpscr), [zero] "r"(0)               \
		                 : "d0", "d1", "d2", "memory");                    \
		*res = r;                                                          \
		*st = f;                                                           \
	}

/* Fixed-point VCVT works in place: copy the operand to the destination. */
#define FIX_S(X, fb)                                                                        \
	X(s_tosh##fb, "vcvt.s16.f32#" #fb, "vmov.f32 s2, s0\n\tvcvt.s16.f32 s2, s2, #" #fb)     \
	X(s_touh##fb, "vcvt.u16.f32#" #fb, "vmov.f32 s2, s0\n\tvcvt.u16.f32 s2, s2, #" #fb)     \
	X(s_shto##fb, "vcvt.f32.s16#" #fb, "vmov.f32 s2, s0\n\tvcvt.f32.s16 s2, s2, #" #fb)     \
	X(s_uhto##fb, "vcvt.f32.u16#" #fb, "vmov.f32 s2, s0\n\tvcvt.f32.u16 s2, s2, #" #fb)
#define FIX_S32(X, fb)                                                                      \
	X(s_tosl##fb, "vcvt.s32.f32#" #fb, "vmov.f32 s2, s0\n\tvcvt.s32.f32 s2, s2, #" #fb)     \
	X(s_toul##fb, "vcvt.u32.f32#" #fb, "vmov.f32 s2, s0\n\tvcvt.u32.f32 s2, s2, #" #fb)     \
	X(s_slto##fb, "vcvt.f32.s32#" #fb, "vmov.f32 s2, s0\n\tvcvt.f32.s32 s2, s2, #" #fb)     \
	X(s_ulto##fb, "vcvt.f32.u32#" #fb, "vmov.f32 s2, s0\n\tvcvt.f32.u32 s2, s2, #" #fb)
#define FIX_D(X, fb)                                                                        \
	X(d_tosh##fb, "vcvt.s16.f64#" #fb, "vmov.f64 d2, d0\n\tvcvt.s16.f64 d2, d2, #" #fb)     \
	X(d_touh##fb, "vcvt.u16.f64#" #fb, "vmov.f64 d2, d0\n\tvcvt.u16.f64 d2, d2, #" #fb)     \
	X(d_shto##fb, "vcvt.f64.s16#" #fb, "vmov.f64 d2, d0\n\tvcvt.f64.s16 d2, d2, #" #fb)     \
	X(d_uhto##fb, "vcvt.f64.u16#" #fb, "vmov.f64 d2, d0\n\tvcvt.f64.u16 d2, d2, #" #fb)
#define FIX_D32(X, fb)                                                                      \
	X(d_tosl##fb, "vcvt.s32.f64#" #fb, "vmov.f64 d2, d0\n\tvcvt.s32.f64 d2, d2, #" #fb)     \
	X(d_toul##fb, "vcvt.u32.f64#" #fb, "vmov.f64 d2, d0\n\tvcvt.u32.f64 d2, d2, #" #fb)     \
	X(d_slto##fb, "vcvt.f64.s32#" #fb, "vmov.f64 d2, d0\n\tvcvt.f64.s32 d2, d2, #" #fb)     \
	X(d_ulto##fb, "vcvt.f64.u32#" #fb, "vmov.f64 d2, d0\n\tvcvt.f64.u32 d2, d2, #" #fb)

#define S_OPS(X)                                                           \
	X(s_add, "vadd.f32", "vadd.f32 s2, s0, s1")                            \
	X(s_sub, "vsub.f32", "vsub.f32 s2, s0, s1")                            \
	X(s_mul, "vmul.f32", "vmul.f32 s2, s0, s1")                            \
	X(s_nmul, "vnmul.f32", "vnmul.f32 s2, s0, s1")                         \
	X(s_div, "vdiv.f32", "vdiv.f32 s2, s0, s1")                            \
	X(s_sqrt, "vsqrt.f32", "vsqrt.f32 s2, s0")                             \
	X(s_mla, "vmla.f32", "vmla.f32 s2, s0, s1")                            \
	X(s_mls, "vmls.f32", "vmls.f32 s2, s0, s1")                            \
	X(s_nmla, "vnmla.f32", "vnmla.f32 s2, s0, s1")                         \
	X(s_nmls, "vnmls.f32", "vnmls.f32 s2, s0, s1")                         \
	X(s_fma, "vfma.f32", "vfma.f32 s2, s0, s1")                            \
	X(s_fms, "vfms.f32", "vfms.f32 s2, s0, s1")                            \
	X(s_fnma, "vfnma.f32", "vfnma.f32 s2, s0, s1")                         \
	X(s_fnms, "vfnms.f32", "vfnms.f32 s2, s0, s1")                         \
	X(s_neg, "vneg.f32", "vneg.f32 s2, s0")                                \
	X(s_abs, "vabs.f32", "vabs.f32 s2, s0")                                \
	X(s_cmp, "vcmp.f32", "vcmp.f32 s0, s1")                                \
	X(s_cmpe, "vcmpe.f32", "vcmpe.f32 s0, s1")                             \
	X(s_cmpz, "vcmp.f32#0", "vcmp.f32 s0, #0")                             \
	X(s_cmpez, "vcmpe.f32#0", "vcmpe.f32 s0, #0")                          \
	X(s_tosiz, "vcvt.s32.f32", "vcvt.s32.f32 s2, s0")                      \
	X(s_touiz, "vcvt.u32.f32", "vcvt.u32.f32 s2, s0")                      \
	X(s_tosi, "vcvtr.s32.f32", "vcvtr.s32.f32 s2, s0")                     \
	X(s_toui, "vcvtr.u32.f32", "vcvtr.u32.f32 s2, s0")                     \
	X(s_sito, "vcvt.f32.s32", "vcvt.f32.s32 s2, s0")                       \
	X(s_uito, "vcvt.f32.u32", "vcvt.f32.u32 s2, s0")                       \
	X(s_tof16, "vcvtb.f16.f32", "vcvtb.f16.f32 s2, s0")                    \
	X(s_fromf16, "vcvtb.f32.f16", "vcvtb.f32.f16 s2, s0")                  \
	X(s_tof16t, "vcvtt.f16.f32", "vcvtt.f16.f32 s2, s0")                   \
	X(s_fromf16t, "vcvtt.f32.f16", "vcvtt.f32.f16 s2, s0")                 \
	FIX_S(X, 1) FIX_S(X, 8) FIX_S(X, 16)                                   \
	FIX_S32(X, 1) FIX_S32(X, 16) FIX_S32(X, 32)                            \
	X(s_rintr, "vrintr.f32", ".inst 0xeeb61a40")                           \
	X(s_rintz, "vrintz.f32", ".inst 0xeeb61ac0")                           \
	X(s_rintx, "vrintx.f32", ".inst 0xeeb71a40")                           \
	X(s_rinta, "vrinta.f32", ".inst 0xfeb81a40")                           \
	X(s_rintn, "vrintn.f32", ".inst 0xfeb91a40")                           \
	X(s_rintp, "vrintp.f32", ".inst 0xfeba1a40")                           \
	X(s_rintm, "vrintm.f32", ".inst 0xfebb1a40")                           \
	X(s_cvtas, "vcvta.s32.f32", ".inst 0xfebc1ac0")                        \
	X(s_cvtau, "vcvta.u32.f32", ".inst 0xfebc1a40")                        \
	X(s_cvtns, "vcvtn.s32.f32", ".inst 0xfebd1ac0")                        \
	X(s_cvtnu, "vcvtn.u32.f32", ".inst 0xfebd1a40")                        \
	X(s_cvtps, "vcvtp.s32.f32", ".inst 0xfebe1ac0")                        \
	X(s_cvtpu, "vcvtp.u32.f32", ".inst 0xfebe1a40")                        \
	X(s_cvtms, "vcvtm.s32.f32", ".inst 0xfebf1ac0")                        \
	X(s_cvtmu, "vcvtm.u32.f32", ".inst 0xfebf1a40")                        \
	X(s_maxnm, "vmaxnm.f32", ".inst 0xfe801a20")                           \
	X(s_minnm, "vminnm.f32", ".inst 0xfe801a60")

#define D_OPS(X)                                                           \
	X(d_add, "vadd.f64", "vadd.f64 d2, d0, d1")                            \
	X(d_sub, "vsub.f64", "vsub.f64 d2, d0, d1")                            \
	X(d_mul, "vmul.f64", "vmul.f64 d2, d0, d1")                            \
	X(d_nmul, "vnmul.f64", "vnmul.f64 d2, d0, d1")                         \
	X(d_div, "vdiv.f64", "vdiv.f64 d2, d0, d1")                            \
	X(d_sqrt, "vsqrt.f64", "vsqrt.f64 d2, d0")                             \
	X(d_mla, "vmla.f64", "vmla.f64 d2, d0, d1")                            \
	X(d_mls, "vmls.f64", "vmls.f64 d2, d0, d1")                            \
	X(d_nmla, "vnmla.f64", "vnmla.f64 d2, d0, d1")                         \
	X(d_nmls, "vnmls.f64", "vnmls.f64 d2, d0, d1")                         \
	X(d_fma, "vfma.f64", "vfma.f64 d2, d0, d1")                            \
	X(d_fms, "vfms.f64", "vfms.f64 d2, d0, d1")                            \
	X(d_fnma, "vfnma.f64", "vfnma.f64 d2, d0, d1")                         \
	X(d_fnms, "vfnms.f64", "vfnms.f64 d2, d0, d1")                         \
	X(d_neg, "vneg.f64", "vneg.f64 d2, d0")                                \
	X(d_abs, "vabs.f64", "vabs.f64 d2, d0")                                \
	X(d_cmp, "vcmp.f64", "vcmp.f64 d0, d1")                                \
	X(d_cmpe, "vcmpe.f64", "vcmpe.f64 d0, d1")                             \
	X(d_cmpz, "vcmp.f64#0", "vcmp.f64 d0, #0")                             \
	X(d_cmpez, "vcmpe.f64#0", "vcmpe.f64 d0, #0")                          \
	X(d_tosiz, "vcvt.s32.f64", "vcvt.s32.f64 s4, d0")                      \
	X(d_touiz, "vcvt.u32.f64", "vcvt.u32.f64 s4, d0")                      \
	X(d_tosi, "vcvtr.s32.f64", "vcvtr.s32.f64 s4, d0")                     \
	X(d_toui, "vcvtr.u32.f64", "vcvtr.u32.f64 s4, d0")                     \
	X(d_sito, "vcvt.f64.s32", "vcvt.f64.s32 d2, s0")                       \
	X(d_uito, "vcvt.f64.u32", "vcvt.f64.u32 d2, s0")                       \
	X(d_fromf32, "vcvt.f64.f32", "vcvt.f64.f32 d2, s0")                    \
	X(d_tof32, "vcvt.f32.f64", "vcvt.f32.f64 s4, d0")                      \
	FIX_D(X, 1) FIX_D(X, 8) FIX_D(X, 16)                                   \
	FIX_D32(X, 1) FIX_D32(X, 16) FIX_D32(X, 32)                            \
	X(d_tof16, "vcvtb.f16.f64", ".inst 0xeeb32b40")                        \
	X(d_fromf16, "vcvtb.f64.f16", ".inst 0xeeb22b40")                      \
	X(d_rintr, "vrintr.f64", ".inst 0xeeb62b40")                           \
	X(d_rintz, "vrintz.f64", ".inst 0xeeb62bc0")                           \
	X(d_rintx, "vrintx.f64", ".inst 0xeeb72b40")                           \
	X(d_rinta, "vrinta.f64", ".inst 0xfeb82b40")                           \
	X(d_rintn, "vrintn.f64", ".inst 0xfeb92b40")                           \
	X(d_rintp, "vrintp.f64", ".inst 0xfeba2b40")                           \
	X(d_rintm, "vrintm.f64", ".inst 0xfebb2b40")                           \
	X(d_cvtas, "vcvta.s32.f64", ".inst 0xfebc2bc0")                        \
	X(d_cvtau, "vcvta.u32.f64", ".inst 0xfebc2b40")                        \
	X(d_cvtns, "vcvtn.s32.f64", ".inst 0xfebd2bc0")                        \
	X(d_cvtnu, "vcvtn.u32.f64", ".inst 0xfebd2b40")                        \
	X(d_cvtps, "vcvtp.s32.f64", ".inst 0xfebe2bc0")                        \
	X(d_cvtpu, "vcvtp.u32.f64", ".inst 0xfebe2b40")                        \
	X(d_cvtms, "vcvtm.s32.f64", ".inst 0xfebf2bc0")                        \
	X(d_cvtmu, "vcvtm.u32.f64", ".inst 0xfebf2b40")                        \
	X(d_maxnm, "vmaxnm.f64", ".inst 0xfe802b01")                           \
	X(d_minnm, "vminnm.f64", ".inst 0xfe802b41")

#define N_OPS(X)                                                           \
	X(n_add, "neon:vadd.f32", "vadd.f32 d2, d0, d1")                       \
	X(n_sub, "neon:vsub.f32", "vsub.f32 d2, d0, d1")                       \
	X(n_mul, "neon:vmul.f32", "vmul.f32 d2, d0, d1")                       \
	X(n_mla, "neon:vmla.f32", "vmla.f32 d2, d0, d1")                       \
	X(n_mls, "neon:vmls.f32", "vmls.f32 d2, d0, d1")                       \
	X(n_fma, "neon:vfma.f32", "vfma.f32 d2, d0, d1")                       \
	X(n_fms, "neon:vfms.f32", "vfms.f32 d2, d0, d1")                       \
	X(n_abd, "neon:vabd.f32", "vabd.f32 d2, d0, d1")                       \
	X(n_max, "neon:vmax.f32", "vmax.f32 d2, d0, d1")                       \
	X(n_min, "neon:vmin.f32", "vmin.f32 d2, d0, d1")                       \
	X(n_ceq, "neon:vceq.f32", "vceq.f32 d2, d0, d1")                       \
	X(n_cge, "neon:vcge.f32", "vcge.f32 d2, d0, d1")                       \
	X(n_cgt, "neon:vcgt.f32", "vcgt.f32 d2, d0, d1")                       \
	X(n_acge, "neon:vacge.f32", "vacge.f32 d2, d0, d1")                    \
	X(n_acgt, "neon:vacgt.f32", "vacgt.f32 d2, d0, d1")                    \
	X(n_recps, "neon:vrecps.f32", "vrecps.f32 d2, d0, d1")                 \
	X(n_rsqrts, "neon:vrsqrts.f32", "vrsqrts.f32 d2, d0, d1")              \
	X(n_recpe, "neon:vrecpe.f32", "vrecpe.f32 d2, d0")                     \
	X(n_rsqrte, "neon:vrsqrte.f32", "vrsqrte.f32 d2, d0")                  \
	X(n_recpeu, "neon:vrecpe.u32", "vrecpe.u32 d2, d0")                    \
	X(n_rsqrteu, "neon:vrsqrte.u32", "vrsqrte.u32 d2, d0")                 \
	X(n_tos, "neon:vcvt.s32.f32", "vcvt.s32.f32 d2, d0")                   \
	X(n_tou, "neon:vcvt.u32.f32", "vcvt.u32.f32 d2, d0")                   \
	X(n_sto, "neon:vcvt.f32.s32", "vcvt.f32.s32 d2, d0")                   \
	X(n_uto, "neon:vcvt.f32.u32", "vcvt.f32.u32 d2, d0")                   \
	X(n_tos16, "neon:vcvt.s32.f32#16", "vcvt.s32.f32 d2, d0, #16")         \
	X(n_uto16, "neon:vcvt.f32.u32#16", "vcvt.f32.u32 d2, d0, #16")

S_OPS(DEF_S)
D_OPS(DEF_D)
N_OPS(DEF_N)

#define ENTRY(id, name, insn) {name, id},
static const struct {
	const char *name;
	opfn *fn;
} ops[] = {S_OPS(ENTRY) D_OPS(ENTRY) N_OPS(ENTRY)};

static opfn *lookup(const char *name)
{
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (strcmp(ops[i].name, name) == 0)
			return ops[i].fn;
	return NULL;
}

int main(int argc, char **argv)
{
	char line[256], name[64], last[64] = "";
	opfn *fn = NULL;

	if (argc > 1 && strcmp(argv[1], "-l") == 0) {
		for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
			printf("%s\n", ops[i].name);
		return 0;
	}
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	while (fgets(line, sizeof line, stdin)) {
		unsigned long long a, b, c;
		unsigned int fpscr;
		uint64_t res;
		uint32_t st;

		if (sscanf(line, "%63s %x %llx %llx %llx", name, &fpscr, &a, &b, &c) != 5) {
			fprintf(stderr, "harness: bad line: %s", line);
			return 2;
		}
		if (strcmp(name, last) != 0) {
			fn = lookup(name);
			if (fn == NULL) {
				fprintf(stderr, "harness: unknown instruction %s\n", name);
				return 2;
			}
			strcpy(last, name);
		}
		fn(fpscr, a, b, c, &res, &st);
		printf("%llx %x\n", (unsigned long long)res, st);
	}
	return 0;
}
