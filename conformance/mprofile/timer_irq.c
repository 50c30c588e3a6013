/* timer_irq: a board timer interrupt through the NVIC (mps2 only): the
 * CMSDK APB timer 0 at 0x40000000 (IRQ 8) counts down from RELOAD at the
 * 25 MHz system clock and sets INTSTATUS when it reaches zero. The handler
 * clears INTSTATUS (INTCLEAR) and counts; Thread mode waits with WFI until 5
 * interrupts have happened. Also the timer's registers at reset, and its
 * pending bit in NVIC_ISPR while it is disabled in the NVIC.
 * BOARDS: an385 an386 */
#include "rt.h"

#define TIMER0 0x40000000u
#define T_CTRL (TIMER0 + 0x0)
#define T_VALUE (TIMER0 + 0x4)
#define T_RELOAD (TIMER0 + 0x8)
#define T_INT (TIMER0 + 0xc)

static volatile u32 count;

void IRQ8_Handler(void)
{
    count++;
    REG(T_INT) = 1;
    nvic_unpend(8);
}

int main(void)
{
    P("timer0: ctrl=%x value=%x reload=%x int=%x pid4=%x pid0=%x cid0=%x\n", REG(T_CTRL), REG(T_VALUE),
      REG(T_RELOAD), REG(T_INT), REG(TIMER0 + 0xfd0), REG(TIMER0 + 0xfe0), REG(TIMER0 + 0xff0));
    REG(T_RELOAD) = 2500;
    REG(T_VALUE) = 2500;
    REG(T_CTRL) = 1 | 8; /* enable, interrupt enable */
    while (!(REG(NVIC_ISPR(0)) & (1u << 8)))
        ;
    P("pending in the NVIC while disabled there: ispr0 bit 8=%u int=%x\n", (REG(NVIC_ISPR(0)) >> 8) & 1,
      REG(T_INT));
    REG(T_INT) = 1;
    nvic_unpend(8);
    nvic_enable(8);
    while (count < 5)
        __asm__ volatile("wfi" ::: "memory");
    REG(T_CTRL) = 0;
    P("5 interrupts, count=%u, ctrl=%x\n", count, REG(T_CTRL));
    return 0;
}
