/* tailchain: exceptions pended while a handler runs, at equal or lower
 * priority, are taken one after the other without returning to Thread mode
 * (tail-chaining): the Thread-mode marker written between the pends is not
 * seen by the handlers, each handler sees EXC_RETURN 0xfffffff9 and the same
 * frame address (the frame is not popped and pushed again: the stacked
 * registers are the Thread's), and ICSR.RETTOBASE is 1. Also PendSV pended
 * from an IRQ handler as the usual "run later" idiom, and an exception
 * pended in the last instruction of a handler. */
#include "rt.h"

static volatile u32 thread_marker;
static u32 frames[8], ers[8];
static int n;

static u32 log_exc(u32 exc, u32 *frame, u32 er)
{
    u32 msp = MRS(msp);
    P("  %s%u marker=%u excret=%08x frame=msp+%u rettobase=%u\n", exc >= 16 ? "IRQ" : "exc", exc >= 16 ? exc - 16 : exc,
      thread_marker, er, (u32)frame - msp, (REG(ICSR) >> 11) & 1);
    if (n < 8) {
        frames[n] = (u32)frame;
        ers[n++] = er;
    }
    if (exc == EXC_IRQ0) {
        nvic_pend(1);
        nvic_pend(2);
        pend_pendsv();
    }
    if (exc == EXC_IRQ0 + 2)
        REG(NVIC_ISPR(0)) = 1u << 3; /* last thing before returning */
    return er;
}

int main(void)
{
    for (int i = 0; i < 4; i++) {
        rt_hooks[EXC_IRQ0 + i] = log_exc;
        nvic_enable(i);
    }
    rt_hooks[EXC_PENDSV] = log_exc;
    set_prio(EXC_IRQ0 + 0, 0x80);
    set_prio(EXC_IRQ0 + 1, 0x80);
    set_prio(EXC_IRQ0 + 2, 0x90);
    set_prio(EXC_IRQ0 + 3, 0xa0);
    set_prio(EXC_PENDSV, 0xff);
    thread_marker = 1;
    nvic_pend(0);
    thread_marker = 2;
    P("thread: marker=%u\n", thread_marker);
    int same = 1;
    for (int i = 1; i < n; i++)
        same &= frames[i] == frames[0] && ers[i] == ers[0];
    P("%d handlers, same frame and EXC_RETURN: %s\n", n, same ? "yes" : "no");
    return 0;
}
