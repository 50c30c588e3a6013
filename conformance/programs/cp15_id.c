/* cp15_id: the identification and configuration registers QEMU's virt
 * Cortex-A15 reports (MIDR, CTR, TCMTR, TLBTR, MPIDR, REVIDR, ID_PFR0/1,
 * ID_DFR0, ID_AFR0, ID_MMFR0-3, ID_ISAR0-5, CLIDR, CCSIDR via CSSELR, AIDR,
 * SCTLR/ACTLR/CPACR at boot, FPSID/MVFR via VMRS after enabling CP10/11),
 * the generic timer frequency CNTFRQ, that CNTPCT/CNTVCT advance, and
 * write/read-back of the simple R/W registers TPIDRURW/TPIDRURO/TPIDRPRW,
 * CONTEXTIDR, DACR, TTBCR, TTBR0/1, VBAR, PAR (via an ATS1CPR translation). */
#include "rt.h"

static u64 rd64(int which)
{
    u32 lo, hi;
    if (which == 0)
        __asm__ volatile("isb\n\tmrrc p15, 0, %0, %1, c14" : "=r"(lo), "=r"(hi));
    else
        __asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));
    return (u64)hi << 32 | lo;
}

#define RW(name, op1, crn, crm, op2, val)                                           \
    do {                                                                            \
        u32 _old = MRC(op1, crn, crm, op2);                                         \
        MCR(op1, crn, crm, op2, val);                                               \
        u32 _new = MRC(op1, crn, crm, op2);                                         \
        MCR(op1, crn, crm, op2, _old);                                              \
        P("%-10s reset=%08x wrote %08x read %08x\n", name, _old, (u32)(val), _new); \
    } while (0)

int main(void)
{
    P("boot cpsr=%08x sctlr=%08x\n", rt_boot_cpsr, rt_boot_sctlr);
    P("MIDR     %08x\n", MRC(0, 0, 0, 0));
    P("CTR      %08x\n", MRC(0, 0, 0, 1));
    P("TCMTR    %08x\n", MRC(0, 0, 0, 2));
    P("TLBTR    %08x\n", MRC(0, 0, 0, 3));
    P("MPIDR    %08x\n", MRC(0, 0, 0, 5));
    P("REVIDR   %08x\n", MRC(0, 0, 0, 6));
    P("ID_PFR0  %08x\n", MRC(0, 0, 1, 0));
    P("ID_PFR1  %08x\n", MRC(0, 0, 1, 1));
    P("ID_DFR0  %08x\n", MRC(0, 0, 1, 2));
    P("ID_AFR0  %08x\n", MRC(0, 0, 1, 3));
    P("ID_MMFR0 %08x\n", MRC(0, 0, 1, 4));
    P("ID_MMFR1 %08x\n", MRC(0, 0, 1, 5));
    P("ID_MMFR2 %08x\n", MRC(0, 0, 1, 6));
    P("ID_MMFR3 %08x\n", MRC(0, 0, 1, 7));
    P("ID_ISAR0 %08x\n", MRC(0, 0, 2, 0));
    P("ID_ISAR1 %08x\n", MRC(0, 0, 2, 1));
    P("ID_ISAR2 %08x\n", MRC(0, 0, 2, 2));
    P("ID_ISAR3 %08x\n", MRC(0, 0, 2, 3));
    P("ID_ISAR4 %08x\n", MRC(0, 0, 2, 4));
    P("ID_ISAR5 %08x\n", MRC(0, 0, 2, 5));
    P("CLIDR    %08x\n", MRC(1, 0, 0, 1));
    P("AIDR     %08x\n", MRC(1, 0, 0, 7));
    for (u32 sel = 0; sel < 3; sel++) { /* L1D, L1I, L2; others are UNKNOWN */
        MCR(2, 0, 0, 0, sel);
        __asm__ volatile("isb");
        P("CCSIDR[csselr=%u] %08x (csselr reads %08x)\n", sel, MRC(1, 0, 0, 0), MRC(2, 0, 0, 0));
    }
    MCR(2, 0, 0, 0, 0);
    P("SCTLR    %08x\n", MRC(0, 1, 0, 0));
    P("ACTLR    %08x\n", MRC(0, 1, 0, 1));
    P("CPACR    %08x\n", MRC(0, 1, 0, 2));

    /* Enable CP10/CP11 and read the VFP ID registers. */
    u32 cpacr = MRC(0, 1, 0, 2);
    MCR(0, 1, 0, 2, cpacr | (0xfu << 20));
    __asm__ volatile("isb");
    P("CPACR after enabling cp10/11: %08x\n", MRC(0, 1, 0, 2));
    {
        u32 fpsid, mvfr0, mvfr1, fpexc;
        __asm__ volatile(".fpu vfpv4\n\t"
                         "vmrs %0, fpsid\n\t"
                         "vmrs %1, mvfr0\n\t"
                         "vmrs %2, mvfr1\n\t"
                         "vmrs %3, fpexc\n\t"
                         : "=r"(fpsid), "=r"(mvfr0), "=r"(mvfr1), "=r"(fpexc));
        P("FPSID %08x MVFR0 %08x MVFR1 %08x FPEXC %08x\n", fpsid, mvfr0, mvfr1, fpexc);
    }
    MCR(0, 1, 0, 2, cpacr);
    __asm__ volatile("isb");

    u32 frq;
    __asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(frq));
    P("CNTFRQ   %u\n", frq);
    u64 p0 = rd64(0), v0 = rd64(1);
    for (volatile int i = 0; i < 20000; i++)
        ;
    u64 p1 = rd64(0), v1 = rd64(1);
    P("CNTPCT advances: %s, CNTVCT advances: %s\n", p1 > p0 ? "yes" : "no",
      v1 > v0 ? "yes" : "no");

    RW("TPIDRURW", 0, 13, 0, 2, 0x12345678);
    RW("TPIDRURO", 0, 13, 0, 3, 0x9abcdef0);
    RW("TPIDRPRW", 0, 13, 0, 4, 0xfedcba98);
    RW("CONTEXTID", 0, 13, 0, 1, 0x00000042);
    RW("DACR", 0, 3, 0, 0, 0x55555555);
    RW("TTBCR", 0, 2, 0, 2, 0x00000002);
    RW("TTBR0", 0, 2, 0, 0, 0x40204000);
    RW("TTBR1", 0, 2, 0, 1, 0x40208000);
    P("VBAR is rt_vectors: %s\n", MRC(0, 12, 0, 0) == (u32)rt_vectors ? "yes" : "no");
    RW("DFSR", 0, 5, 0, 0, 0x00000c08);
    RW("IFSR", 0, 5, 0, 1, 0x0000000d);
    RW("DFAR", 0, 6, 0, 0, 0xdeadbeef);
    RW("IFAR", 0, 6, 0, 2, 0xcafebabe);
    RW("PRRR", 0, 10, 2, 0, 0xff0a81a8);
    RW("NMRR", 0, 10, 2, 1, 0x40e040e0);
    /* Address translation with the MMU off: PA = VA. */
    MCR(0, 7, 8, 0, 0x40123456);
    __asm__ volatile("isb");
    P("ATS1CPR 40123456 -> PAR %08x\n", MRC(0, 7, 4, 0));
    return 0;
}
