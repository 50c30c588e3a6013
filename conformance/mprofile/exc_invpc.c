/* exc_invpc: exception returns with an invalid EXC_RETURN raise UsageFault
 * INVPC (B1.5.8, ExceptionReturn): 0xfffffff1 (return to Handler mode) when
 * no other exception is active, and the reserved value 0xfffffff5. The SVC
 * handler returns with the bad value; the UsageFault hook prints CFSR, its
 * own EXC_RETURN, whether SVCall is still active (SHCSR.SVCALLACT), the IPSR
 * in its stacked xPSR, and then recovers: it returns to Thread mode at a
 * resume label that restores the stack pointer saved before the SVC. */
#include "rt.h"

volatile u32 saved_sp;
static volatile u32 bad_excret;

static u32 svc(u32 exc, u32 *frame, u32 er)
{
    return bad_excret;
}

static u32 usage(u32 exc, u32 *frame, u32 er)
{
    u32 shcsr = REG(SHCSR);
    P("  UsageFault: cfsr=%08x excret=%08x svcallact=%u stacked ipsr=%u ipsr=%u\n", REG(CFSR), er,
      (shcsr >> 7) & 1, frame[F_XPSR] & 0x1ff, MRS(ipsr));
    REG(CFSR) = REG(CFSR);
    if (shcsr & (1u << 7))
        REG(SHCSR) = shcsr & ~(1u << 7);
    frame[F_PC] = LABEL_ADDR(invpc_resume) & ~1u;
    frame[F_XPSR] = 1u << 24;
    return 0xfffffff9;
}

static void run(u32 excret)
{
    bad_excret = excret;
    P("SVC returning with %08x:\n", excret);
    __asm__ volatile("ldr r1, =saved_sp\n\t"
                     "mov r2, sp\n\t"
                     "str r2, [r1]\n\t"
                     "svc #7\n\t"
                     "nop\n\t"
                     ".global invpc_resume\n"
                     "invpc_resume:\n\t"
                     "ldr r1, =saved_sp\n\t"
                     "ldr r2, [r1]\n\t"
                     "mov sp, r2\n\t"
                     "b 1f\n\t"
                     ".ltorg\n"
                     "1:\n\t" ::: "r0", "r1", "r2", "r3", "r12", "lr", "memory", "cc");
    P("  back in Thread mode: ipsr=%u shcsr=%08x\n", MRS(ipsr), REG(SHCSR));
}

int main(void)
{
    rt_hooks[EXC_SVCALL] = svc;
    rt_hooks[EXC_USAGEFAULT] = usage;
    REG(SHCSR) |= SHCSR_USGFAULTENA;
    run(0xfffffff1);
    run(0xfffffff5);
    run(0xfffffff9); /* valid: no fault */
    return 0;
}
