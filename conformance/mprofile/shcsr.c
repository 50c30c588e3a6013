/* shcsr: the System Handler Control and State Register. Reset value; the
 * enable bits (MEMFAULTENA, BUSFAULTENA, USGFAULTENA) read back; inside
 * handlers the active bits (SVCALLACT, PENDSVACT, SYSTICKACT, USGFAULTACT)
 * and, for an SVC pended under a higher-priority handler, SVCALLPENDED;
 * software writes to the pending bits (PENDSVSET via ICSR, and
 * USGFAULTPENDED/MEMFAULTPENDED/BUSFAULTPENDED/SVCALLPENDED via SHCSR with
 * the exceptions masked by PRIMASK, then taken at CPSIE); ICSR
 * PENDSVSET/PENDSTSET read back. */
#include "rt.h"

static volatile u32 seen[16];

static u32 record(u32 exc, u32 *frame, u32 er)
{
    seen[exc & 15] = REG(SHCSR) | 1; /* bit 0 marks "ran" */
    if (exc == EXC_SYSTICK)
        REG(SYST_CSR) = 0;
    if (exc == EXC_USAGEFAULT || exc == EXC_MEMMANAGE || exc == EXC_BUSFAULT)
        REG(CFSR) = REG(CFSR);
    return er;
}

static void show(const char *what, u32 exc)
{
    P("%-34s shcsr in handler=%08x\n", what, seen[exc] & ~1u);
    seen[exc] = 0;
}

int main(void)
{
    P("SHCSR at reset=%08x\n", REG(SHCSR));
    REG(SHCSR) = 0x70000;
    P("enables <- 7: %08x\n", REG(SHCSR));
    for (int e = 2; e < 16; e++)
        rt_hooks[e] = record;

    __asm__ volatile("svc #0" ::: "memory");
    show("SVCall", EXC_SVCALL);
    pend_pendsv();
    show("PendSV", EXC_PENDSV);
    REG(SYST_RVR) = 100;
    REG(SYST_CVR) = 0;
    REG(SYST_CSR) = 7;
    while (!seen[EXC_SYSTICK])
        ;
    show("SysTick", EXC_SYSTICK);

    /* Set the pending bits by software with PRIMASK set. */
    __asm__ volatile("cpsid i" ::: "memory");
    REG(SHCSR) |= (1u << 12) | (1u << 13) | (1u << 14) | (1u << 15);
    REG(ICSR) = ICSR_PENDSVSET | ICSR_PENDSTSET;
    u32 sh = REG(SHCSR), icsr = REG(ICSR);
    P("pended with PRIMASK: shcsr=%08x icsr pendsv=%u pendst=%u vectpending=%u\n", sh, icsr >> 28 & 1,
      icsr >> 26 & 1, icsr >> 12 & 0x1ff);
    REG(SHCSR) &= ~(1u << 13); /* clear MEMFAULTPENDED again */
    P("after clearing MEMFAULTPENDED: %08x\n", REG(SHCSR));
    __asm__ volatile("cpsie i\n\tisb" ::: "memory");
    show("UsageFault (software pended)", EXC_USAGEFAULT);
    show("BusFault (software pended)", EXC_BUSFAULT);
    P("MemManage ran: %u\n", seen[EXC_MEMMANAGE] & 1);
    show("SVCall (software pended)", EXC_SVCALL);
    show("PendSV", EXC_PENDSV);
    show("SysTick", EXC_SYSTICK);
    P("SHCSR at the end=%08x\n", REG(SHCSR));
    return 0;
}
