/* exc_bkpt: BKPT is a Prefetch Abort with IFSR = debug event (FS 0b00010);
 * LR_abt = BKPT + 4 in both states. Various immediates (including 0xab,
 * which is a semihosting trap only on M-profile), BKPT from User mode, and
 * a hook that counts breakpoints and resumes. */
#include "rt.h"

static NOINLINE void bkpts(void)
{
    rt_mark = LABEL_ADDR(bkpt_l);
    __asm__ volatile(".global bkpt_l\n"
                     "bkpt_l:\n\t"
                     "bkpt #0\n\t"
                     "bkpt #1\n\t"
                     "bkpt #0xab\n\t"
#ifdef __thumb__
                     "bkpt #0xff\n\t"
#else
                     "bkpt #0xffff\n\t"
                     "bkpt #0x1234\n\t"
#endif
                     "nop\n\t" ::: "memory");
}

static volatile int count;

static int count_hook(int kind, struct rt_frame *f)
{
    (void)kind;
    count++;
    f->lr = f->lr - 4 + ((f->spsr & PSR_T) ? 2 : 4);
    return 1;
}

static void user_fn(void)
{
    rt_mark = LABEL_ADDR(bkpt_user_l);
    __asm__ volatile(".global bkpt_user_l\n"
                     "bkpt_user_l:\n\t"
                     "bkpt #0x21\n\t" ::: "memory");
}

int main(void)
{
    bkpts();
    rt_mode_call(user_fn, MODE_USR);
    rt_hooks[EXC_PABT] = count_hook;
    for (int i = 0; i < 10; i++)
        __asm__ volatile("bkpt #3" ::: "memory");
    rt_hooks[EXC_PABT] = 0;
    P("hooked bkpts: %d\n", count);
    return 0;
}
