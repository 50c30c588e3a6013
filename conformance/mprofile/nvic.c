/* nvic: the NVIC registers. ICTR and how many interrupt lines exist
 * (writing all ones to ISER0-7 and reading back, then clearing with ICER);
 * set/clear-pending with ISPR/ICPR while disabled and while masked, IABR
 * inside a handler, a pending IRQ taken as soon as it is enabled; STIR
 * (privileged; unprivileged with CCR.USERSETMPEND, and without it a BusFault
 * on mps2); an IRQ pended
 * again inside its own handler (taken after it returns). */
#include "rt.h"

static volatile int count[8];
static volatile u32 iabr_in;

void IRQ5_Handler(void)
{
    count[5]++;
    iabr_in = REG(NVIC_IABR(0));
    if (count[5] == 1)
        nvic_pend(5); /* re-pend itself: runs again after return */
}

void IRQ6_Handler(void) { count[6]++; }
void IRQ31_Handler(void) { count[7]++; }

static void unpriv_stir(void) { REG(STIR) = 6; }

int main(void)
{
    P("ICTR=%x\n", REG(ICTR));
    for (int i = 0; i < 8; i++) {
        REG(NVIC_ISER(i)) = 0xffffffff;
        u32 v = REG(NVIC_ISER(i));
        REG(NVIC_ICER(i)) = 0xffffffff;
        P("ISER%d <- ffffffff: %08x, after ICER: %08x\n", i, v, REG(NVIC_ISER(i)));
    }
    /* Pending while disabled: stays pending. */
    nvic_pend(5);
    P("disabled + pended: ispr0=%08x count=%d\n", REG(NVIC_ISPR(0)), count[5]);
    nvic_unpend(5);
    P("after ICPR: ispr0=%08x icpr0=%08x\n", REG(NVIC_ISPR(0)), REG(NVIC_ICPR(0)));
    nvic_pend(5);
    __asm__ volatile("cpsid i" ::: "memory");
    nvic_enable(5);
    P("enabled under PRIMASK: iser0=%08x icer0=%08x ispr0=%08x count=%d\n", REG(NVIC_ISER(0)), REG(NVIC_ICER(0)),
      REG(NVIC_ISPR(0)), count[5]);
    __asm__ volatile("cpsie i\n\tisb" ::: "memory");
    P("after cpsie: count=%d iabr in handler=%08x iabr now=%08x ispr0=%08x\n", count[5], iabr_in,
      REG(NVIC_IABR(0)), REG(NVIC_ISPR(0)));

    /* IABR is read-only. */
    REG(NVIC_IABR(0)) = 0xffffffff;
    P("IABR0 after write: %08x\n", REG(NVIC_IABR(0)));

    nvic_enable(6);
    nvic_enable(31);
    REG(STIR) = 6;
    dsb_isb();
    P("STIR 6: count=%d\n", count[6]);
    REG(STIR) = 31 | 0xfffffe00; /* only INTID [8:0] counts */
    dsb_isb();
    P("STIR 31 with high bits: count=%d\n", count[7]);
#ifdef BOARD_MPS2
    /* A BusFault (escalated to HardFault: BusFault is disabled). QEMU's
     * lm3s6965evb ignores bus errors, so this is not done there. */
    rt_call_unpriv(unpriv_stir);
    P("unprivileged STIR, USERSETMPEND=0: count=%d\n", count[6]);
#endif
    REG(CCR) |= 1u << 1;
    rt_call_unpriv(unpriv_stir);
    REG(CCR) &= ~(1u << 1);
    P("unprivileged STIR, USERSETMPEND=1: count=%d\n", count[6]);
    P("exc count=%u\n", rt_exc_count);
    return 0;
}
