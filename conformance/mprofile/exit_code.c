/* exit_code: main returns 42, so the runtime exits with SYS_EXIT_EXTENDED
 * (ADP_Stopped_ApplicationExit, 42) and QEMU's exit status is 42. */
#include "rt.h"

int main(void)
{
    P("exiting with 42\n");
    return 42;
}
