/* cmdline: SYS_GET_CMDLINE. QEMU builds the command line from the kernel
 * path and -append (see cmdline.args): "<kernel path> <args>". The path
 * depends on where the runner keeps the image, so only its last component
 * is printed; the arguments are printed verbatim. Also: a buffer too small
 * for the command line makes the call fail (-1). */
#include "rt.h"

int main(void)
{
    static char buf[256];
    u32 blk[2] = {(u32)buf, sizeof(buf)};
    s32 r = (s32)semi(SYS_GET_CMDLINE, blk);
    P("get_cmdline -> %d\n", r);
    const char *p = buf, *space = buf;
    while (*space && *space != ' ')
        space++;
    const char *base = space;
    while (base > p && base[-1] != '/')
        base--;
    P("program: ");
    for (const char *q = base; q < space; q++)
        rt_putc(*q);
    P("\nargs: [%s]\n", *space ? space + 1 : "");
    int n = 0;
    for (const char *q = space; *q; q++)
        if (*q == ' ' && q[1] && q[1] != ' ')
            n++;
    P("arg count: %d\n", n);
    u32 len = (u32)strlen(buf);
    P("reported length == strlen: %s\n", blk[1] == len ? "yes" : "no");

    static char small[8];
    u32 sblk[2] = {(u32)small, sizeof(small)};
    r = (s32)semi(SYS_GET_CMDLINE, sblk);
    P("small buffer -> %d\n", r);
    return 0;
}
