/* systick: the SysTick registers without interrupts. CSR at reset (ENABLE,
 * TICKINT, CLKSOURCE, COUNTFLAG), RVR holds 24 bits, a CVR write of any value
 * clears it and COUNTFLAG, CALIB; with the counter running (processor clock,
 * and the reference clock where the board has one): CVR stays in [0, RVR]
 * and counts down, COUNTFLAG becomes 1 after a wrap and reading CSR clears
 * it; with RVR = 0 the counter stays at 0 and never wraps. Only properties
 * are printed, no exact counter values. */
#include "rt.h"

static void wait_wrap(u32 csr, const char *what)
{
    REG(SYST_CSR) = 0;
    REG(SYST_RVR) = 999;
    REG(SYST_CVR) = 0;
    REG(SYST_CSR) = csr;
    int ok = 1, down = 0, flag = 0;
    u32 prev = REG(SYST_CVR);
    for (int i = 0; i < 200000 && !flag; i++) {
        u32 c = REG(SYST_CVR);
        if (c > 999)
            ok = 0;
        if (c < prev)
            down = 1;
        prev = c;
        flag = (REG(SYST_CSR) >> 16) & 1;
    }
    u32 again = (REG(SYST_CSR) >> 16) & 1;
    REG(SYST_CSR) = 0;
    P("%s: in range=%d counted down=%d countflag=%d, cleared by the read=%d\n", what, ok, down, flag, !again);
}

int main(void)
{
    P("reset: csr=%08x rvr=%08x calib=%08x\n", REG(SYST_CSR), REG(SYST_RVR), REG(SYST_CALIB));
    REG(SYST_RVR) = 0xffffffff;
    P("rvr <- ffffffff: %08x\n", REG(SYST_RVR));
    REG(SYST_CVR) = 0x12345;
    P("cvr <- 12345: %08x\n", REG(SYST_CVR));
    REG(SYST_CSR) = 0xffffffff & ~2u & ~1u;
    P("csr <- fffffffc: %08x\n", REG(SYST_CSR));
    REG(SYST_CALIB) = 0;
    P("calib <- 0: %08x\n", REG(SYST_CALIB));
    REG(SYST_CSR) = 0;

    wait_wrap(5, "processor clock");
    if (!(REG(SYST_CALIB) & 0x80000000u))
        wait_wrap(1, "reference clock");
    else
        P("no reference clock (CALIB.NOREF)\n");

    /* RVR = 0: the counter is disabled on the next wrap. */
    REG(SYST_RVR) = 0;
    REG(SYST_CVR) = 0;
    REG(SYST_CSR) = 5;
    int flag = 0;
    for (int i = 0; i < 2000; i++)
        flag |= (REG(SYST_CSR) >> 16) & 1;
    P("rvr=0: cvr=%x countflag seen=%d\n", REG(SYST_CVR), flag);
    REG(SYST_CSR) = 0;
    /* Writing CVR clears COUNTFLAG. */
    REG(SYST_RVR) = 99;
    REG(SYST_CVR) = 0;
    REG(SYST_CSR) = 5;
    while (!(REG(SYST_CVR) < 50))
        ;
    for (int i = 0; i < 200 && !(REG(SYST_CSR) & 0x10000); i++)
        ;
    REG(SYST_CSR) = 0;
    REG(SYST_CSR) = 4;
    REG(SYST_CVR) = 7;
    P("after cvr write: cvr=%x csr=%08x\n", REG(SYST_CVR), REG(SYST_CSR));
    return 0;
}
