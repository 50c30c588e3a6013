/* prigroup: AIRCR.PRIGROUP splits a priority into group priority (decides
 * preemption) and subpriority (orders pending exceptions). For every
 * PRIGROUP 0-7: AIRCR read back (VECTKEYSTAT, ENDIANNESS, PRIGROUP), then IRQ0
 * (0x60) pends IRQ1 (0x50) and IRQ2 (0x58) and the program prints whether
 * each preempted IRQ0 and the order they ran in. Also a write without the
 * VECTKEY (ignored). */
#include "rt.h"

static volatile int depth;

void IRQ0_Handler(void)
{
    depth = 1;
    P("  IRQ0 pends IRQ2 (0x58) and IRQ1 (0x50)\n");
    nvic_pend(2);
    nvic_pend(1);
    P("  IRQ0 returns\n");
    depth = 0;
}

void IRQ1_Handler(void) { P("  IRQ1 %s\n", depth ? "preempted IRQ0" : "after IRQ0"); }
void IRQ2_Handler(void) { P("  IRQ2 %s\n", depth ? "preempted IRQ0" : "after IRQ0"); }

int main(void)
{
    P("AIRCR at reset: %08x\n", REG(AIRCR));
    REG(AIRCR) = 5u << 8; /* no key: ignored */
    P("AIRCR after a write without VECTKEY: %08x\n", REG(AIRCR));
    set_prio(EXC_IRQ0 + 0, 0x60);
    set_prio(EXC_IRQ0 + 1, 0x50);
    set_prio(EXC_IRQ0 + 2, 0x58);
    for (int i = 0; i < 3; i++)
        nvic_enable(i);
    for (u32 g = 0; g < 8; g++) {
        REG(AIRCR) = AIRCR_KEY | g << 8;
        P("PRIGROUP=%u: AIRCR=%08x\n", g, REG(AIRCR));
        nvic_pend(0);
    }
    REG(AIRCR) = AIRCR_KEY;
    return 0;
}
