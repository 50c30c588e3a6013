/* bkpt: BKPT with an immediate other than 0xab (semihosting) while no
 * debugger is attached and DEMCR.MON_EN is 0: the debug event escalates to
 * HardFault. The hook prints HFSR, DFSR and the stacked PC (the BKPT itself)
 * and skips the instruction. DFSR and DEMCR are also read at the start. */
#include "rt.h"

#define DEMCR 0xe000edfcu

static u32 hf(u32 exc, u32 *frame, u32 er)
{
    P("  HardFault: pc=");
    rt_praddr(frame[F_PC]);
    P(" hfsr=%08x dfsr=%08x cfsr=%08x\n", REG(HFSR), REG(DFSR), REG(CFSR));
    REG(HFSR) = REG(HFSR);
    REG(DFSR) = REG(DFSR);
    frame[F_PC] += 2;
    return er;
}

int main(void)
{
    P("DFSR=%08x DEMCR=%08x\n", REG(DFSR), REG(DEMCR));
    rt_hooks[EXC_HARDFAULT] = hf;
    rt_mark = LABEL_ADDR(k_bkpt);
    __asm__ volatile(".global k_bkpt\nk_bkpt:\n\tbkpt #1" ::: "memory");
    P("after bkpt #1\n");
    return 0;
}
