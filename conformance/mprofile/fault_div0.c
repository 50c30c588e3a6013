/* fault_div0: SDIV/UDIV by zero return 0 when CCR.DIV_0_TRP=0 and raise
 * UsageFault DIVBYZERO (UFSR bit 9) when it is 1; other divisions are
 * unaffected by the trap bit. Also with UsageFault disabled the trap
 * escalates to HardFault (FORCED). */
#include "rt.h"

static NOINLINE u32 udiv(u32 a, u32 b)
{
    u32 r;
    __asm__ volatile("mov %0, #0x77\n\t.global d_udiv\nd_udiv:\n\tudiv %0, %1, %2" : "=&r"(r) : "r"(a), "r"(b));
    return r;
}

static NOINLINE s32 sdiv(s32 a, s32 b)
{
    s32 r;
    __asm__ volatile("mov %0, #0x77\n\t.global d_sdiv\nd_sdiv:\n\tsdiv %0, %1, %2" : "=&r"(r) : "r"(a), "r"(b));
    return r;
}

/* After a trap the destination register is not printed: QEMU 7.2 stacks a
 * stale value for registers written just before the division (see
 * div0_frame). */
static void run(void)
{
    u32 n = rt_exc_count, v;
    rt_mark = LABEL_ADDR(d_udiv);
    v = udiv(100, 0);
    if (rt_exc_count == n)
        P("  udiv 100/0 = %x\n", v);
    rt_mark = LABEL_ADDR(d_sdiv);
    v = (u32)sdiv(-100, 0);
    if (rt_exc_count == n)
        P("  sdiv -100/0 = %x\n", v);
    P("  udiv 100/7 = %u\n", udiv(100, 7));
    P("  sdiv -100/7 = %d\n", sdiv(-100, 7));
}

int main(void)
{
    P("CCR=%08x DIV_0_TRP=0:\n", REG(CCR));
    run();
    REG(CCR) |= CCR_DIV_0_TRP;
    REG(SHCSR) |= SHCSR_USGFAULTENA;
    P("DIV_0_TRP=1, UsageFault enabled:\n");
    run();
    REG(SHCSR) &= ~SHCSR_USGFAULTENA;
    P("DIV_0_TRP=1, UsageFault disabled:\n");
    run();
    REG(CCR) &= ~CCR_DIV_0_TRP;
    return 0;
}
