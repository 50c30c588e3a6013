/* cps: CPS/CPSIE/CPSID with every combination of A, I and F, with and without
 * a mode change, and CPS executed in User mode (a NOP there). Each result is
 * read back with MRS. */
#include "rt.h"

#define CPS(insn)                                                                  \
    ({                                                                             \
        u32 _old, _new;                                                            \
        __asm__ volatile("mrs %0, cpsr\n\t" insn "\n\tmrs %1, cpsr\n\t"             \
                         "msr cpsr_fsxc, %0"                                       \
                         : "=&r"(_old), "=&r"(_new)::"memory");                    \
        rt_insn_text(insn, 24);                                                    \
        P(" %08x -> %08x\n", _old & 0x1ff, _new & 0x1ff);                          \
    })

static volatile u32 user_res[3];

static void user_fn(void)
{
    u32 a, b, c;
    __asm__ volatile("mrs %0, cpsr\n\t"
                     "cpsie aif\n\t"
                     "mrs %1, cpsr\n\t"
                     "cps #0x13\n\t"
                     "mrs %2, cpsr\n\t"
                     : "=&r"(a), "=&r"(b), "=&r"(c)::"memory");
    user_res[0] = a;
    user_res[1] = b;
    user_res[2] = c;
}

int main(void)
{
    CPS("cpsie a");
    CPS("cpsie i");
    CPS("cpsie f");
    CPS("cpsie ai");
    CPS("cpsie if");
    CPS("cpsie aif");
    CPS("cpsid a");
    CPS("cpsid aif");
    CPS("cpsie aif\n\tcpsid f");
    CPS("cpsie aif\n\tcpsid ai");
    CPS("cpsie i, #0x1f");
    CPS("cpsid f, #0x1b");
    CPS("cpsie af, #0x17");
    CPS("cps #0x12");
    CPS("cps #0x11");
    CPS("cps #0x13");
    rt_mode_call(user_fn, MODE_USR);
    P("user: %08x -> cpsie aif %08x -> cps #svc %08x\n", user_res[0], user_res[1], user_res[2]);
    return 0;
}
