/* fp_context: floating-point context on exception entry and return
 * (Cortex-M4, FPv4-SP). BOARDS: an386
 *
 * CONTROL.FPCA and the FP frame: without FP use since the last CONTROL write
 * the frame is the basic 8 words and EXC_RETURN 0xfffffff9; after an FP
 * instruction (ASPEN=1) the frame is extended (s0-s15, FPSCR, reserved) and
 * EXC_RETURN is 0xffffffe9 (Thread, MSP), 0xffffffed (Thread, PSP) or
 * 0xffffffe1 (Handler). With LSPEN=1 (lazy) the space is reserved but not
 * written: FPCCR.LSPACT=1 and FPCAR = frame + 0x20 in the handler, the slots
 * keep the stack's previous contents until the handler's first FP
 * instruction stores them (LSPACT then 0); a stacked s0 changed by a handler
 * that never used the FPU does not reach s0 (nothing is restored while
 * LSPACT=1). With LSPEN=0 the registers are stored on entry and restored on
 * return. Inside the handler CONTROL.FPCA is 0 until it uses the FPU, and
 * its FPSCR comes from FPDSCR. ASPEN=0: FP instructions do not set FPCA. */
#pragma GCC target("general-regs-only")
#include "rt.h"

#define FILL 0xaaaaaaaau

static volatile u32 mode;  /* bit 0: touch FP in the handler; bit 1: change stacked s0 */
static volatile u32 h_er, h_control, h_fpccr, h_fpcar_off, h_slots[18], h_fpccr_after, h_fpscr, h_control_after;
static volatile u32 h_pendsv_er;

static u32 svc(u32 exc, u32 *frame, u32 er)
{
    h_er = er;
    h_control = MRS(control);
    h_fpccr = REG(FPCCR);
    h_fpcar_off = REG(FPCAR) - (u32)frame;
    if (mode & 1) {
        u32 v;
        __asm__ volatile("vmrs %0, fpscr\n\tvmov.f32 s0, #1.0\n\tvmov.f32 s15, #2.0" : "=r"(v) :: "memory");
        h_fpscr = v;
        h_control_after = MRS(control);
        if (mode & 4)
            pend_pendsv(); /* PendSV (higher priority) preempts with an FP context active */
    }
    for (int i = 0; i < 18; i++)
        h_slots[i] = (er & 0x10) ? 0 : frame[8 + i];
    if (mode & 2)
        frame[8] = 0x40490fdb; /* pi */
    h_fpccr_after = REG(FPCCR);
    return er;
}

static u32 pendsv(u32 exc, u32 *frame, u32 er)
{
    h_pendsv_er = er;
    return er;
}

/* Load s0-s15 and FPSCR, fill the 32 words below SP, SVC, read back s0 and
 * s15. use_fp=0 skips the FP loads (FPCA stays as it is). */
static NOINLINE void run(int use_fp, u32 *s0_after, u32 *s15_after)
{
    u32 a, b;
    __asm__ volatile("cbz %2, 1f\n\t"
                     "movw r0, #0x1000\n\t"
                     "vmov s0, r0\n\tadds r0, #1\n\tvmov s1, r0\n\tadds r0, #1\n\tvmov s2, r0\n\tadds r0, #1\n\t"
                     "vmov s3, r0\n\tadds r0, #1\n\tvmov s4, r0\n\tadds r0, #1\n\tvmov s5, r0\n\tadds r0, #1\n\t"
                     "vmov s6, r0\n\tadds r0, #1\n\tvmov s7, r0\n\tadds r0, #1\n\tvmov s8, r0\n\tadds r0, #1\n\t"
                     "vmov s9, r0\n\tadds r0, #1\n\tvmov s10, r0\n\tadds r0, #1\n\tvmov s11, r0\n\tadds r0, #1\n\t"
                     "vmov s12, r0\n\tadds r0, #1\n\tvmov s13, r0\n\tadds r0, #1\n\tvmov s14, r0\n\tadds r0, #1\n\t"
                     "vmov s15, r0\n\t"
                     "movs r0, #0x9f\n\t"      /* cumulative exception flags IOC..IDC */
                     "vmsr fpscr, r0\n"
                     "1:\n\t"
                     "ldr r0, =0xaaaaaaaa\n\t"
                     "mov r1, sp\n\t"
                     "movs r2, #32\n"
                     "2:\n\t"
                     "str r0, [r1, #-4]!\n\t"
                     "subs r2, #1\n\t"
                     "bne 2b\n\t"
                     "svc #1\n\t"
                     "cbz %2, 3f\n\t"
                     "vmov %0, s0\n\t"
                     "vmov %1, s15\n\t"
                     "b 4f\n"
                     "3:\n\t"
                     "movs %0, #0\n\t"
                     "movs %1, #0\n"
                     "4:\n\t"
                     "b 5f\n\t"
                     ".ltorg\n"
                     "5:\n\t"
                     : "=&r"(a), "=&r"(b) : "r"(use_fp) : "r0", "r1", "r2", "r3", "r12", "lr", "memory", "cc");
    *s0_after = a;
    *s15_after = b;
}

static void report(const char *what, int use_fp)
{
    u32 s0, s15;
    run(use_fp, &s0, &s15);
    P("%s:\n", what);
    P("  excret=%08x control=%x fpccr=%08x", h_er, h_control, h_fpccr);
    if (!(h_er & 0x10))
        P(" fpcar=frame+0x%x", h_fpcar_off);
    P("\n");
    if (!(h_er & 0x10)) {
        P("  slots s0-s3:");
        for (int i = 0; i < 4; i++)
            P(" %08x", h_slots[i]);
        P(" s15=%08x fpscr=%08x\n", h_slots[15], h_slots[16]);
    }
    if (mode & 1)
        P("  after handler FP use: control=%x fpscr=%08x\n", h_control_after, h_fpscr);
    P("  fpccr at return=%08x; thread after: s0=%08x s15=%08x control=%x\n", h_fpccr_after, s0, s15,
      MRS(control));
}

int main(void)
{
    rt_hooks[EXC_SVCALL] = svc;
    rt_hooks[EXC_PENDSV] = pendsv;
    P("FPCCR=%08x FPCAR=%08x FPDSCR=%08x CPACR=%08x control=%x\n", REG(FPCCR), REG(FPCAR), REG(FPDSCR),
      REG(CPACR), MRS(control));
    MSR(control, 0);
    mode = 0;
    report("no FP use (FPCA=0)", 0);
    report("FP used, lazy, handler without FP", 1);
    mode = 2;
    report("lazy, handler changes stacked s0 only", 1);
    mode = 1;
    REG(FPDSCR) = 3u << 22; /* RMode = round towards zero */
    report("lazy, handler uses FP (FPDSCR.RMode=3)", 1);
    REG(FPDSCR) = 0;
    mode = 3;
    report("lazy, handler uses FP and changes stacked s0", 1);

    REG(FPCCR) &= ~(1u << 30); /* LSPEN=0 */
    P("FPCCR=%08x\n", REG(FPCCR));
    mode = 0;
    report("LSPEN=0, handler without FP", 1);
    mode = 2;
    report("LSPEN=0, handler changes stacked s0", 1);
    REG(FPCCR) |= 1u << 30;

    mode = 5;
    set_prio(EXC_SVCALL, 0x80);
    set_prio(EXC_PENDSV, 0x40);
    report("handler uses FP, PendSV preempts", 1);
    P("  PendSV excret=%08x\n", h_pendsv_er);

    mode = 0;
    static u32 psp_stack[128] ALIGNED(8);
    MSR(psp, (u32)&psp_stack[128]);
    __asm__ volatile("vmov.f32 s0, #1.0\n\t"
                     "mrs r0, control\n\t"
                     "orr r0, r0, #2\n\t"
                     "msr control, r0\n\t"
                     "isb\n\t"
                     "svc #2\n\t"
                     "mrs r0, control\n\t"
                     "bic r0, r0, #2\n\t"
                     "msr control, r0\n\t"
                     "isb\n\t"
                     ::: "r0", "r1", "r2", "r3", "r12", "lr", "memory", "cc");
    P("FP used on PSP: excret=%08x\n", h_er);

    MSR(control, 0);
    REG(FPCCR) &= ~(1u << 31); /* ASPEN=0 */
    __asm__ volatile("vmov.f32 s0, #1.0" ::: "memory");
    P("ASPEN=0, after an FP instruction: control=%x\n", MRS(control));
    __asm__ volatile("svc #3" ::: "memory");
    P("  svc excret=%08x\n", h_er);
    MSR(control, 4);
    P("  FPCA set by MSR: control=%x\n", MRS(control));
    __asm__ volatile("svc #3" ::: "memory");
    P("  svc excret=%08x\n", h_er);
    REG(FPCCR) |= 1u << 31;
    return 0;
}
