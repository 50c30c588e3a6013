/* unaligned: with SCTLR.A = 0, LDR/STR/LDRH/STRH/LDRSH/LDRT at every
 * misalignment, with the MMU on and RAM mapped as Normal
 * memory (architecturally defined), and the same loads with the MMU off
 * (Strongly-ordered memory: UNPREDICTABLE in ARMv7 and a fault in later
 * architectures; QEMU 7.2 simply performs the access, recorded here).
 * Then SCTLR.A = 1: the same accesses take Alignment faults (DFSR FS 0b00001),
 * as do LDRD/STRD/LDM/STM/LDREX that are not word aligned even with A = 0. */
#include "rt.h"

#define L1 ((volatile u32 *)0x40300000)
#define BUF 0x40400000u

static void fill(void)
{
    for (int i = 0; i < 64; i++)
        ((volatile u8 *)BUF)[i] = (u8)(0x10 + i * 7);
}

static void dump(void)
{
    for (int i = 0; i < 16; i++)
        P("%02x", ((volatile u8 *)BUF)[i]);
    P("\n");
}

static NOINLINE void loads(const char *tag)
{
    P("%s\n", tag);
    for (u32 off = 0; off < 4; off++) {
        u32 a = BUF + 8 + off, w, h, sh, wt;
        fill();
        rt_mark = LABEL_ADDR(ua_ld_l);
        __asm__ volatile(".global ua_ld_l\nua_ld_l:\n\t"
                         "ldr %0, [%4]\n\t"
                         "ldrh %1, [%4]\n\t"
                         "ldrsh %2, [%4, #1]\n\t"
                         "ldrt %3, [%4]\n\t"
                         : "=&r"(w), "=&r"(h), "=&r"(sh), "=&r"(wt)
                         : "r"(a)
                         : "memory");
        P(" +%u: ldr=%08x ldrh=%04x ldrsh+1=%08x ldrt=%08x\n", off, w, h, sh, wt);
        fill();
        rt_mark = LABEL_ADDR(ua_st_l);
        __asm__ volatile(".global ua_st_l\nua_st_l:\n\t"
                         "str %0, [%2]\n\t"
                         "strh %1, [%2, #5]\n\t" ::"r"(0xa1b2c3d4u),
                         "r"(0xe5f6u), "r"(a)
                         : "memory");
        P("   str/strh+5:");
        dump();
    }
}

static NOINLINE void strict(void)
{
    u32 a = BUF + 10, v = 0, v2 = 0;
    P("SCTLR.A=1:\n");
    rt_mark = LABEL_ADDR(ua_strict_l);
    __asm__ volatile(".global ua_strict_l\nua_strict_l:\n\t"
                     "ldr %0, [%2]\n\t"
                     "ldrh %0, [%2, #1]\n\t"
                     "str %0, [%2]\n\t"
                     "ldrb %1, [%2, #1]\n\t" /* bytes never fault */
                     "ldrh %0, [%2]\n\t"     /* halfword-aligned: fine */
                     : "+&r"(v), "+&r"(v2)
                     : "r"(a)
                     : "memory");
    P("  v=%08x v2=%08x\n", v, v2);
}

static NOINLINE void always_aligned(void)
{
    register u32 r4 __asm__("r4") = 0, r5 __asm__("r5") = 0;
    u32 a = BUF + 2, b = BUF + 4;
    P("always word-aligned (A=0): ldrd/strd at +2, ldm/stm at +2, ldrex at +2, ldrd at +4\n");
    rt_mark = LABEL_ADDR(ua_always_l);
    __asm__ volatile(".global ua_always_l\nua_always_l:\n\t"
                     "ldrd r4, r5, [%[a]]\n\t"
                     "strd r4, r5, [%[a]]\n\t"
                     "ldm %[a], {r4, r5}\n\t"
                     "stm %[a], {r4, r5}\n\t"
                     "ldrex r4, [%[a]]\n\t"
                     "ldrd r4, r5, [%[b]]\n\t"
                     : "+r"(r4), "+r"(r5)
                     : [a] "r"(a), [b] "r"(b)
                     : "memory");
    P("  ldrd at +4: %08x %08x\n", r4, r5);
}

int main(void)
{
    P("sctlr=%08x (A=%u)\n", get_sctlr(), (get_sctlr() >> 1) & 1);
    loads("mmu off");

    for (u32 mb = 0; mb < 4096; mb++)
        L1[mb] = 0;
    for (u32 va = 0; va < 0x40000000u; va += 0x100000)
        L1[va >> 20] = va | (1u << 2) | (3u << 10) | (1u << 4) | 2; /* device, XN */
    for (u32 va = 0x40000000u; va < 0x50000000u; va += 0x100000)
        L1[va >> 20] = va | (1u << 12) | (3u << 2) | (3u << 10) | 2; /* normal WB */
    MCR(0, 3, 0, 0, 0x1);
    MCR(0, 2, 0, 2, 0);
    MCR(0, 2, 0, 0, (u32)L1);
    __asm__ volatile("dsb\n\tmcr p15, 0, %0, c8, c7, 0\n\tdsb\n\tisb" ::"r"(0) : "memory");
    set_sctlr(get_sctlr() | SCTLR_M | SCTLR_C);
    loads("mmu on, normal memory");
    fill();
    always_aligned();
    set_sctlr(get_sctlr() | SCTLR_A);
    fill();
    strict();
    set_sctlr(get_sctlr() & ~(SCTLR_A | SCTLR_M | SCTLR_C));
    P("done, sctlr=%08x\n", get_sctlr());
    return 0;
}
