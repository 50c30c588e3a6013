/* exc_svc: SVC exception entry and return. The default handler prints the
 * banked LR_svc (relative to a mark), SPSR_svc and the immediate, then returns
 * to the next instruction. Covers SVC from SVC, SYS and USR modes, extreme
 * immediates, conditional SVC (skipped and taken; T32 SVC in the middle of an
 * IT block so SPSR carries IT state), a hook that rewrites r0 like a system
 * call, and state after return (flags and registers preserved). */
#include "rt.h"

#ifdef __thumb__
#define SVC_MAX "255"
#else
#define SVC_MAX "0xffffff"
#endif

static NOINLINE void svc_basic(void)
{
    rt_mark = LABEL_ADDR(svc_basic_l);
    u32 r4v, apsr;
    __asm__ volatile(
        "mov r4, #0x44\n\t"
        "mov r0, #0\n\t"
        "msr APSR_nzcvqg, r0\n\t"
        "movs r0, #0\n\t" /* Z set */
        ".global svc_basic_l\n"
        "svc_basic_l:\n\t"
        "svc #0\n\t"
        "svc #1\n\t"
        "svc #" SVC_MAX "\n\t"
        "mrs %1, apsr\n\t"
        "mov %0, r4\n\t"
        : "=r"(r4v), "=r"(apsr)
        :
        : "r0", "r4", "lr", "cc", "memory");
    P("after: r4=%x ", r4v);
    rt_flags(apsr);
    P("\n");
}

static NOINLINE void svc_cond(void)
{
    rt_mark = LABEL_ADDR(svc_cond_l);
    u32 r0v;
    __asm__ volatile(
        "mov r0, #0\n\t"
        ".global svc_cond_l\n"
        "svc_cond_l:\n\t"
        "cmp r0, #0\n\t"
        "svcne #2\n\t" /* skipped */
        "svceq #3\n\t" /* taken */
        "itt eq\n\t"
        "svceq #4\n\t" /* T32: IT state for the next slot is saved in SPSR */
        "addeq r0, r0, #1\n\t"
        "cmp r0, #5\n\t"
        "ite ne\n\t"
        "addne r0, r0, #0x10\n\t"
        "svceq #5\n\t" /* skipped */
        "mov %0, r0\n\t"
        : "=r"(r0v)
        :
        : "r0", "lr", "cc", "memory");
    P("after: r0=%x\n", r0v);
}

/* A system-call style hook: r0 = r0 * 3 + imm, report nothing. */
static int syscall_hook(int kind, struct rt_frame *f)
{
    (void)kind;
    u32 imm = (f->spsr & PSR_T) ? *(volatile u16 *)(f->lr - 2) & 0xff
                                : *(volatile u32 *)(f->lr - 4) & 0xffffff;
    f->r[0] = f->r[0] * 3 + imm;
    f->r[1] = f->spsr & 0x1f;
    return 1;
}

static NOINLINE void svc_hooked(void)
{
    u32 r0v, r1v;
    rt_hooks[EXC_SVC] = syscall_hook;
    __asm__ volatile(
        "mov r0, #5\n\t"
        "svc #7\n\t"
        "svc #9\n\t"
        "mov %0, r0\n\t"
        "mov %1, r1\n\t"
        : "=r"(r0v), "=r"(r1v)
        :
        : "r0", "r1", "lr", "memory");
    rt_hooks[EXC_SVC] = 0;
    P("hooked: r0=%u mode=%x\n", r0v, r1v);
}

static volatile u32 user_result[4];

static void in_user(void)
{
    u32 r0v, r1v, cpsr;
    rt_hooks[EXC_SVC] = syscall_hook;
    __asm__ volatile(
        "mov r0, #1\n\t"
        "svc #2\n\t"
        "mov %0, r0\n\t"
        "mov %1, r1\n\t"
        "mrs %2, cpsr\n\t"
        : "=r"(r0v), "=r"(r1v), "=r"(cpsr)
        :
        : "r0", "r1", "lr", "memory");
    rt_hooks[EXC_SVC] = 0;
    user_result[0] = r0v;
    user_result[1] = r1v;
    user_result[2] = cpsr;
}

static void in_sys(void)
{
    rt_mark = LABEL_ADDR(svc_sys_l);
    __asm__ volatile(".global svc_sys_l\n"
                     "svc_sys_l:\n\t"
                     "svc #0x42\n\t" ::: "lr", "memory");
}

int main(void)
{
    P("svc from svc mode:\n");
    svc_basic();
    P("conditional svc:\n");
    svc_cond();
    svc_hooked();
    P("svc from sys mode:\n");
    rt_mode_call(in_sys, MODE_SYS);
    rt_mode_call(in_user, MODE_USR);
    P("svc from user mode: r0=%u spsr.mode=%x cpsr in user=%08x\n", user_result[0],
      user_result[1], user_result[2]);
    P("back in mode %x\n", get_cpsr() & 0x1f);
    return 0;
}
