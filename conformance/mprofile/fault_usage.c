/* fault_usage: UsageFault causes and their UFSR bits (CFSR[31:16]), with
 * UsageFault enabled in SHCSR: UNDEFINSTR (16- and 32-bit UDF, an unallocated
 * 32-bit encoding), INVSTATE (BX to an even address: the fault is taken at
 * the target with EPSR.T = 0; an exception return whose stacked xPSR has
 * T = 0), NOCP (MRC/MCR to CP15, CDP to CP1, LDC, and a VFP instruction with
 * CPACR granting no access; the M3 has no FPU at all). The default handler
 * prints the stacked PC relative to the label at the faulting instruction,
 * the stacked xPSR and CFSR/HFSR, then continues after the instruction or at
 * a resume label. */
#include "rt.h"

#define FAULT(label, insn)                                                   \
    do {                                                                     \
        rt_mark = LABEL_ADDR(label);                                         \
        __asm__ volatile(".global " #label "\n" #label ":\n\t" insn          \
                         ::: "r0", "r1", "r2", "r3", "memory", "cc");        \
    } while (0)

static volatile u32 seen_xpsr;

static u32 clear_t(u32 exc, u32 *frame, u32 er)
{
    /* SVC #5 returns with the stacked T bit cleared. */
    frame[F_XPSR] &= ~(1u << 24);
    return er;
}

int main(void)
{
    REG(SHCSR) |= SHCSR_USGFAULTENA;
    P("SHCSR=%08x\n", REG(SHCSR));

    P("UNDEFINSTR:\n");
    FAULT(u_udf16, "udf #0");
    FAULT(u_udf16_ff, "udf #255");
    FAULT(u_udf32, "udf.w #0x1234");
    FAULT(u_undef32, ".short 0xf7f0, 0xa000"); /* permanently undefined space */

    P("INVSTATE:\n");
    rt_mark = LABEL_ADDR(u_bx_target);
    RESUME_AT(u_bx_resume);
    __asm__ volatile("ldr r0, =u_bx_target\n\t"
                     "bic r0, r0, #1\n\t"
                     "bx r0\n\t"
                     ".global u_bx_target\n"
                     "u_bx_target:\n\t"
                     "nop\n\t"
                     ".global u_bx_resume\n"
                     "u_bx_resume:\n\t"
                     "b 1f\n\t"
                     ".ltorg\n"
                     "1:\n\t" ::: "r0", "memory");
    rt_hooks[EXC_SVCALL] = clear_t;
    rt_mark = LABEL_ADDR(u_svc_t);
    RESUME_AT(u_svc_resume);
    __asm__ volatile("svc #5\n\t"
                     ".global u_svc_t\n"
                     "u_svc_t:\n\t"
                     "nop\n\t"
                     ".global u_svc_resume\n"
                     "u_svc_resume:\n\t" ::: "r0", "r1", "r2", "r3", "r12", "lr", "memory");
    rt_hooks[EXC_SVCALL] = 0;

    P("NOCP:\n");
    FAULT(u_mrc15, "mrc p15, 0, r0, c0, c0, 0");
    FAULT(u_mcr15, "mcr p15, 0, r0, c7, c5, 0");
    FAULT(u_cdp1, "cdp p1, 0, c0, c0, c0, 0");
    FAULT(u_ldc, "mov r0, sp\n\tldc p2, c0, [r0]");
    FAULT(u_mrc14, "mrc p14, 0, r0, c0, c0, 0");
#ifdef __ARM_FP
    u32 cpacr = REG(CPACR);
    REG(CPACR) = 0;
    dsb_isb();
    FAULT(u_vadd, "vadd.f32 s0, s1, s2");
    FAULT(u_vmrs, "vmrs r0, fpscr");
    REG(CPACR) = 0x5u << 20; /* privileged access only */
    dsb_isb();
    __asm__ volatile("vmrs %0, fpscr" : "=r"(seen_xpsr));
    P("CPACR privileged-only: privileged VMRS works\n");
    REG(CPACR) = cpacr;
    dsb_isb();
#else
    FAULT(u_vadd, ".short 0xee30, 0x0a81"); /* vadd.f32 s0, s1, s2 */
    FAULT(u_vmrs, ".short 0xeef1, 0x0a10"); /* vmrs r0, fpscr */
#endif
    P("UsageFaults taken: %u, CFSR now %08x\n", rt_exc_count, REG(CFSR));
    return 0;
}
