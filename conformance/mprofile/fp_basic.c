/* fp_basic: FPv4-SP arithmetic (Cortex-M4). BOARDS: an386
 * Each operation runs in inline assembly on bit patterns and prints the
 * result and the FPSCR flags it left (NZCV and the cumulative exception bits
 * IOC DZC OFC UFC IXC IDC), starting from FPSCR = the given control bits:
 * VADD/VSUB/VMUL/VDIV/VSQRT, VMLA/VMLS/VNMUL/VFMA/VFMS/VFNMA, VABS/VNEG, VCMP
 * and VCMPE (with NaNs), VCVT between f32 and s32/u32 (round towards zero
 * and FPSCR rounding), fixed-point VCVT, half precision VCVTB/VCVTT (IEEE
 * and AHP), every rounding mode, flush-to-zero, default NaN, NaN
 * propagation and quieting, VMOV immediate, MVFR0/1. */
#include "rt.h"

#define BIN(name, insn)                                                                     \
    static NOINLINE u32 name(u32 a, u32 b, u32 fpscr_in, u32 *fpscr_out)                    \
    {                                                                                       \
        u32 r, f;                                                                           \
        __asm__ volatile("vmsr fpscr, %4\n\tvmov s0, %2\n\tvmov s1, %3\n\tvmov s2, %2\n\t" \
                         insn "\n\tvmov %0, s2\n\tvmrs %1, fpscr"                            \
                         : "=r"(r), "=r"(f) : "r"(a), "r"(b), "r"(fpscr_in) : "s0", "s1", "s2"); \
        *fpscr_out = f;                                                                     \
        return r;                                                                           \
    }

BIN(f_add, "vadd.f32 s2, s0, s1")
BIN(f_sub, "vsub.f32 s2, s0, s1")
BIN(f_mul, "vmul.f32 s2, s0, s1")
BIN(f_div, "vdiv.f32 s2, s0, s1")
BIN(f_sqrt, "vsqrt.f32 s2, s0")
BIN(f_mla, "vmla.f32 s2, s0, s1")
BIN(f_mls, "vmls.f32 s2, s0, s1")
BIN(f_nmul, "vnmul.f32 s2, s0, s1")
BIN(f_fma, "vfma.f32 s2, s0, s1")
BIN(f_fms, "vfms.f32 s2, s0, s1")
BIN(f_fnma, "vfnma.f32 s2, s0, s1")
BIN(f_abs, "vabs.f32 s2, s0")
BIN(f_neg, "vneg.f32 s2, s0")
BIN(f_cmp, "vcmp.f32 s0, s1\n\tvmrs APSR_nzcv, fpscr\n\tmrs r12, apsr\n\tvmov s2, r12")
BIN(f_cmpe, "vcmpe.f32 s0, s1\n\tvmrs APSR_nzcv, fpscr\n\tmrs r12, apsr\n\tvmov s2, r12")
BIN(f_cmpz, "vcmp.f32 s0, #0.0\n\tvmrs APSR_nzcv, fpscr\n\tmrs r12, apsr\n\tvmov s2, r12")
BIN(f_tosi, "vcvt.s32.f32 s2, s0")
BIN(f_tosir, "vcvtr.s32.f32 s2, s0")
BIN(f_toui, "vcvt.u32.f32 s2, s0")
BIN(f_fromsi, "vcvt.f32.s32 s2, s0")
BIN(f_fromui, "vcvt.f32.u32 s2, s0")
BIN(f_tofix, "vcvt.s32.f32 s2, s2, #16")
BIN(f_fromfix, "vcvt.f32.s16 s2, s2, #8")
BIN(f_tohalf, "vcvtb.f16.f32 s2, s0\n\tvcvtt.f16.f32 s2, s1")
BIN(f_fromhalf, "vcvtt.f32.f16 s2, s0")

typedef u32 (*binop)(u32, u32, u32, u32 *);

static void flags(u32 f)
{
    static const char n[] = "NZCV";
    for (int i = 0; i < 4; i++)
        P("%c", (f >> (31 - i)) & 1 ? n[i] : '-');
    static const char *const e[] = {"IOC", "DZC", "OFC", "UFC", "IXC"};
    for (int i = 0; i < 5; i++)
        if (f & (1u << i))
            P(" %s", e[i]);
    if (f & 0x80)
        P(" IDC");
}

static void run(const char *name, binop op, u32 a, u32 b, u32 ctl)
{
    u32 f;
    u32 r = op(a, b, ctl, &f);
    P("%-8s %08x %08x [%08x] = %08x  ", name, a, b, ctl, r);
    flags(f);
    P("\n");
}

#define ONE 0x3f800000u
#define TWO 0x40000000u
#define THREE 0x40400000u
#define INF 0x7f800000u
#define NINF 0xff800000u
#define QNAN 0x7fc00001u
#define SNAN 0x7f800001u
#define MAXF 0x7f7fffffu
#define MINN 0x00800000u /* smallest normal */
#define DEN 0x00000001u  /* smallest denormal */
#define THIRD 0x3eaaaaabu
#define FZ (1u << 24)
#define DN (1u << 25)
#define AHP (1u << 26)
#define RM(m) ((u32)(m) << 22)

int main(void)
{
    P("MVFR0=%08x MVFR1=%08x FPSCR at start=%08x\n", REG(MVFR0), REG(MVFR1), ({
          u32 v;
          __asm__ volatile("vmrs %0, fpscr" : "=r"(v));
          v;
      }));
    run("add", f_add, ONE, TWO, 0);
    run("add", f_add, MAXF, MAXF, 0);
    run("add", f_add, INF, NINF, 0);
    run("add", f_add, ONE, 0x33800000, 0); /* 1 + 2^-24: ties to even */
    run("add", f_add, ONE, 0x33800001, 0);
    run("sub", f_sub, ONE, ONE, 0);
    run("sub", f_sub, ONE, ONE, RM(2)); /* -0 in round towards minus */
    run("mul", f_mul, THIRD, THREE, 0);
    run("mul", f_mul, MINN, 0x3f000000, 0); /* underflow to denormal */
    run("mul", f_mul, MINN, 0x3f000000, FZ);
    run("mul", f_mul, INF, 0, 0);
    run("div", f_div, ONE, THREE, 0);
    for (int m = 0; m < 4; m++)
        run("div", f_div, ONE, THREE, RM(m));
    run("div", f_div, ONE, 0, 0);
    run("div", f_div, 0, 0, 0);
    run("div", f_div, 0x80000000, INF, 0);
    run("sqrt", f_sqrt, TWO, 0, 0);
    run("sqrt", f_sqrt, 0xbf800000, 0, 0);
    run("sqrt", f_sqrt, 0x80000000, 0, 0);
    run("mla", f_mla, TWO, THREE, 0); /* s2 starts as a: 2 + 2*3 */
    run("mls", f_mls, TWO, THREE, 0);
    run("nmul", f_nmul, TWO, THREE, 0);
    run("fma", f_fma, THIRD, THREE, 0);
    run("fms", f_fms, THIRD, THREE, 0);
    run("fnma", f_fnma, THIRD, THREE, 0);
    run("abs", f_abs, 0xc0490fdb, 0, 0);
    run("abs", f_abs, 0xffc00000, 0, 0);
    run("neg", f_neg, SNAN, 0, 0);
    P("NaNs:\n");
    run("add", f_add, QNAN, ONE, 0);
    run("add", f_add, ONE, SNAN, 0);
    run("add", f_add, QNAN, SNAN, 0);
    run("add", f_add, 0xffc12345, 0x7fc54321, 0);
    run("add", f_add, QNAN, ONE, DN);
    run("mul", f_mul, SNAN, ONE, DN);
    P("denormals:\n");
    run("add", f_add, DEN, DEN, 0);
    run("add", f_add, DEN, DEN, FZ);
    run("add", f_add, DEN, ONE, FZ);
    run("mul", f_mul, 0x00400000, TWO, 0);
    P("compare:\n");
    run("cmp", f_cmp, ONE, TWO, 0);
    run("cmp", f_cmp, TWO, ONE, 0);
    run("cmp", f_cmp, ONE, ONE, 0);
    run("cmp", f_cmp, 0, 0x80000000, 0);
    run("cmp", f_cmp, QNAN, ONE, 0);
    run("cmp", f_cmp, SNAN, ONE, 0);
    run("cmpe", f_cmpe, QNAN, ONE, 0);
    run("cmpz", f_cmpz, 0x80000000, 0, 0);
    run("cmpz", f_cmpz, NINF, 0, 0);
    P("conversions:\n");
    static const u32 cv[] = {0x3fc00000, 0x40200000, 0xbfc00000, 0x4f000000, 0xcf000001, 0x4f800000, QNAN,
                             NINF, 0x3effffff};
    for (int i = 0; i < ARRAY_LEN(cv); i++) {
        run("tosi", f_tosi, cv[i], 0, 0);
        run("tosir", f_tosir, cv[i], 0, 0);
        run("tosirm", f_tosir, cv[i], 0, RM(2));
        run("toui", f_toui, cv[i], 0, 0);
    }
    run("fromsi", f_fromsi, 0x80000000, 0, 0);
    run("fromsi", f_fromsi, 0x7fffffff, 0, 0);
    run("fromsi", f_fromsi, 0x01000001, 0, RM(3));
    run("fromui", f_fromui, 0xffffffff, 0, 0);
    run("tofix", f_tofix, 0x40490fdb, 0, 0);
    run("tofix", f_tofix, 0x47000000, 0, 0);
    run("fromfix", f_fromfix, 0xffff8001, 0, 0);
    run("fromfix", f_fromfix, 0x00000180, 0, 0);
    run("tohalf", f_tohalf, 0x3fc00000, 0x477fe000, 0);
    run("tohalf", f_tohalf, 0x47800000, 0x33000000, 0);
    run("tohalf", f_tohalf, 0x47800000, QNAN, AHP);
    run("tohalf", f_tohalf, INF, 0x38800000, 0);
    run("fromhalf", f_fromhalf, 0x7c000000, 0, 0);
    run("fromhalf", f_fromhalf, 0x7c000000, 0, AHP);
    run("fromhalf", f_fromhalf, 0x03ff0000, 0, 0);
    run("fromhalf", f_fromhalf, 0x7e010000, 0, 0);
    u32 imm;
    __asm__ volatile("vmov.f32 s3, #-1.25\n\tvmov %0, s3" : "=r"(imm) :: "s3");
    P("vmov.f32 #-1.25 = %08x\n", imm);
    __asm__ volatile("vmov.f32 s3, #31.0\n\tvmov %0, s3" : "=r"(imm) :: "s3");
    P("vmov.f32 #31.0 = %08x\n", imm);
    u32 fpscr = 0xffffffff;
    __asm__ volatile("vmsr fpscr, %0\n\tvmrs %0, fpscr" : "+r"(fpscr));
    P("FPSCR <- ffffffff: %08x\n", fpscr);
    fpscr = 0;
    __asm__ volatile("vmsr fpscr, %0" :: "r"(fpscr));
    return 0;
}
