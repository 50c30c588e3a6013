/* exc_frame: the basic stacked frame (r0-r3, r12, lr, return address, xPSR)
 * for an SVC with known register values and flags; the frame address and
 * xPSR bit 9 with CCR.STKALIGN=1 and an SP that is 8-byte aligned or only
 * 4-byte aligned (the padding word is skipped and SP restored on return);
 * the same with CCR.STKALIGN=0; and the return address for SVC, for a
 * pended exception taken after an instruction, and for an exception taken
 * inside an IT block (xPSR IT bits). */
#include "rt.h"

static volatile u32 sp_before;
static volatile u32 frame_copy[8];
static volatile u32 frame_addr;

static u32 grab(u32 exc, u32 *frame, u32 er)
{
    frame_addr = (u32)frame;
    for (int i = 0; i < 8; i++)
        frame_copy[i] = frame[i];
    return er;
}

/* full=0: r1-r3, r12 and lr hold compiler temporaries; leave them out. */
static void show(const char *what, int full)
{
    P("%s: sp-frame=%u r0=%08x", what, sp_before - frame_addr, frame_copy[0]);
    if (full)
        P(" r1=%08x r2=%08x r3=%08x r12=%08x lr=%08x", frame_copy[1], frame_copy[2], frame_copy[3], frame_copy[4], frame_copy[5]);
    P(" pc=");
    rt_praddr(frame_copy[6]);
    P(" xpsr=%08x\n", frame_copy[7]);
}

/* SVC with r0-r3, r12, lr and flags set; the SP is lowered by `adj` bytes
 * first. Returns the SP difference after the SVC (0 if restored). */
static NOINLINE u32 svc_frame(u32 adj)
{
    u32 diff;
    rt_mark = LABEL_ADDR(frame_svc);
    __asm__ volatile("mov r8, lr\n\t"
                     "sub sp, sp, %1\n\t"
                     "mov r6, sp\n\t"
                     "ldr r5, =sp_before\n\t"
                     "str r6, [r5]\n\t"
                     "ldr r0, =0x10101010\n\t"
                     "ldr r1, =0x11111111\n\t"
                     "ldr r2, =0x12121212\n\t"
                     "ldr r3, =0x13131313\n\t"
                     "ldr r12, =0x1c1c1c1c\n\t"
                     "ldr lr, =0x1e1e1e1f\n\t"
                     "ldr r4, =0x90000000\n\t"
                     "msr apsr_nzcvq, r4\n\t"
                     ".global frame_svc\n"
                     "frame_svc:\n\t"
                     "svc #7\n\t"
                     "mov r4, sp\n\t"
                     "sub %0, r6, r4\n\t"
                     "add sp, sp, %1\n\t"
                     "mov lr, r8\n\t"
                     "b 1f\n\t"
                     ".ltorg\n"
                     "1:\n\t"
                     : "=&r"(diff) : "r"(adj) : "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r8", "r12", "lr", "memory", "cc");
    return diff;
}

int main(void)
{
    rt_hooks[EXC_SVCALL] = grab;
    rt_hooks[EXC_PENDSV] = grab;
    P("CCR=%08x\n", REG(CCR));
    for (int align = 1; align >= 0; align--) {
        if (align)
            REG(CCR) |= CCR_STKALIGN;
        else
            REG(CCR) &= ~CCR_STKALIGN;
        P("STKALIGN=%d\n", align);
        for (u32 adj = 0; adj <= 4; adj += 4) {
            u32 d = svc_frame(adj);
            P("  sp%%8=%u ", sp_before % 8);
            show("svc", 1);
            P("  sp restored: %s\n", d == 0 ? "yes" : "no");
        }
    }
    REG(CCR) |= CCR_STKALIGN;

    /* PendSV pended by a store: the return address is after the store, at
     * the latest after the ISB. */
    u32 dummy;
    rt_mark = LABEL_ADDR(frame_pend);
    __asm__ volatile("mov r6, sp\n\t"
                     "ldr r5, =sp_before\n\t"
                     "str r6, [r5]\n\t"
                     "ldr r0, =0xe000ed04\n\t"
                     "mov r1, #0x10000000\n\t"
                     ".global frame_pend\n"
                     "frame_pend:\n\t"
                     "str r1, [r0]\n\t"
                     "dsb\n\t"
                     "isb\n\t"
                     "movs %0, #1\n\t"
                     "b 1f\n\t"
                     ".ltorg\n"
                     "1:\n\t"
                     : "=r"(dummy) :: "r0", "r1", "r5", "r6", "memory", "cc");
    /* The exception is taken at the latest after the ISB (M+0x8); QEMU
     * takes it right after the store, so print only the bound. */
    P("pendsv: sp-frame=%u r0=%08x r1=%08x pc<=M+0x8: %s xpsr=%08x\n", sp_before - frame_addr, frame_copy[0],
      frame_copy[1], frame_copy[6] - rt_mark <= 8 ? "yes" : "no", frame_copy[7]);

    /* SVC inside an IT block: the stacked xPSR has the IT state of the rest
     * of the block. */
    rt_mark = LABEL_ADDR(frame_it);
    __asm__ volatile("mov r6, sp\n\t"
                     "ldr r5, =sp_before\n\t"
                     "str r6, [r5]\n\t"
                     "movs r0, #0\n\t"
                     "cmp r0, #0\n\t"
                     ".global frame_it\n"
                     "frame_it:\n\t"
                     "itttt eq\n\t"
                     "svceq #1\n\t"
                     "addeq r0, r0, #1\n\t"
                     "addeq r0, r0, #2\n\t"
                     "addeq r0, r0, #4\n\t"
                     "mov %0, r0\n\t"
                     "b 1f\n\t"
                     ".ltorg\n"
                     "1:\n\t"
                     : "=r"(dummy) :: "r0", "r5", "r6", "memory", "cc");
    show("svc in IT", 0);
    P("r0 after IT block=%u\n", dummy);
    return 0;
}
