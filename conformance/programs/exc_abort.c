/* exc_abort: Prefetch and Data Aborts from physical addresses with nothing
 * behind them on QEMU's virt board (MMU off). Records DFSR/DFAR/IFSR/IFAR and
 * LR_abt for: loads/stores of every size just past the end of RAM
 * (0x50000000 with -m 256), LDRD and LDM straddling the end of RAM (base
 * register after LDM with writeback), unassigned holes in the device map
 * (0x09001000 after the PL011, 0x0c000000 platform bus, 0xf0000000), a
 * branch to unmapped memory in both states, and execution
 * running off the end of RAM in both states. */
#include "rt.h"

#define RAM_END 0x50000000u

/* Run "insn" with r1 = addr; the default handler prints and skips it. */
#define LOAD(name, insn)                                                            \
    static NOINLINE u32 name(u32 addr)                                              \
    {                                                                               \
        register u32 r1 __asm__("r1") = addr;                                       \
        register u32 r2 __asm__("r2") = 0x22222222;                                 \
        register u32 r3 __asm__("r3") = 0x33333333;                                 \
        rt_mark = LABEL_ADDR(name##_l);                                             \
        __asm__ volatile(".global " #name "_l\n" #name "_l:\n\t" insn                \
                         : "+r"(r1), "+r"(r2), "+r"(r3)::"memory");                 \
        P("  -> r1=%08x\n", r1);                                                    \
        return r2;                                                                  \
    }

LOAD(ldr_w, "ldr r2, [r1]")
LOAD(ldrb_w, "ldrb r2, [r1, #1]")
LOAD(ldrh_w, "ldrh r2, [r1, #2]")
LOAD(ldrsh_w, "ldrsh r2, [r1, #-2]")
LOAD(str_w, "str r2, [r1]")
LOAD(strb_w, "strb r2, [r1, #3]")
LOAD(strh_w, "strh r2, [r1]")
LOAD(ldrd_w, "ldrd r2, r3, [r1]")
LOAD(strd_w, "strd r2, r3, [r1]")
LOAD(ldr_pre, "ldr r2, [r1, #4]!")
LOAD(ldr_post, "ldr r2, [r1], #4")
LOAD(ldm_wb, "ldmia r1!, {r2, r3}")
LOAD(ldm_wb4, "push {r4, r5}\n\tldmia r1!, {r2-r5}\n\tpop {r4, r5}")
LOAD(ldr16, "ldr r2, [r1, #0]")
LOAD(ldr_b, "ldr r2, [r1]")

static void show(const char *what, u32 (*fn)(u32), u32 addr)
{
    P("%s @%08x\n", what, addr);
    fn(addr);
}

/* Branch to addr (bit 0 = Thumb); resume after the call. Prefetch aborts
 * resume through rt_resume; LR values are printed relative to addr. */
static NOINLINE void jump_to(u32 addr)
{
    rt_mark = addr & ~1u;
    rt_resume = LABEL_ADDR(jump_back) | (get_cpsr() & PSR_T ? 1 : 0);
#ifdef __thumb__
    rt_resume |= 1;
#endif
    __asm__ volatile("blx %0\n\t"
                     ".global jump_back\n"
                     "jump_back:\n\t"
                     "nop\n\t" ::"r"(addr)
                     : "lr", "memory", "r0", "r1", "r2", "r3", "r12", "cc");
    P("  resumed\n");
}

static void sync_code(u32 addr)
{
    __asm__ volatile("dsb\n\t"
                     "mcr p15, 0, %0, c7, c5, 0\n\t" /* ICIALLU */
                     "dsb\n\tisb" ::"r"(addr)
                     : "memory");
}

int main(void)
{
    show("ldr", ldr_w, RAM_END);
    show("ldrb", ldrb_w, RAM_END);
    show("ldrh", ldrh_w, RAM_END);
    show("ldrsh", ldrsh_w, RAM_END + 2);
    show("str", str_w, RAM_END);
    show("strb", strb_w, RAM_END);
    show("strh", strh_w, RAM_END + 0x100);
    show("ldrd straddling", ldrd_w, RAM_END - 4);
    show("strd straddling", strd_w, RAM_END - 4);
    show("ldr pre-index writeback", ldr_pre, RAM_END - 4);
    show("ldr post-index writeback", ldr_post, RAM_END);
    show("ldmia! straddling", ldm_wb, RAM_END - 4);
    show("ldmia! 4 regs straddling", ldm_wb4, RAM_END - 8);
    show("ldr far beyond RAM", ldr16, 0xf0000000);
    show("ldr uart hole", ldr_b, 0x09001000);
    show("str uart hole", str_w, 0x09001ffc);
    show("ldr platform bus", ldr_b, 0x0c000000);

    P("branch to 0x50000000 (ARM):\n");
    jump_to(RAM_END);
    P("branch to 0x50000001 (Thumb):\n");
    jump_to(RAM_END | 1);
    P("branch to 0x0c000000 (platform bus):\n");
    jump_to(0x0c000000);

    /* Fall off the end of RAM: NOP in the last word, then 0x50000000. */
    *(volatile u32 *)(RAM_END - 4) = 0xe320f000; /* A32 NOP */
    sync_code(RAM_END - 4);
    P("arm nop at last word of RAM:\n");
    jump_to(RAM_END - 4);
    /* (A T32 32-bit instruction whose second halfword lies beyond RAM is not
     * tested: QEMU 7.2 dies on it with "translator_access: Assertion
     * `phys_page != -1' failed"; architecturally it is a Prefetch Abort.) */
    /* T32 16-bit NOP in the last halfword, then fetch beyond. */
    *(volatile u16 *)(RAM_END - 2) = 0xbf00;
    sync_code(RAM_END - 2);
    P("thumb nop at last halfword of RAM:\n");
    jump_to((RAM_END - 2) | 1);
    return 0;
}
