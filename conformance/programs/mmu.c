/* mmu: VMSAv7 short-descriptor translation. Builds an L1 table (identity map
 * of devices and RAM, aliases, read-only, privileged-only, execute-never,
 * no-access-domain and unmapped sections) plus an L2 table of small pages,
 * turns the MMU on and checks: aliased reads/writes/execution, translation,
 * permission and domain faults for sections and pages (DFSR/DFAR, IFSR/IFAR;
 * DFSR printed as WnR|ExT|FS, the deprecated domain field masked), LDRT/STRT
 * from SVC obeying User permissions, execute-never, remapping after
 * TLBIMVA/TLBIALL, ATS1CPR/ATS1CUR address translation into PAR, and turning
 * the MMU off again. */
#include "rt.h"

#define L1 ((volatile u32 *)0x40300000) /* 16 KiB aligned */
#define L2 ((volatile u32 *)0x40304000) /* 1 KiB aligned */
#define PA_A 0x40400000u
#define PA_B 0x40500000u

#define SEC 0x2u
#define SEC_B (1u << 2)
#define SEC_C (1u << 3)
#define SEC_XN (1u << 4)
#define SEC_DOM(d) ((u32)(d) << 5)
#define SEC_AP(ap) ((u32)(ap) << 10)
#define SEC_TEX(t) ((u32)(t) << 12)
#define SEC_APX (1u << 15)
#define NORMAL (SEC_TEX(1) | SEC_C | SEC_B)
#define DEVICE (SEC_B)

#define PG 0x2u
#define PG_XN 0x1u
#define PG_AP(ap) ((u32)(ap) << 4)
#define PG_APX (1u << 9)
#define PG_NORMAL ((1u << 6) | (1u << 3) | (1u << 2))

static void sec(u32 va, u32 pa, u32 attr)
{
    L1[va >> 20] = (pa & 0xfff00000u) | attr | SEC;
}

static void tlb_flush(void)
{
    __asm__ volatile("dsb\n\t"
                     "mcr p15, 0, %0, c8, c7, 0\n\t" /* TLBIALL */
                     "dsb\n\tisb" ::"r"(0)
                     : "memory");
}

static int abort_hook(int kind, struct rt_frame *f)
{
    int thumb = (f->spsr & PSR_T) != 0;
    if (kind == EXC_DABT) {
        u32 at = f->lr - 8;
        P("  DABT dfsr=%03x dfar=%08x at=", get_dfsr() & 0x1c0f, get_dfar());
        rt_praddr(at);
        P("\n");
        f->lr = at + rt_insn_size(at, thumb);
        return 1;
    }
    /* Prefetch abort: resume where the test asked. */
    P("  PABT ifsr=%03x ifar=%08x lr=%08x\n", get_ifsr() & 0x140f, get_ifar(), f->lr);
    u32 r = rt_resume;
    rt_resume = 0;
    f->lr = r & ~1u;
    f->spsr = (f->spsr & ~PSR_T) | ((r & 1) ? PSR_T : 0);
    return 1;
}

static NOINLINE u32 rd(u32 va)
{
    u32 v = 0xeeeeeeee;
    rt_mark = LABEL_ADDR(mmu_rd_l);
    __asm__ volatile(".global mmu_rd_l\nmmu_rd_l:\n\tldr %0, [%1]" : "+r"(v) : "r"(va) : "memory");
    return v;
}

static NOINLINE void wr(u32 va, u32 v)
{
    rt_mark = LABEL_ADDR(mmu_wr_l);
    __asm__ volatile(".global mmu_wr_l\nmmu_wr_l:\n\tstr %0, [%1]" ::"r"(v), "r"(va) : "memory");
}

static NOINLINE u32 rd_t(u32 va)
{
    u32 v = 0xeeeeeeee;
    rt_mark = LABEL_ADDR(mmu_rdt_l);
    __asm__ volatile(".global mmu_rdt_l\nmmu_rdt_l:\n\tldrt %0, [%1]" : "+r"(v) : "r"(va) : "memory");
    return v;
}

static NOINLINE void wr_t(u32 va, u32 v)
{
    rt_mark = LABEL_ADDR(mmu_wrt_l);
    __asm__ volatile(".global mmu_wrt_l\nmmu_wrt_l:\n\tstrt %0, [%1]" ::"r"(v), "r"(va) : "memory");
}

static NOINLINE u32 call(u32 va)
{
    u32 r;
    rt_resume = LABEL_ADDR(mmu_call_back);
#ifdef __thumb__
    rt_resume |= 1;
#endif
    __asm__ volatile("mov r0, #0\n\t"
                     "blx %1\n\t"
                     ".global mmu_call_back\nmmu_call_back:\n\t"
                     "mov %0, r0"
                     : "=r"(r)
                     : "r"(va)
                     : "r0", "r1", "r2", "r3", "r12", "lr", "memory", "cc");
    rt_resume = 0;
    return r;
}

static u32 par(u32 va, int user)
{
    if (user)
        MCR(0, 7, 8, 2, va); /* ATS1CUR */
    else
        MCR(0, 7, 8, 0, va); /* ATS1CPR */
    __asm__ volatile("isb");
    return MRC(0, 7, 4, 0);
}

int main(void)
{
    /* Identity map everything below RAM as device, RAM as normal memory. */
    for (u32 mb = 0; mb < 4096; mb++)
        L1[mb] = 0; /* fault */
    for (u32 va = 0; va < 0x40000000u; va += 0x100000)
        sec(va, va, DEVICE | SEC_AP(3) | SEC_XN);
    for (u32 va = 0x40000000u; va < 0x50000000u; va += 0x100000)
        sec(va, va, NORMAL | SEC_AP(3));
    sec(0x70000000, PA_A, NORMAL | SEC_AP(3));            /* alias, full access */
    sec(0x71000000, PA_A, NORMAL | SEC_APX | SEC_AP(1));  /* privileged read-only */
    sec(0x72000000, PA_A, NORMAL | SEC_AP(1));            /* privileged RW, user none */
    sec(0x73000000, PA_A, NORMAL | SEC_AP(3) | SEC_XN);   /* execute-never */
    sec(0x74000000, PA_A, NORMAL | SEC_AP(3) | SEC_DOM(1)); /* domain 1: no access */
    sec(0x76000000, PA_A, NORMAL | SEC_APX | SEC_AP(3));  /* read-only for everyone */
    /* 0x75000000: coarse table of small pages. */
    for (int i = 0; i < 256; i++)
        L2[i] = 0;
    L2[0] = PA_A | PG_NORMAL | PG_AP(3) | PG;
    L2[1] = 0;                                                /* fault */
    L2[2] = (PA_A + 0x1000) | PG_NORMAL | PG_APX | PG_AP(1) | PG; /* priv RO */
    L2[3] = (PA_A + 0x2000) | PG_NORMAL | PG_AP(3) | PG | PG_XN;
    L2[255] = (PA_B + 0xff000) | PG_NORMAL | PG_AP(3) | PG;
    L1[0x750] = (u32)L2 | SEC_DOM(0) | 0x1;

    for (int i = 0; i < 2048; i++) {
        ((volatile u32 *)PA_A)[i] = 0xa0000000u + (u32)i;
        ((volatile u32 *)PA_B)[i] = 0xb0000000u + (u32)i;
    }
    ((volatile u32 *)PA_B)[0x3fc00] = 0xb00fff00; /* PA_B + 0xff000 */
    /* A function at PA_A + 0x100: "mov r0, #42; bx lr" in ARM. */
    ((volatile u32 *)PA_A)[0x40] = 0xe3a0002a;
    ((volatile u32 *)PA_A)[0x41] = 0xe12fff1e;
    ((volatile u32 *)PA_A)[0x800] = 0xe3a0002b; /* at PA_A + 0x2000 */
    ((volatile u32 *)PA_A)[0x801] = 0xe12fff1e;

    rt_hooks[EXC_DABT] = abort_hook;
    rt_hooks[EXC_PABT] = abort_hook;

    MCR(0, 3, 0, 0, 0x1);       /* DACR: domain 0 client, domain 1 no access */
    MCR(0, 2, 0, 2, 0);         /* TTBCR: TTBR0 only, short descriptors */
    MCR(0, 2, 0, 0, (u32)L1);   /* TTBR0 */
    tlb_flush();
    set_sctlr(get_sctlr() | SCTLR_M | SCTLR_C | SCTLR_I);
    P("mmu on: sctlr=%08x\n", get_sctlr());

    P("alias read 70000010: %08x\n", rd(0x70000010));
    wr(0x70000020, 0x12345678);
    P("alias write, read at PA: %08x\n", *(volatile u32 *)(PA_A + 0x20));
    P("identity read of PA_A+4: %08x\n", rd(PA_A + 4));
    P("execute via alias 70000100: r0=%u\n", call(0x70000100));

    P("read unmapped 60000000:\n");
    rd(0x60000000);
    P("write read-only 71000000:\n");
    wr(0x71000000, 1);
    P("read read-only 71000004: %08x\n", rd(0x71000004));
    P("privileged read of 72000008: %08x\n", rd(0x72000008));
    P("ldrt (user) read of 72000008:\n");
    rd_t(0x72000008);
    P("strt (user) write of 7200000c:\n");
    wr_t(0x7200000c, 2);
    P("ldrt of user-accessible 70000030: %08x\n", rd_t(0x70000030));
    wr_t(0x70000034, 0x55aa55aa);
    P("strt of user-accessible 70000034: %08x\n", rd(0x70000034));
    P("strt to read-only-for-all 76000000:\n");
    wr_t(0x76000000, 3);
    P("domain no-access 74000000:\n");
    rd(0x74000000);
    P("execute-never 73000100:\n");
    call(0x73000100);
    P("execute unmapped 60000000:\n");
    call(0x60000000);

    P("page 75000000: %08x\n", rd(0x75000000));
    P("page 75000ffc: %08x\n", rd(0x75000ffc));
    P("page fault 75001000:\n");
    rd(0x75001000);
    P("page read-only 75002004: %08x, write:\n", rd(0x75002004));
    wr(0x75002004, 4);
    P("page xn 75003000 execute:\n");
    call(0x75003000);
    P("page 750ff000 -> PA_B+ff000: %08x\n", rd(0x750ff000));

    P("PAR priv 70000123=%08x user 72000000=%08x priv 60000000=%08x user 75002000=%08x\n",
      par(0x70000123, 0), par(0x72000000, 1), par(0x60000000, 0), par(0x75002000, 1));

    /* Remap 0x70000000 to PA_B; invalidate by MVA. */
    sec(0x70000000, PA_B, NORMAL | SEC_AP(3));
    __asm__ volatile("dsb\n\tmcr p15, 0, %0, c8, c7, 1\n\tdsb\n\tisb" ::"r"(0x70000000u) : "memory");
    P("after remap + TLBIMVA: %08x\n", rd(0x70000010));
    /* Unmap it; TLBIALL. */
    L1[0x700] = 0;
    tlb_flush();
    P("after unmap + TLBIALL:\n");
    rd(0x70000010);
    /* Invalidate by ASID / all-inner-shareable variants are accepted too. */
    __asm__ volatile("mcr p15, 0, %0, c8, c7, 2\n\t"  /* TLBIASID */
                     "mcr p15, 0, %0, c8, c3, 0\n\t"  /* TLBIALLIS */
                     "mcr p15, 0, %0, c8, c3, 1\n\t"  /* TLBIMVAIS */
                     "mcr p15, 0, %0, c8, c7, 3\n\t"  /* TLBIMVAA */
                     "dsb\n\tisb" ::"r"(0)
                     : "memory");

    set_sctlr(get_sctlr() & ~(SCTLR_M | SCTLR_C | SCTLR_I));
    tlb_flush();
    rt_hooks[EXC_DABT] = 0;
    rt_hooks[EXC_PABT] = 0;
    P("mmu off: sctlr=%08x, PA read %08x\n", get_sctlr(), *(volatile u32 *)(PA_B + 0x10));
    return 0;
}
