/* exc_und: Undefined Instruction exceptions. UDF (A32; T32 16-bit and
 * 32-bit, where LR = instruction + 2 lands inside the 32-bit encoding), an
 * access to a coprocessor that does not exist, a VFP instruction while
 * CPACR/FPEXC leave the FPU disabled, unknown CP15 registers, a privileged
 * CP15 access from User mode, and UDF from User and FIQ modes. The handler
 * prints LR_und/SPSR_und and the instruction, then skips it. */
#include "rt.h"

#define MARKED(name, body)                                                          \
    static NOINLINE void name(void)                                                 \
    {                                                                               \
        rt_mark = LABEL_ADDR(name##_l);                                             \
        __asm__ volatile(".global " #name "_l\n" #name "_l:\n\t" body               \
                         ::: "r0", "r1", "r2", "memory", "cc");                     \
        P("  after " #name "\n");                                                   \
    }

#ifdef __thumb__
MARKED(udf_a, "udf.n #0\n\tnop\n\tudf.n #0xff\n\tudf.w #0x1234\n\tudf.w #0xffff\n\tmov r0, r0")
/* MCR/MRC to coprocessor 13 (none); VFP VMOV s0, r0 with the FPU off. */
MARKED(cop_a, ".inst.w 0xee1d0d10\n\t.inst.w 0xee000a10\n\tnop")
#else
MARKED(udf_a, "udf #0\n\tnop\n\tudf #0xffff\n\tudf #0x1234\n\tmov r0, r0")
MARKED(cop_a, ".inst 0xee1d0d10\n\t.inst 0xee000a10\n\tnop")
#endif
/* CP15 registers that do not exist here: HSCTLR (no Hyp mode) and an
 * unallocated op1/CRn/CRm/op2 combination. */
MARKED(cp15_bad, "mrc p15, 4, r0, c1, c0, 0\n\tmrc p15, 1, r0, c2, c3, 5\n\tnop")

static volatile u32 user_sctlr = 0x12345678;

static void user_fn(void)
{
    rt_mark = LABEL_ADDR(und_user_l);
    u32 v = 0x12345678;
    __asm__ volatile(".global und_user_l\n"
                     "und_user_l:\n\t"
                     "mrc p15, 0, %0, c1, c0, 0\n\t" /* SCTLR is PL1-only */
                     "udf #7\n\t"
                     : "+r"(v)::"memory");
    user_sctlr = v;
}

static void fiq_fn(void)
{
    rt_mark = LABEL_ADDR(und_fiq_l);
    __asm__ volatile(".global und_fiq_l\n"
                     "und_fiq_l:\n\t"
                     "udf #9\n\t" ::: "memory");
}

int main(void)
{
    P("cpacr=%08x\n", MRC(0, 1, 0, 2));
    udf_a();
    cop_a();
    cp15_bad();
    rt_mode_call(user_fn, MODE_USR);
    P("  user mrc sctlr left r=%08x\n", user_sctlr);
    rt_mode_call(fiq_fn, MODE_FIQ);
    P("done\n");
    return 0;
}
