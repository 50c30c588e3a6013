/* exit_code: SYS_EXIT_EXTENDED (0x20) with ADP_Stopped_ApplicationExit and
 * subcode 42: QEMU exits with status 42 (the runtime uses it for any
 * non-zero return from main). */
#include "rt.h"

int main(void)
{
    P("exiting with 42\n");
    return 42;
}
