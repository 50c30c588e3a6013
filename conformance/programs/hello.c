/* hello: runtime smoke test - printf formats, WRITEC, the boot state QEMU
 * hands over (CPSR, SCTLR) and a clean SYS_EXIT. */
#include "rt.h"

int main(void)
{
    P("hello from %s\n",
#ifdef __thumb__
      "thumb"
#else
      "arm"
#endif
    );
    P("boot cpsr=%08x sctlr=%08x\n", rt_boot_cpsr, rt_boot_sctlr);
    P("main cpsr=%08x\n", get_cpsr() & ~PSR_T);
    P("dec %d %d %u %d %lld %llu\n", 0, -1, 4000000000u, -2147483647 - 1,
      -9223372036854775807LL - 1, 18446744073709551615ULL);
    P("hex %x %08x %X %llx %4x|%-6s|%6s|\n", 0xdeadbeefu, 0x1234, 0xabcdefu,
      0x0123456789abcdefULL, 0x2a, "ab", "cd");
    P("char %c%c%c pct %%\n", 'x', 'y', 'z');
    rt_flags(0xf80f0000);
    P("\n");
    rt_flags(0x50050000);
    P("\n");
    rt_flush();
    semi(SYS_WRITEC, "A");
    semi(SYS_WRITEC, "\n");
    semi(SYS_WRITE0, "write0 direct\n");
    P("bye\n");
    return 0;
}
