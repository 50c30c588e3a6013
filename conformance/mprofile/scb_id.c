/* scb_id: identification registers and reset values of the System Control
 * Space: CPUID, ID_PFR0..ID_ISAR4, ICTR, ACTLR, ICSR, VTOR, AIRCR, SCR, CCR,
 * SHPR1-3, SHCSR, CFSR, HFSR, DFSR, CPACR, MPU_TYPE/CTRL, SysTick CSR/RVR/
 * CALIB, the CoreSight ID block at 0xe000efd0, and FPCCR/FPCAR/FPDSCR/MVFR0/1
 * on the Cortex-M4. CPACR is printed as Reset_Handler saw it. */
#include "rt.h"

static void show(const char *name, u32 addr)
{
    P("%-8s %08x = %08x\n", name, addr, REG(addr));
}

int main(void)
{
    static const char *const idnames[] = {"ID_PFR0", "ID_PFR1", "ID_DFR0", "ID_AFR0", "ID_MMFR0",
                                          "ID_MMFR1", "ID_MMFR2", "ID_MMFR3", "ID_ISAR0", "ID_ISAR1",
                                          "ID_ISAR2", "ID_ISAR3", "ID_ISAR4"};
    show("CPUID", CPUID);
    for (int i = 0; i < ARRAY_LEN(idnames); i++)
        show(idnames[i], ID_PFR0 + 4 * i);
    show("ICTR", ICTR);
    show("ACTLR", ACTLR);
    show("ICSR", ICSR);
    show("VTOR", VTOR);
    show("AIRCR", AIRCR);
    show("SCR", SCR);
    show("CCR", CCR);
    show("SHPR1", SHPR(4));
    show("SHPR2", SHPR(8));
    show("SHPR3", SHPR(12));
    show("SHCSR", SHCSR);
    show("CFSR", CFSR);
    show("HFSR", HFSR);
    show("DFSR", DFSR);
    show("AFSR", AFSR);
    show("MPU_TYPE", MPU_TYPE);
    show("MPU_CTRL", MPU_CTRL);
    show("SYST_CSR", SYST_CSR);
    show("SYST_RVR", SYST_RVR);
    show("SYST_CAL", SYST_CALIB);
#ifdef __ARM_FP
    P("CPACR at reset = %08x\n", rt_boot[4]);
    show("FPCCR", FPCCR);
    show("FPCAR", FPCAR);
    show("FPDSCR", FPDSCR);
    show("MVFR0", MVFR0);
    show("MVFR1", MVFR1);
#else
    show("CPACR", CPACR);
#endif
    P("PID4-7:");
    for (u32 a = 0xe000efd0; a < 0xe000efe0; a += 4)
        P(" %x", REG(a));
    P("\nPID0-3:");
    for (u32 a = 0xe000efe0; a < 0xe000eff0; a += 4)
        P(" %x", REG(a));
    P("\nCID0-3:");
    for (u32 a = 0xe000eff0; a != 0xe000f000; a += 4)
        P(" %x", REG(a));
    P("\n");
    return 0;
}
