/* sysresetreq: AIRCR.SYSRESETREQ resets the system: execution restarts at
 * the reset vector with the core registers at their reset values. A counter
 * in scratch RAM (not initialised by the runtime; QEMU's RAM starts as
 * zeros and keeps its contents across the reset, and the image is loaded
 * again) tells the first boot from the second. The second boot prints the
 * reset state of a few registers that the first boot changed (VTOR, SHCSR,
 * CCR, SysTick, an NVIC enable, BASEPRI, CONTROL) and exits.
 * VECTRESET is not used: it is UNPREDICTABLE outside debug state. */
#include "rt.h"

#define BOOTS REG(RT_SCRATCH + 0x1ff0)
#define MAGIC REG(RT_SCRATCH + 0x1ff4)

int main(void)
{
    if (MAGIC != 0x5e5e7e57) {
        MAGIC = 0x5e5e7e57;
        BOOTS = 1;
        P("first boot: changing state and requesting a reset\n");
        REG(SHCSR) |= SHCSR_USGFAULTENA;
        REG(CCR) |= CCR_DIV_0_TRP;
        REG(SYST_RVR) = 1000;
        nvic_enable(3);
        MSR(basepri, 0x40);
        rt_flush();
        REG(AIRCR) = AIRCR_KEY | (1u << 2);
        dsb_isb();
        for (;;)
            ;
    }
    BOOTS++;
    P("boot %u: shcsr=%08x ccr=%08x syst_rvr=%08x iser0=%08x basepri=%x control=%x aircr=%08x\n", BOOTS,
      REG(SHCSR), REG(CCR), REG(SYST_RVR), REG(NVIC_ISER(0)), MRS(basepri), MRS(control), REG(AIRCR));
    MAGIC = 0;
    return 0;
}
