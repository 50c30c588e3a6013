/* priority: the priority registers and preemption by priority. Writes all
 * ones to SHPR1-3 and NVIC_IPR0-7 and reads back which bits QEMU implements
 * (reserved SHPR bytes stay 0); then nested preemption with software-pended
 * IRQs: a higher priority IRQ pended in a handler preempts at once, an equal
 * or lower one waits until the handler returns; among equal priorities the
 * lower exception number goes first; ICSR (VECTACTIVE, VECTPENDING,
 * RETTOBASE, ISRPENDING) and IABR inside the handlers; IRQs and system
 * exceptions (PendSV, SVCall) ordered by SHPR. */
#include "rt.h"

static void state(const char *who)
{
    u32 icsr = REG(ICSR);
    P("  %s: vectactive=%u vectpending=%u rettobase=%u isrpending=%u iabr=%02x ipsr=%u\n", who, icsr & 0x1ff,
      (icsr >> 12) & 0x1ff, (icsr >> 11) & 1, (icsr >> 22) & 1, REG(NVIC_IABR(0)) & 0xff, MRS(ipsr));
}

static volatile int scenario;

void IRQ0_Handler(void)
{
    state("IRQ0 enter");
    if (scenario == 0) {
        nvic_pend(1); /* higher priority: preempts here */
        P("  IRQ0 after pending IRQ1\n");
        nvic_pend(2); /* lower: waits */
        P("  IRQ0 after pending IRQ2\n");
        nvic_pend(3); /* equal: waits */
        P("  IRQ0 after pending IRQ3\n");
    }
    state("IRQ0 leave");
}

void IRQ1_Handler(void) { state("IRQ1"); }
void IRQ2_Handler(void) { state("IRQ2"); }
void IRQ3_Handler(void) { state("IRQ3"); }
void IRQ4_Handler(void) { state("IRQ4"); }
void PendSV_Handler(void) { state("PendSV"); }
void SVC_Handler(void) { state("SVCall"); }

int main(void)
{
    for (u32 a = SHPR(4); a < SHPR(16); a += 4) {
        REG(a) = 0xffffffff;
        P("SHPR%u <- ffffffff: %08x\n", (a - SHPR(4)) / 4 + 1, REG(a));
        REG(a) = 0;
    }
    for (int n = 0; n < 8; n++) {
        REG(NVIC_IPR(4 * n)) = 0xffffffff;
        P("NVIC_IPR%d <- ffffffff: %08x\n", n, REG(NVIC_IPR(4 * n)));
        REG(NVIC_IPR(4 * n)) = 0;
    }
    /* Byte and halfword accesses to the priority registers. */
    REG8(NVIC_IPR(5)) = 0xa5;
    REG16(NVIC_IPR(6)) = 0x5aa5;
    P("IPR1 after byte/halfword writes: %08x\n", REG(NVIC_IPR(4)));
    REG(NVIC_IPR(4)) = 0;

    set_prio(EXC_IRQ0 + 0, 0x80);
    set_prio(EXC_IRQ0 + 1, 0x40);
    set_prio(EXC_IRQ0 + 2, 0xc0);
    set_prio(EXC_IRQ0 + 3, 0x80);
    set_prio(EXC_IRQ0 + 4, 0x80);
    for (int i = 0; i < 5; i++)
        nvic_enable(i);

    P("nested:\n");
    nvic_pend(0);
    P("thread after IRQ0\n");

    P("equal priorities pended together (PRIMASK):\n");
    scenario = 1;
    __asm__ volatile("cpsid i" ::: "memory");
    nvic_pend(4);
    nvic_pend(3);
    nvic_pend(0);
    P("pending: ispr=%02x\n", REG(NVIC_ISPR(0)) & 0xff);
    state("thread");
    __asm__ volatile("cpsie i\n\tisb" ::: "memory");
    P("thread after all\n");

    P("system exceptions against IRQs:\n");
    set_prio(EXC_PENDSV, 0xa0);
    __asm__ volatile("cpsid i" ::: "memory");
    pend_pendsv();
    nvic_pend(2); /* 0xc0 */
    nvic_pend(0); /* 0x80 */
    state("thread");
    __asm__ volatile("cpsie i\n\tisb" ::: "memory");
    return 0;
}
