/* barriers: DMB/DSB/ISB with every option field value, the hints NOP, YIELD,
 * SEV, WFE (after SEV the event register is set, so WFE returns at once),
 * DBG, PLD/PLDW/PLI with immediate and register addressing (including
 * addresses with nothing behind them, which must not fault), and CP15
 * barrier operations. Each is executed between writes and reads whose results
 * are printed, so a barrier that corrupts state shows up. */
#include "rt.h"

static volatile u32 cell[4];

#define STEP(insn)                                                                  \
    do {                                                                            \
        cell[0] = cell[0] * 3 + 1;                                                  \
        __asm__ volatile(insn ::: "memory");                                        \
        cell[1] += cell[0];                                                         \
    } while (0)

int main(void)
{
    u32 apsr0 = 0x50030000, apsr1;
    STEP("dmb sy");
    STEP("dmb st");
    STEP("dmb ish");
    STEP("dmb ishst");
    STEP("dmb nsh");
    STEP("dmb nshst");
    STEP("dmb osh");
    STEP("dmb oshst");
    STEP("dsb sy");
    STEP("dsb st");
    STEP("dsb ish");
    STEP("dsb ishst");
    STEP("dsb nsh");
    STEP("dsb nshst");
    STEP("dsb osh");
    STEP("dsb oshst");
    STEP("isb sy");
    STEP("isb");
    STEP("dmb #0");   /* reserved options behave as SY */
    STEP("dsb #5");
    STEP("isb #3");
    P("barriers: %08x %08x\n", cell[0], cell[1]);

    set_apsr(apsr0);
    STEP("nop");
    STEP("yield");
    STEP("sev");
    STEP("wfe");      /* the event from SEV is pending: does not wait */
    STEP("dbg #0");
    STEP("dbg #15");
    apsr1 = get_apsr() & 0xf80f0000;
    P("hints: %08x %08x apsr %08x -> %08x\n", cell[0], cell[1], apsr0, apsr1);

    u32 addr = (u32)cell, idx = 64;
    __asm__ volatile("pld [%0]\n\t"
                     "pld [%0, #4095]\n\t"
                     "pld [%0, #-255]\n\t"
                     "pld [%0, %1]\n\t"
                     "pld [%0, %1, lsl #2]\n\t"
                     "pldw [%0, #32]\n\t"
                     "pldw [%0, %1]\n\t"
                     "pli [%0]\n\t"
                     "pli [%0, #-12]\n\t"
                     "pli [%0, %1]\n\t"
                     ::"r"(addr), "r"(idx) : "memory");
    /* Preload hints never fault, even with nothing at the address. */
    __asm__ volatile("pld [%0]\n\tpldw [%0]\n\tpli [%0]" ::"r"(0x50000000u) : "memory");
    __asm__ volatile("pld [%0]\n\tpli [%0]" ::"r"(0xf0000000u) : "memory");
    P("preloads done\n");

    /* CP15 barrier operations (deprecated but present in ARMv7). */
    cell[2] = 0x1234;
    MCR(0, 7, 10, 5, 0); /* CP15DMB */
    MCR(0, 7, 10, 4, 0); /* CP15DSB */
    MCR(0, 7, 5, 4, 0);  /* CP15ISB */
    cell[2] += 1;
    P("cp15 barriers: %x\n", cell[2]);
    return 0;
}
