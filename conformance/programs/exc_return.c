/* exc_return: exception returns in both instruction sets. SUBS PC, LR, #imm
 * and MOVS PC, LR from SVC restoring CPSR from SPSR: into SYS mode with new
 * flags/GE/Q, into the other instruction set, and into Thumb code in the
 * middle of an IT block with SPSR.IT describing the rest of the block (the
 * block's IT instruction itself never runs). */
#include "rt.h"

#ifdef __thumb__
#define BACK_ISA ".thumb"
#else
#define BACK_ISA ".arm"
#endif

/* Four 16-bit ADDs (no flags inside an IT block), then BX r4. */
__asm__(".pushsection .text.itblk, \"ax\"\n"
        ".thumb\n"
        ".balign 4\n"
        ".global it_block\n"
        ".type it_block, %function\n"
        ".thumb_func\n"
        "it_block:\n"
        ".inst.n 0x3001\n" /* add r0, #1 */
        ".inst.n 0x3002\n" /* add r0, #2 */
        ".inst.n 0x3004\n" /* add r0, #4 */
        ".inst.n 0x3008\n" /* add r0, #8 */
        "mrs r1, apsr\n"
        "bx r4\n"
        ".arm\n"
        ".balign 4\n"
        ".global arm_target\n"
        ".type arm_target, %function\n"
        "arm_target:\n"
        "mrs r1, cpsr\n"
        "add r0, r0, #0x100\n"
        "bx r4\n"
        ".popsection\n" BACK_ISA "\n");

/* Return to target with the given SPSR; the target comes back via BX r4.
 * Returns r0; *cpsr_there gets r1 (MRS at the target). */
static NOINLINE u32 eret(u32 spsr, u32 target, u32 *cpsr_there)
{
    register u32 r0 __asm__("r0") = 0;
    register u32 r1 __asm__("r1") = 0;
    __asm__ volatile("mrs r2, cpsr\n\t"
                     "push {r2}\n\t"
                     "ldr r4, =eret_back\n\t"
#ifdef __thumb__
                     "orr r4, r4, #1\n\t"
#endif
                     "msr spsr_fsxc, %2\n\t"
                     "mov lr, %3\n\t"
                     "subs pc, lr, #0\n\t"
                     ".global eret_back\n"
                     "eret_back:\n\t"
                     "pop {r2}\n\t"
                     "msr cpsr_fsxc, r2\n\t"
                     : "+r"(r0), "+r"(r1)
                     : "r"(spsr), "r"(target)
                     : "r2", "r4", "lr", "memory", "cc");
    *cpsr_there = r1;
    return r0;
}

/* SUBS PC, LR, #8 and MOVS PC, LR into SYS mode in the build's own ISA. */
static NOINLINE void same_isa(void)
{
    u32 a, b;
#ifdef __thumb__
    u32 t = PSR_T; /* MRS never shows T, so it comes from the build */
#else
    u32 t = 0;
#endif
    __asm__ volatile("mrs r2, cpsr\n\t"
                     "msr spsr_fsxc, %2\n\t"
                     "ldr lr, =1f + 8\n\t"
                     "subs pc, lr, #8\n\t"
                     "nop\n"
                     "1:\n\t"
                     "mrs %0, cpsr\n\t"
                     "msr cpsr_fsxc, r2\n\t"
                     "msr spsr_fsxc, %3\n\t"
                     "ldr lr, =2f\n\t"
                     "movs pc, lr\n\t"
                     "nop\n"
                     "2:\n\t"
                     "mrs %1, cpsr\n\t"
                     "msr cpsr_fsxc, r2\n\t"
                     : "=&r"(a), "=&r"(b)
                     : "r"(0x980a01dfu | t), "r"(0x400501d3u | t)
                     : "r2", "lr", "memory", "cc");
    P("subs pc, lr, #8 -> cpsr %08x; movs pc, lr -> cpsr %08x\n", a, b);
}

int main(void)
{
    same_isa();
    u32 there, r;
    r = eret(0x200001d3, LABEL_ADDR(arm_target), &there);
    P("to arm: r0=%x cpsr there=%08x\n", r, there);
    r = eret(0x800001f3, LABEL_ADDR(it_block) & ~1u, &there);
    P("to thumb, no IT: r0=%x flags there=%08x\n", r, there & 0xf8000000);

    /* ITSTATE = firstcond:mask; SPSR.IT[1:0] = bits 26:25, IT[7:2] = 15:10. */
    static const struct {
        u8 it;
        const char *what;
    } cases[] = {
        {0x08, "it eq (1 slot)"},      {0x04, "itt eq"},        {0x0c, "ite eq"},
        {0x06, "itte eq"},             {0x0e, "itee eq"},       {0x01, "itttt eq"},
        {0x0f, "iteee eq"},            {0x1f, "itttt ne"},
        {0x19, "ittee ne"},            {0xe8, "it al"},         {0x28, "it cs"},
        {0xb6, "itet lt"},             {0x05, "ittet eq"},
    };
    for (int i = 0; i < ARRAY_LEN(cases); i++) {
        u32 it = cases[i].it;
        u32 spsr_it = ((it & 3u) << 25) | ((it >> 2) << 10);
        P("%-40s", cases[i].what);
        for (u32 fl = 0; fl < 4; fl++) {
            u32 flags = ((fl & 1) ? 0x40000000u : 0) | ((fl & 2) ? 0x20000000u : 0); /* Z, C */
            r = eret(0x000001f3 | flags | spsr_it, LABEL_ADDR(it_block) & ~1u, &there);
            P(" z%uc%u:%x", fl & 1, fl >> 1, r);
        }
        P("\n");
    }
    return 0;
}
