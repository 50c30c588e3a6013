/* dsp_undef: the Cortex-M3 has no DSP extension, so those encodings are
 * UNDEFINED there: each of these raises UsageFault UNDEFINSTR (the M4 runs
 * them; see dsp). SSAT/USAT, the plain extends (SXTB/UXTH...), CLZ, RBIT,
 * REV, SDIV/UDIV and MLS are ARMv7-M base instructions and work.
 * BOARDS: an385 lm3s6965evb
 *
 * The references ref/dsp_undef-*.ref are written by hand from the ARMv7-M
 * ARM (DDI 0403E), not recorded: A7.7 lists SMUAD, UXTAB, USAD8 and SSAT16
 * as ARMv7E-M only (DSP extension), so they are UNDEFINED on the Cortex-M3.
 * QEMU 7.2 executes these four on cortex-m3 (e.g. trans_USADA8 checks only
 * ENABLE_ARCH_6, not ARM_FEATURE_THUMB_DSP); see README.md. */
#include "rt.h"

#define TRY(name, insn)                                                                          \
    do {                                                                                         \
        u32 _n = rt_exc_count, _r;                                                               \
        rt_mark = LABEL_ADDR(name);                                                              \
        __asm__ volatile("mov r0, #0x1234\n\tmov r1, #0x56\n\tmov r2, #7\n\tmov r3, #0\n\t.global " #name "\n" #name \
                         ":\n\t" insn "\n\tmov %0, r3"                                           \
                         : "=r"(_r) :: "r0", "r1", "r2", "r3", "memory", "cc");                  \
        if (rt_exc_count == _n)                                                                  \
            P("%-32s ok r3=%08x\n", insn, _r);                                                   \
        else                                                                                     \
            P("%-32s faulted\n", insn);                                                          \
    } while (0)

int main(void)
{
    REG(SHCSR) |= SHCSR_USGFAULTENA;
    rt_quiet = 1;
    __asm__ volatile(".arch armv7e-m" ::: "memory");
    TRY(x_sadd16, "sadd16 r3, r0, r1");
    TRY(x_uqsub8, "uqsub8 r3, r0, r1");
    TRY(x_qadd, "qadd r3, r0, r1");
    TRY(x_smlabb, "smlabb r3, r0, r1, r2");
    TRY(x_smuad, "smuad r3, r0, r1");
    TRY(x_smmul, "smmul r3, r0, r1");
    TRY(x_sel, "sel r3, r0, r1");
    TRY(x_pkhbt, "pkhbt r3, r0, r1");
    TRY(x_sxtab16, "sxtab16 r3, r0, r1");
    TRY(x_uxtab, "uxtab r3, r0, r1");
    TRY(x_usad8, "usad8 r3, r0, r1");
    TRY(x_umaal, "umaal r3, r2, r0, r1");
    TRY(x_ssat16, "ssat16 r3, #4, r0");
    TRY(x_smlalbb, "smlalbb r3, r2, r0, r1");
    TRY(x_ssat, "ssat r3, #8, r0");
    TRY(x_usat, "usat r3, #8, r1");
    TRY(x_sxth, "sxth r3, r0");
    TRY(x_uxtb, "uxtb.w r3, r0, ror #8");
    TRY(x_clz, "clz r3, r0");
    TRY(x_rbit, "rbit r3, r0");
    TRY(x_rev, "rev r3, r0");
    TRY(x_sdiv, "sdiv r3, r0, r1");
    TRY(x_mls, "mls r3, r0, r1, r2");
    TRY(x_smull, "smull r3, r2, r0, r1");
    TRY(x_umlal, "umlal r3, r2, r0, r1");
    rt_quiet = 0;
    P("UsageFaults: %u\n", rt_exc_count);
    return 0;
}
