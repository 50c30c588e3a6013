/* hello: runtime smoke test. Prints the reset state recorded by
 * Reset_Handler (CONTROL, xPSR without the flags, which are UNKNOWN at
 * reset, SP, PRIMASK, and CPACR on the M4), printf formats, SYS_WRITEC, and
 * the board name. */
#include "rt.h"

int main(void)
{
    P("hello from %s\n", BOARD_NAME);
    P("boot: control=%x xpsr&07ffffff=%08x sp=%08x primask=%x\n", rt_boot[0], rt_boot[1] & 0x07ffffff, rt_boot[2],
      rt_boot[3]);
#ifdef __ARM_FP
    P("boot: cpacr=%08x\n", rt_boot[4]);
#endif
    P("fmt: [%d] [%d] [%u] [%x] [%08x] [%5d] [%-5s] [%5s] [%c] [%lld] [%llx]\n", 0, -123, 4000000000u,
      0xbeef, 0x1234, 42, "ab", "cd", 'z', -5000000000ll, 0x123456789abcdefull);
    rt_writec('W');
    rt_writec('\n');
    P("vtor=%08x msp=%08x\n", REG(VTOR), MRS(msp));
    return 0;
}
