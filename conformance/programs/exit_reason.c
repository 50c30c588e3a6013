/* exit_reason: SYS_EXIT (0x18) with a reason other than
 * ADP_Stopped_ApplicationExit (here ADP_Stopped_RunTimeErrorUnknown,
 * 0x20023): QEMU treats it as failure and exits with status 1. Nothing after
 * the call runs. */
#include "rt.h"

int main(void)
{
    P("exiting via SYS_EXIT with reason 0x20023\n");
    rt_flush();
    semi(SYS_EXIT, (const void *)ADP_Stopped_RunTimeErrorUnknown);
    P("not reached\n");
    return 0;
}
