/* masks: PRIMASK and FAULTMASK through CPSID/CPSIE and MSR. PRIMASK masks
 * configurable exceptions (not NMI); FAULTMASK masks everything but NMI and
 * is cleared by the return from any exception but NMI; CPS and MSR of the
 * mask registers are ignored in unprivileged Thread mode, MRS still works.
 * NMI is pended through ICSR.NMIPENDSET. (CPSID f in NMI and HardFault:
 * nmi_faultmask.) */
#include "rt.h"

static volatile int irq_count, nmi_count;
static volatile u32 nmi_fm, irq_fm;

void IRQ0_Handler(void)
{
    irq_count++;
    __asm__ volatile("cpsid f" ::: "memory");
    irq_fm = MRS(faultmask);
}

void NMI_Handler(void)
{
    nmi_count++;
    nmi_fm = MRS(faultmask) | MRS(ipsr) << 4;
}

static volatile u32 unpriv_seen[4];

static void unpriv(void)
{
    __asm__ volatile("cpsid i" ::: "memory");
    unpriv_seen[0] = MRS(primask);
    __asm__ volatile("msr primask, %0" :: "r"(1) : "memory");
    unpriv_seen[1] = MRS(primask);
    __asm__ volatile("cpsid f" ::: "memory");
    unpriv_seen[2] = MRS(faultmask);
    __asm__ volatile("msr basepri, %0" :: "r"(0x40) : "memory");
    unpriv_seen[3] = MRS(basepri);
}

int main(void)
{
    set_prio(EXC_IRQ0, 0x00);
    nvic_enable(0);

    __asm__ volatile("cpsid i" ::: "memory");
    P("cpsid i: primask=%u\n", MRS(primask));
    nvic_pend(0);
    P("  irq0 (prio 0) taken=%d\n", irq_count);
    REG(ICSR) = ICSR_NMIPENDSET;
    dsb_isb();
    P("  nmi taken=%d (nmi saw faultmask|ipsr<<4=%x)\n", nmi_count, nmi_fm);
    __asm__ volatile("cpsie i\n\tisb" ::: "memory");
    P("cpsie i: primask=%u irq0 taken=%d\n", MRS(primask), irq_count);
    P("faultmask after irq0 set it and returned: %u (in handler: %u)\n", MRS(faultmask), irq_fm);

    __asm__ volatile("cpsid f" ::: "memory");
    P("cpsid f: faultmask=%u\n", MRS(faultmask));
    nvic_pend(0);
    P("  irq0 taken=%d\n", irq_count);
    REG(ICSR) = ICSR_NMIPENDSET;
    dsb_isb();
    P("  nmi taken=%d, faultmask after nmi=%u\n", nmi_count, MRS(faultmask));
    __asm__ volatile("cpsie f\n\tisb" ::: "memory");
    P("cpsie f: faultmask=%u irq0 taken=%d\n", MRS(faultmask), irq_count);

    MSR(primask, 1);
    P("msr primask 1: %u\n", MRS(primask));
    MSR(primask, 0);
    MSR(faultmask, 1);
    P("msr faultmask 1: %u\n", MRS(faultmask));
    MSR(faultmask, 0);

    rt_call_unpriv(unpriv);
    P("unprivileged: cpsid i -> primask=%u, msr primask -> %u, cpsid f -> faultmask=%u, msr basepri -> %x\n",
      unpriv_seen[0], unpriv_seen[1], unpriv_seen[2], unpriv_seen[3]);
    P("privileged again: primask=%u faultmask=%u basepri=%x control=%x\n", MRS(primask), MRS(faultmask),
      MRS(basepri), MRS(control));
    return 0;
}
