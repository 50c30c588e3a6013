/* fault_bus: BusFaults on mps2 (QEMU's lm3s6965evb ignores bus errors).
 * With BusFault enabled: a load from an unmapped address (PRECISERR,
 * BFARVALID, BFAR), a store (QEMU reports it as precise too), a halfword
 * load, an LDM, an instruction fetch from an unmapped address (IBUSERR, no
 * BFAR; the stacked PC is the target), and unprivileged accesses to the
 * System Control Space (SysTick and NVIC registers); with BusFault disabled
 * the same load escalates to HardFault (FORCED) with CFSR still recording
 * it. No program here tests a fault on the vector read: QEMU's mps2 boards
 * have no unmapped address next to RAM that a vector table could run into.
 * BOARDS: an385 an386 */
#include "rt.h"

#define BAD 0x30000000u

static volatile u32 sink;

static void unpriv_systick(void) { sink = REG(SYST_CSR); }
static void unpriv_nvic(void) { REG(NVIC_ISER(0)) = 1; }
static void unpriv_scb(void) { sink = REG(CPUID); }

int main(void)
{
    REG(SHCSR) |= SHCSR_BUSFAULTENA;
    P("load:\n");
    rt_mark = LABEL_ADDR(b_ld);
    __asm__ volatile("mov r0, %0\n\t.global b_ld\nb_ld:\n\tldr r1, [r0, #0x10]" :: "r"(BAD) : "r0", "r1", "memory");
    P("store:\n");
    rt_mark = LABEL_ADDR(b_st);
    __asm__ volatile("mov r0, %0\n\t.global b_st\nb_st:\n\tstr r0, [r0, #0x20]\n\tdsb" :: "r"(BAD) : "r0", "memory");
    P("ldrh:\n");
    rt_mark = LABEL_ADDR(b_ldrh);
    __asm__ volatile("mov r0, %0\n\t.global b_ldrh\nb_ldrh:\n\tldrh r1, [r0, #0x32]" :: "r"(BAD) : "r0", "r1", "memory");
    P("ldm:\n");
    rt_mark = LABEL_ADDR(b_ldm);
    __asm__ volatile("mov r0, %0\n\t.global b_ldm\nb_ldm:\n\tldm r0, {r1, r2}" :: "r"(BAD + 0x40) : "r0", "r1", "r2", "memory");

    P("fetch:\n");
    RESUME_AT(b_fetch_back);
    __asm__ volatile("ldr r0, =0x30000101\n\t"
                     "blx r0\n\t"
                     ".global b_fetch_back\n"
                     "b_fetch_back:\n\t"
                     "b 1f\n\t"
                     ".ltorg\n"
                     "1:\n\t" ::: "r0", "r1", "r2", "r3", "r12", "lr", "memory");

    P("unprivileged SysTick read:\n");
    rt_call_unpriv(unpriv_systick);
    P("unprivileged NVIC write:\n");
    rt_call_unpriv(unpriv_nvic);
    P("  iser0=%08x\n", REG(NVIC_ISER(0)));
    P("unprivileged CPUID read:\n");
    rt_call_unpriv(unpriv_scb);

    REG(SHCSR) &= ~SHCSR_BUSFAULTENA;
    P("load with BusFault disabled:\n");
    rt_mark = LABEL_ADDR(b_ld2);
    __asm__ volatile("mov r0, %0\n\t.global b_ld2\nb_ld2:\n\tldr r1, [r0]" :: "r"(BAD) : "r0", "r1", "memory");
    P("SHCSR=%08x\n", REG(SHCSR));
    return 0;
}
