/* fault_escalate: when a configurable fault or SVCall cannot be taken it
 * escalates to HardFault with HFSR.FORCED set (CFSR still says what
 * happened): UsageFault disabled in SHCSR; UsageFault enabled but its
 * priority not higher than BASEPRI; PRIMASK set; a fault inside a handler
 * whose priority is not lower than the fault's; SVC with PRIMASK set and SVC
 * from an SVCall handler (CFSR 0). The HardFault hook prints IPSR of the
 * interrupted context, the stacked PC relative to the faulting instruction,
 * HFSR and CFSR, and skips the instruction unless it was an SVC (the
 * stacked PC is already past it). SHCSR shows which handlers are active. */
#include "rt.h"

static u32 hardfault(u32 exc, u32 *frame, u32 er)
{
    u32 cfsr = REG(CFSR), hfsr = REG(HFSR);
    P("  HardFault: from ipsr=%u pc=", frame[F_XPSR] & 0x1ff);
    rt_praddr(frame[F_PC]);
    P(" hfsr=%08x cfsr=%08x shcsr=%08x excret=%08x\n", hfsr, cfsr, REG(SHCSR), er);
    REG(CFSR) = cfsr;
    REG(HFSR) = hfsr;
    if (cfsr)
        frame[F_PC] += rt_insn_size(frame[F_PC]);
    return er;
}

static u32 usagefault(u32 exc, u32 *frame, u32 er)
{
    P("  UsageFault: pc=");
    rt_praddr(frame[F_PC]);
    P(" cfsr=%08x\n", REG(CFSR));
    REG(CFSR) = REG(CFSR);
    frame[F_PC] += rt_insn_size(frame[F_PC]);
    return er;
}

static int svc_mode;

static u32 svc(u32 exc, u32 *frame, u32 er)
{
    P("  SVCall: shcsr=%08x\n", REG(SHCSR));
    if (svc_mode == 1) {
        rt_mark = LABEL_ADDR(e_udf_in_svc);
        __asm__ volatile(".global e_udf_in_svc\ne_udf_in_svc:\n\tudf #1" ::: "memory");
    } else if (svc_mode == 2) {
        rt_mark = LABEL_ADDR(e_svc_in_svc);
        __asm__ volatile(".global e_svc_in_svc\ne_svc_in_svc:\n\tsvc #9" ::: "memory");
    }
    return er;
}

#define UDF(label)                                                                      \
    do {                                                                                \
        rt_mark = LABEL_ADDR(label);                                                    \
        __asm__ volatile(".global " #label "\n" #label ":\n\tudf #0" ::: "memory");    \
    } while (0)

int main(void)
{
    rt_hooks[EXC_HARDFAULT] = hardfault;
    rt_hooks[EXC_USAGEFAULT] = usagefault;
    rt_hooks[EXC_SVCALL] = svc;

    P("UsageFault disabled:\n");
    UDF(e_udf1);
    P("UsageFault enabled:\n");
    REG(SHCSR) |= SHCSR_USGFAULTENA;
    UDF(e_udf2);
    P("UsageFault priority 0x80, BASEPRI 0x80:\n");
    set_prio(EXC_USAGEFAULT, 0x80);
    MSR(basepri, 0x80);
    UDF(e_udf3);
    P("BASEPRI 0x90:\n");
    MSR(basepri, 0x90);
    UDF(e_udf4);
    MSR(basepri, 0);
    P("PRIMASK:\n");
    __asm__ volatile("cpsid i" ::: "memory");
    UDF(e_udf5);
    __asm__ volatile("cpsie i" ::: "memory");

    P("UDF in SVCall (SVCall 0x40, UsageFault 0x80):\n");
    set_prio(EXC_SVCALL, 0x40);
    svc_mode = 1;
    __asm__ volatile("svc #1" ::: "memory");
    P("UDF in SVCall (SVCall 0xc0, UsageFault 0x80):\n");
    set_prio(EXC_SVCALL, 0xc0);
    __asm__ volatile("svc #1" ::: "memory");

    P("SVC in SVCall:\n");
    svc_mode = 2;
    __asm__ volatile("svc #2" ::: "memory");
    svc_mode = 0;
    P("SVC with PRIMASK set:\n");
    rt_mark = LABEL_ADDR(e_svc_pm);
    __asm__ volatile("cpsid i\n\t.global e_svc_pm\ne_svc_pm:\n\tsvc #3\n\tcpsie i" ::: "memory");
    P("SVC with BASEPRI = its priority:\n");
    MSR(basepri, 0xc0);
    rt_mark = LABEL_ADDR(e_svc_bp);
    __asm__ volatile(".global e_svc_bp\ne_svc_bp:\n\tsvc #4" ::: "memory");
    MSR(basepri, 0);
    P("SHCSR=%08x HFSR=%08x\n", REG(SHCSR), REG(HFSR));
    return 0;
}
