/* exit_reason: SYS_EXIT with a reason other than ADP_Stopped_ApplicationExit
 * (ADP_Stopped_RunTimeErrorUnknown, 0x20023): QEMU exits with status 1. */
#include "rt.h"

int main(void)
{
    P("SYS_EXIT with reason 0x20023\n");
    rt_flush();
    semi(SYS_EXIT, (const void *)0x20023);
    P("not reached\n");
    return 0;
}
