/* exc_return: the EXC_RETURN value and the stack the frame is on for each
 * way of entering an exception: from Thread mode on MSP (0xfffffff9), from
 * Thread mode on PSP (0xfffffffd), and from Handler mode (0xfffffff1, PendSV
 * preempting SVCall). Also the mode, stack pointer selection and IPSR seen
 * before, inside and after each handler. */
#include "rt.h"

static u32 psp_stack[256] ALIGNED(8);

static u32 report(u32 exc, u32 *frame, u32 er)
{
    u32 msp = MRS(msp), psp = MRS(psp);
    const char *where = (u32)frame == psp ? "psp" : (u32)frame > msp && (u32)frame < 0x20010000 ? "msp" : "?";
    P("  %s: excret=%08x frame on %s ipsr=%x control=%x sp-in-handler=%s\n", rt_exc_name(exc), er, where,
      MRS(ipsr), MRS(control), ((u32)__builtin_frame_address(0) >> 16) == 0x2000 ? "msp" : "?");
    if (exc == EXC_SVCALL && frame[F_R0] == 1) {
        /* Pend PendSV (higher priority): it preempts this handler. */
        pend_pendsv();
        P("  back in SVCall after PendSV\n");
    }
    return er;
}

static NOINLINE void svc_with(u32 arg)
{
    register u32 r0 __asm__("r0") = arg;
    __asm__ volatile("svc #3" : "+r"(r0) :: "memory");
}

int main(void)
{
    rt_hooks[EXC_SVCALL] = report;
    rt_hooks[EXC_PENDSV] = report;
    set_prio(EXC_SVCALL, 0x80);
    set_prio(EXC_PENDSV, 0x40);

    P("Thread, MSP:\n");
    svc_with(0);
    P("Thread, PSP:\n");
    MSR(psp, (u32)&psp_stack[256]);
    /* Switch to PSP and back within one asm statement: the SVC's frame is on
     * psp_stack. */
    __asm__ volatile("mrs r1, control\n\t"
                     "orr r1, r1, #2\n\t"
                     "msr control, r1\n\t"
                     "isb\n\t"
                     "movs r0, #0\n\t"
                     "svc #4\n\t"
                     "mrs r1, control\n\t"
                     "bic r1, r1, #2\n\t"
                     "msr control, r1\n\t"
                     "isb\n\t" ::: "r0", "r1", "r2", "r3", "r12", "lr", "memory", "cc");
    P("PSP after: top-%u\n", (u32)&psp_stack[256] - MRS(psp));
    P("Handler (PendSV preempts SVCall):\n");
    svc_with(1);
    P("Thread again: ipsr=%x control=%x\n", MRS(ipsr), MRS(control));
    return 0;
}
