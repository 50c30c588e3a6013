/* nmi_faultmask: CPSID f and MSR FAULTMASK at execution priority -1
 * (HardFault) and -2 (NMI).
 *
 * The reference ref/nmi_faultmask-*.ref is written by hand from the ARMv7-M
 * ARM (DDI 0403E), not recorded: B5.2.1 (CPS) sets FAULTMASK only "if
 * ExecutionPriority() > -1", and B5.2.3 (MSR) writes FAULTMASK only "if
 * CurrentModeIsPrivileged() && ExecutionPriority() > -1", so both are
 * ignored in NMI and HardFault handlers. QEMU 7.2 sets FAULTMASK there
 * (HELPER(v7m_msr) has no priority check); because returning from NMI does
 * not clear FAULTMASK (B1.5.8, DeActivate), QEMU then leaves Thread mode
 * with FAULTMASK set and IRQ0 masked. See README.md. */
#include "rt.h"

static volatile u32 seen[4];
static volatile int irq_count;

void IRQ0_Handler(void) { irq_count++; }

void NMI_Handler(void)
{
    __asm__ volatile("cpsid f" ::: "memory");
    seen[0] = MRS(faultmask);
    MSR(faultmask, 1);
    seen[1] = MRS(faultmask);
}

/* HardFault escalated from UDF (UsageFault is disabled at reset). */
static u32 hardfault(u32 exc, u32 *frame, u32 er)
{
    __asm__ volatile("cpsid f" ::: "memory");
    seen[2] = MRS(faultmask);
    MSR(faultmask, 1);
    seen[3] = MRS(faultmask);
    REG(HFSR) = REG(HFSR);
    REG(CFSR) = REG(CFSR);
    frame[F_PC] += 2;
    return er;
}

int main(void)
{
    nvic_enable(0);
    REG(ICSR) = ICSR_NMIPENDSET;
    dsb_isb();
    P("in NMI: cpsid f -> faultmask=%u, msr faultmask 1 -> %u\n", seen[0], seen[1]);
    P("thread after NMI: faultmask=%u\n", MRS(faultmask));
    nvic_pend(0);
    P("irq0 taken=%d\n", irq_count);
    __asm__ volatile("cpsie f\n\tisb" ::: "memory");
    P("after cpsie f: faultmask=%u irq0 taken=%d\n", MRS(faultmask), irq_count);

    rt_hooks[EXC_HARDFAULT] = hardfault;
    __asm__ volatile("udf #0" ::: "memory");
    P("in HardFault: cpsid f -> faultmask=%u, msr faultmask 1 -> %u\n", seen[2], seen[3]);
    P("thread after HardFault: faultmask=%u\n", MRS(faultmask));
    return 0;
}
