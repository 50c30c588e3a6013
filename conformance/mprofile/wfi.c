/* wfi: WFI woken by a SysTick interrupt (the handler runs before the
 * instruction after WFI); WFI with PRIMASK set wakes on the pending
 * interrupt without taking it (taken at CPSIE); WFI when an interrupt is
 * already pending and enabled returns at once; SEV then WFE returns at once
 * (event register); WFE in a loop until an interrupt; WFE with SCR.SEVONPEND
 * and a pended but disabled IRQ; SCR read back. WFE may return early for any
 * reason (QEMU treats it as a yield), so nothing printed depends on WFE
 * sleeping. */
#include "rt.h"

static volatile u32 ticks, irq3;

void SysTick_Handler(void)
{
    ticks++;
    REG(SYST_CSR) = 0; /* one shot */
}

void IRQ3_Handler(void) { irq3++; }

static void start_tick(void)
{
    REG(SYST_RVR) = 9999;
    REG(SYST_CVR) = 0;
    REG(SYST_CSR) = 7;
}

int main(void)
{
    P("SCR=%08x\n", REG(SCR));
    start_tick();
    __asm__ volatile("wfi" ::: "memory");
    P("wfi: woke, ticks=%u\n", ticks);

    __asm__ volatile("cpsid i" ::: "memory");
    start_tick();
    __asm__ volatile("wfi" ::: "memory");
    P("wfi with primask: woke, ticks=%u pendst=%u\n", ticks, (REG(ICSR) >> 26) & 1);
    __asm__ volatile("cpsie i\n\tisb" ::: "memory");
    P("after cpsie: ticks=%u\n", ticks);

    __asm__ volatile("cpsid i" ::: "memory");
    nvic_enable(3);
    nvic_pend(3);
    __asm__ volatile("wfi" ::: "memory");
    P("wfi with irq3 pending: irq3=%u\n", irq3);
    __asm__ volatile("cpsie i\n\tisb" ::: "memory");
    P("after cpsie: irq3=%u\n", irq3);

    __asm__ volatile("sev\n\twfe" ::: "memory");
    P("sev; wfe: returned\n");
    /* WFE may also return early (QEMU treats it as a yield): loop. */
    u32 t = ticks;
    start_tick();
    while (ticks == t)
        __asm__ volatile("wfe" ::: "memory");
    P("wfe loop until systick: ticks=%u\n", ticks);

    REG(SCR) = 1u << 4; /* SEVONPEND */
    P("SCR=%08x\n", REG(SCR));
    nvic_disable(3);
    __asm__ volatile("sev\n\twfe" ::: "memory"); /* clear the event register */
    nvic_pend(3);
    __asm__ volatile("wfe" ::: "memory");
    P("wfe with irq3 pended while disabled (SEVONPEND): returned, irq3=%u pending=%u\n", irq3,
      REG(NVIC_ISPR(0)) >> 3 & 1);
    nvic_unpend(3);
    REG(SCR) = 0;
    return 0;
}
