/* svc: SVC as a system call. The handler finds the immediate in the SVC
 * instruction through the stacked return address (PC-2), takes arguments
 * from the stacked r0-r3 and returns a result in the stacked r0. Called from
 * privileged and unprivileged Thread mode, on MSP and on PSP, with the
 * extreme immediates 0 and 255, and nested (an SVC from a higher-priority
 * handler is not possible: SVCall from SVCall escalates, see fault_escalate). */
#include "rt.h"

static u32 psp_stack[256] ALIGNED(8);

static u32 syscall(u32 exc, u32 *frame, u32 er)
{
    u32 imm = *(volatile u16 *)(frame[F_PC] - 2) & 0xff;
    u32 r0 = frame[F_R0], r1 = frame[F_R1], r2 = frame[F_R2], r3 = frame[F_R3];
    switch (imm) {
    case 0:
        frame[F_R0] = r0 + r1 + r2 + r3;
        break;
    case 1:
        frame[F_R0] = MRS(control) | (er << 8 & 0xff00);
        break;
    case 2:
        frame[F_R0] = ~r0;
        frame[F_R1] = r1 << 4;
        break;
    default:
        frame[F_R0] = 0x5c000000 | imm;
        break;
    }
    return er;
}

#define SVC4(imm, a, b, c, d, out0, out1)                                                         \
    do {                                                                                          \
        register u32 _r0 __asm__("r0") = (a);                                                     \
        register u32 _r1 __asm__("r1") = (b);                                                     \
        register u32 _r2 __asm__("r2") = (c);                                                     \
        register u32 _r3 __asm__("r3") = (d);                                                     \
        __asm__ volatile("svc #" #imm : "+r"(_r0), "+r"(_r1), "+r"(_r2), "+r"(_r3) :: "memory"); \
        out0 = _r0;                                                                               \
        out1 = _r1;                                                                               \
    } while (0)

static volatile u32 res[8];

static void calls(void)
{
    u32 a, b;
    SVC4(0, 1, 2, 3, 4, a, b);
    res[0] = a;
    SVC4(1, 0, 0, 0, 0, a, b);
    res[1] = a;
    SVC4(2, 0x0f0f0f0f, 0x12345678, 0, 0, a, b);
    res[2] = a;
    res[3] = b;
    SVC4(255, 0, 0, 0, 0, a, b);
    res[4] = a;
    SVC4(77, 0, 0, 0, 0, a, b);
    res[5] = a;
    (void)b;
}

static void show(const char *how)
{
    P("%s: sum=%u control|excret=%x not=%08x shl=%08x imm255=%08x imm77=%08x\n", how, res[0], res[1], res[2],
      res[3], res[4], res[5]);
    for (int i = 0; i < 8; i++)
        res[i] = 0;
}

int main(void)
{
    rt_hooks[EXC_SVCALL] = syscall;
    calls();
    show("privileged, MSP");
    rt_call_unpriv(calls);
    show("unprivileged, MSP");
    P("control after: %x\n", MRS(control));

    /* Thread mode on PSP, unprivileged: r4 keeps the function to call. */
    MSR(psp, (u32)&psp_stack[256]);
    __asm__ volatile("mrs r1, control\n\t"
                     "orr r1, r1, #2\n\t"
                     "msr control, r1\n\t"
                     "isb\n\t"
                     "blx %0\n\t"
                     "mrs r1, control\n\t"
                     "bic r1, r1, #2\n\t"
                     "msr control, r1\n\t"
                     "isb\n\t"
                     :: "r"(calls) : "r0", "r1", "r2", "r3", "r12", "lr", "memory", "cc");
    show("privileged, PSP");
    P("PSP back at top: %s\n", MRS(psp) == (u32)&psp_stack[256] ? "yes" : "no");
    return 0;
}
