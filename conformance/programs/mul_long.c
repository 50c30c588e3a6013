/* mul_long: UMULL/SMULL/UMLAL/SMLAL/UMAAL (64-bit results, accumulate into
 * RdHi:RdLo, UMAAL's double accumulate that cannot overflow) and, in A32,
 * the S forms that set N and Z from the 64-bit result. Printed hi:lo. */
#include "t.h"

TDEF(umull, "umull %[d], %[e], %[a], %[b]")
TDEF(smull, "smull %[d], %[e], %[a], %[b]")
TDEF(umlal, "umlal %[d], %[e], %[a], %[b]")
TDEF(smlal, "smlal %[d], %[e], %[a], %[b]")
TDEF(umaal, "umaal %[d], %[e], %[a], %[b]")
#ifndef __thumb__
TDEF(umulls, "umulls %[d], %[e], %[a], %[b]")
TDEF(smulls, "smulls %[d], %[e], %[a], %[b]")
TDEF(umlals, "umlals %[d], %[e], %[a], %[b]")
TDEF(smlals, "smlals %[d], %[e], %[a], %[b]")
#endif

static const u32 VM[] = {0x00000000, 0x00000001, 0xffffffff, 0x80000000, 0x7fffffff,
                         0x0000ffff, 0x12345678, 0xdeadbeef};

int main(void)
{
    GRID(umull, VM, VM, F1, 0, 0x55555555, 0x66666666, 1);
    GRID(smull, VM, VM, F1, 0, 0x55555555, 0x66666666, 1);
    GRID(umlal, VM, VM, F1, 0, 0xffffffff, 0xffffffff, 1);
    GRID(umlal, VM, VM, F1, 0, 0x80000000, 0x00000001, 1);
    GRID(smlal, VM, VM, F1, 0, 0xffffffff, 0xffffffff, 1);
    GRID(smlal, VM, VM, F1, 0, 0x00000000, 0x80000000, 1);
    GRID(umaal, VM, VM, F1, 0, 0xffffffff, 0xffffffff, 1);
    GRID(umaal, VM, VM, F1, 0, 0x12345678, 0x9abcdef0, 1);
#ifndef __thumb__
    GRID(umulls, VM, VM, F2, 0, 0, 0, 1);
    GRID(smulls, VM, VM, F2, 0, 0, 0, 1);
    GRID(umlals, VM, VM, F2, 0, 0x00000001, 0xffffffff, 1);
    GRID(smlals, VM, VM, F2, 0, 0x00000000, 0x80000000, 1);
#endif
    return 0;
}
