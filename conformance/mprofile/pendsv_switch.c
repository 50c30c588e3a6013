/* pendsv_switch: an RTOS-style context switch. Two threads run on their own
 * process stacks (PSP); thread A privileged, thread B unprivileged
 * (CONTROL.nPRIV, set per thread by the switcher). A thread yields with SVC
 * #1; the SVCall handler pends PendSV (lowest priority), which tail-chains
 * and swaps r4-r11 and PSP (naked handler, EXC_RETURN 0xfffffffd). Each
 * thread checks that its r4-r11 survive the switches and prints the stack
 * and privilege it runs with. The first switch comes from main on MSP
 * through SVC #0; the last thread returns to main with SVC #2 (returning
 * with the EXC_RETURN that SVC #0 had, 0xffffffe9 on the M4 if main used the
 * FPU). */
#include "rt.h"
#ifdef __ARM_FP
/* The threads do not use the FPU, so all their frames are basic ones. */
#pragma GCC target("general-regs-only")
#endif

struct tcb {
    u32 sp;      /* saved PSP, r4-r11 below the hardware frame */
    u32 control; /* CONTROL.nPRIV for the thread */
};

static struct tcb tcbs[2];
static u32 stacks[2][256] ALIGNED(8);
struct tcb *volatile cur_tcb;
struct tcb *volatile next_tcb;

static NOINLINE u32 check_regs(u32 seed)
{
    u32 ok;
    /* Load r4-r11 with seed+i, yield twice, compare. */
    __asm__ volatile("add r4, %1, #4\n\t"
                     "add r5, %1, #5\n\t"
                     "add r6, %1, #6\n\t"
                     "add r7, %1, #7\n\t"
                     "add r8, %1, #8\n\t"
                     "add r9, %1, #9\n\t"
                     "add r10, %1, #10\n\t"
                     "add r11, %1, #11\n\t"
                     "svc #1\n\t"
                     "svc #1\n\t"
                     "movs %0, #0\n\t"
                     "sub r4, r4, %1\n\tcmp r4, #4\n\tit ne\n\taddne %0, %0, #1\n\t"
                     "sub r5, r5, %1\n\tcmp r5, #5\n\tit ne\n\taddne %0, %0, #1\n\t"
                     "sub r6, r6, %1\n\tcmp r6, #6\n\tit ne\n\taddne %0, %0, #1\n\t"
                     "sub r7, r7, %1\n\tcmp r7, #7\n\tit ne\n\taddne %0, %0, #1\n\t"
                     "sub r8, r8, %1\n\tcmp r8, #8\n\tit ne\n\taddne %0, %0, #1\n\t"
                     "sub r9, r9, %1\n\tcmp r9, #9\n\tit ne\n\taddne %0, %0, #1\n\t"
                     "sub r10, r10, %1\n\tcmp r10, #10\n\tit ne\n\taddne %0, %0, #1\n\t"
                     "sub r11, r11, %1\n\tcmp r11, #11\n\tit ne\n\taddne %0, %0, #1\n\t"
                     : "=&r"(ok)
                     : "r"(seed)
                     : "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "memory", "cc");
    return ok;
}

static void yield(void) { __asm__ volatile("svc #1" ::: "memory"); }

static void thread(int id)
{
    for (int round = 0; round < 3; round++) {
        u32 sp = MRS(psp);
        u32 bad = check_regs(0x1000 * (id + 1) + round);
        P("thread %c round %d: control=%x psp in stack %d, r4-r11 mismatches=%u\n", 'A' + id, round,
          MRS(control), sp - (u32)stacks[0] < sizeof(stacks[0]) ? 0 : 1, bad);
        yield();
    }
    P("thread %c done\n", 'A' + id);
    __asm__ volatile("svc #2" ::: "memory");
}

static void thread_a(void) { thread(0); }
static void thread_b(void) { thread(1); }

static void init(struct tcb *t, u32 *stack_top, void (*fn)(void), u32 control)
{
    u32 *sp = stack_top - 16;
    for (int i = 0; i < 8; i++)
        sp[i] = 0; /* r4-r11 */
    sp[8 + F_R0] = 0;
    sp[8 + F_R1] = 0;
    sp[8 + F_R2] = 0;
    sp[8 + F_R3] = 0;
    sp[8 + F_R12] = 0;
    sp[8 + F_LR] = 0xffffffff;
    sp[8 + F_PC] = (u32)fn & ~1u;
    sp[8 + F_XPSR] = 1u << 24;
    t->sp = (u32)sp;
    t->control = control;
}

__attribute__((naked)) void PendSV_Handler(void)
{
    __asm__ volatile("ldr r2, =cur_tcb\n\t"
                     "ldr r1, [r2]\n\t"
                     "cbz r1, 1f\n\t"
                     "mrs r0, psp\n\t"
                     "stmdb r0!, {r4-r11}\n\t"
                     "str r0, [r1]\n"
                     "1:\n\t"
                     "ldr r3, =next_tcb\n\t"
                     "ldr r1, [r3]\n\t"
                     "str r1, [r2]\n\t"
                     "ldr r0, [r1]\n\t"
                     "ldmia r0!, {r4-r11}\n\t"
                     "msr psp, r0\n\t"
                     "ldr r0, [r1, #4]\n\t"
                     "msr control, r0\n\t"
                     "isb\n\t"
                     "ldr lr, =0xfffffffd\n\t"
                     "bx lr\n\t"
                     ".ltorg\n");
}

static int done;
static u32 main_excret;

static u32 svc(u32 exc, u32 *frame, u32 er)
{
    u32 imm = *(volatile u16 *)(frame[F_PC] - 2) & 0xff;
    if (imm == 0 || imm == 1) {
        next_tcb = cur_tcb == &tcbs[0] ? &tcbs[1] : &tcbs[0];
        if (imm == 0)
            main_excret = er;
        pend_pendsv();
        return er;
    }
    /* SVC #2: a thread has finished; when both have, go back to main. */
    if (++done < 2) {
        /* Drop this thread: switch without saving it. */
        next_tcb = cur_tcb == &tcbs[0] ? &tcbs[1] : &tcbs[0];
        cur_tcb = 0;
        pend_pendsv();
        return er;
    }
    MSR(control, 0);
    return main_excret; /* main's frame is still on MSP */
}

int main(void)
{
    set_prio(EXC_PENDSV, 0xff);
    set_prio(EXC_SVCALL, 0x80);
    rt_hooks[EXC_SVCALL] = svc;
    init(&tcbs[0], &stacks[0][256], thread_a, 0);
    init(&tcbs[1], &stacks[1][256], thread_b, 1);
    cur_tcb = 0;
    next_tcb = &tcbs[1];
    __asm__ volatile("svc #0" ::: "r0", "r1", "r2", "r3", "r12", "lr", "memory");
    P("back in main: control=%x ipsr=%x\n", MRS(control), MRS(ipsr));
    return 0;
}
