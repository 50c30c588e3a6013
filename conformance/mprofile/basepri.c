/* basepri: masking by BASEPRI, BASEPRI_MAX and PRIMASK. An IRQ of priority
 * 0x80 is pended under BASEPRI values 0x40, 0x80, 0x81 and 0xc0 (taken only
 * when its priority is higher, i.e. numerically lower, than BASEPRI); BASEPRI
 * against the group priority when AIRCR.PRIGROUP puts the low bits in the
 * subpriority; PRIMASK over BASEPRI; BASEPRI = 0 disables masking; BASEPRI
 * written from an exception handler and kept after return. */
#include "rt.h"

static volatile int taken;

void IRQ0_Handler(void) { taken++; }
void IRQ1_Handler(void)
{
    taken++;
    MSR(basepri, 0x20);
}

static void try(const char *what, u32 basepri)
{
    taken = 0;
    MSR(basepri, basepri);
    nvic_pend(0);
    int before = taken;
    MSR(basepri, 0);
    dsb_isb();
    P("%s basepri=%02x: taken under mask=%d, after unmasking=%d\n", what, basepri, before, taken);
}

int main(void)
{
    set_prio(EXC_IRQ0, 0x80);
    nvic_enable(0);
    try("irq 0x80", 0x40);
    try("irq 0x80", 0x80);
    try("irq 0x80", 0x81);
    try("irq 0x80", 0xc0);
    try("irq 0x80", 0x00);

    /* PRIGROUP=6: group priority is bit 7 only; 0x80 vs BASEPRI 0xc0 have
     * the same group priority, so the IRQ is masked. */
    REG(AIRCR) = AIRCR_KEY | 6u << 8;
    try("prigroup 6, irq 0x80", 0xc0);
    try("prigroup 6, irq 0x80", 0x81);
    set_prio(EXC_IRQ0, 0x40);
    try("prigroup 6, irq 0x40", 0x80);
    try("prigroup 6, irq 0x40", 0x7f);
    REG(AIRCR) = AIRCR_KEY | 7u << 8;
    try("prigroup 7, irq 0x40", 0x80);
    REG(AIRCR) = AIRCR_KEY;
    set_prio(EXC_IRQ0, 0x80);

    /* PRIMASK masks everything configurable, BASEPRI or not. */
    taken = 0;
    __asm__ volatile("cpsid i" ::: "memory");
    MSR(basepri, 0);
    nvic_pend(0);
    P("primask=1: taken=%d ispr=%x\n", taken, REG(NVIC_ISPR(0)) & 1);
    __asm__ volatile("cpsie i\n\tisb" ::: "memory");
    P("cpsie i: taken=%d\n", taken);

    /* BASEPRI_MAX cannot lower the priority again. */
    taken = 0;
    MSR(basepri, 0x60);
    MSR(basepri_max, 0xa0);
    nvic_pend(0);
    P("basepri=60, basepri_max<-a0: basepri=%02x taken=%d\n", MRS(basepri), taken);
    MSR(basepri, 0);
    dsb_isb();
    P("after basepri=0: taken=%d\n", taken);

    /* A handler's BASEPRI write survives the exception return. */
    set_prio(EXC_IRQ0 + 1, 0x10);
    nvic_enable(1);
    nvic_pend(1);
    P("basepri after IRQ1 set it: %02x\n", MRS(basepri));
    taken = 0;
    nvic_pend(0);
    P("irq 0x80 under it: taken=%d\n", taken);
    MSR(basepri, 0);
    dsb_isb();
    P("after clearing: taken=%d\n", taken);
    return 0;
}
