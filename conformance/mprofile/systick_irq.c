/* systick_irq: SysTick interrupts. TICKINT=1 with RVR=4999 on the processor
 * clock: the handler counts, Thread mode waits until 10 interrupts have
 * happened (properties: IPSR=15 inside, ICSR.PENDSTSET clear inside, the
 * counter reloaded); PENDSTSET/PENDSTCLR by software; SysTick masked by its
 * SHPR3 priority under BASEPRI; disabling TICKINT stops them. Then a fixed
 * busy loop of 200000 iterations with RVR=4999: the number of interrupts
 * depends on the SysTick clock and on time advancing 1 ns per instruction
 * (-icount shift=0); see README.md. */
#include "rt.h"

static volatile u32 ticks, bad;

void SysTick_Handler(void)
{
    ticks++;
    if (MRS(ipsr) != 15 || (REG(ICSR) & ICSR_PENDSTSET))
        bad++;
}

int main(void)
{
    REG(SYST_RVR) = 4999;
    REG(SYST_CVR) = 0;
    REG(SYST_CSR) = 7;
    while (ticks < 10)
        ;
    REG(SYST_CSR) = 5;
    P("10 ticks, bad=%u\n", bad);
    u32 t = ticks;
    for (volatile int i = 0; i < 20000; i++)
        ;
    P("TICKINT=0: more ticks=%u\n", ticks - t);

    REG(ICSR) = ICSR_PENDSTSET;
    dsb_isb();
    P("PENDSTSET: ticks=%u\n", ticks - t);
    __asm__ volatile("cpsid i" ::: "memory");
    REG(ICSR) = ICSR_PENDSTSET;
    P("masked: icsr.pendstset=%u vectpending=%u\n", (REG(ICSR) >> 26) & 1, (REG(ICSR) >> 12) & 0x1ff);
    REG(ICSR) = 1u << 25; /* PENDSTCLR */
    P("PENDSTCLR: icsr.pendstset=%u\n", (REG(ICSR) >> 26) & 1);
    __asm__ volatile("cpsie i\n\tisb" ::: "memory");
    P("after cpsie: ticks=%u\n", ticks - t);

    set_prio(EXC_SYSTICK, 0x80);
    MSR(basepri, 0x80);
    REG(ICSR) = ICSR_PENDSTSET;
    dsb_isb();
    P("basepri=80, systick prio 80: ticks=%u\n", ticks - t);
    MSR(basepri, 0);
    dsb_isb();
    P("basepri=0: ticks=%u\n", ticks - t);

    ticks = 0;
    REG(SYST_RVR) = 4999;
    REG(SYST_CVR) = 0;
    REG(SYST_CSR) = 7;
    for (volatile int i = 0; i < 200000; i++)
        ;
    REG(SYST_CSR) = 0;
    P("timed loop: %u interrupts\n", ticks);
    return 0;
}
