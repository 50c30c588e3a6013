/* mul: MUL/MULS/MLA/MLS (and MLAS in A32) over edge values; the S forms set
 * N and Z only, C and V are left unchanged. T32 MULS is the 16-bit
 * Rdm = Rn * Rdm encoding. */
#include "t.h"

TDEF(mul, "mul %[d], %[a], %[b]")
TDEF(muls, "mov %[d], %[b]\n\tmuls %[d], %[a], %[d]")
TDEF(mla, "mla %[d], %[a], %[b], %[c]")
TDEF(mls, "mls %[d], %[a], %[b], %[c]")
#ifndef __thumb__
TDEF(muls_a, "muls %[d], %[a], %[b]")
TDEF(mlas, "mlas %[d], %[a], %[b], %[c]")
#endif

static const u32 VM[] = {0x00000000, 0x00000001, 0xffffffff, 0x80000000, 0x7fffffff,
                         0x00010000, 0x0000ffff, 0x12345678, 0xdeadbeef};

int main(void)
{
    GRID(mul, VM, VM, F1, 0, 0, 0, 0);
    GRID(muls, VM, VM, F2, 0, 0, 0, 0);
    GRID(mla, VM, VM, F1, 0x11111111, 0, 0, 0);
    GRID(mla, VM, VM, F1, 0x80000000, 0, 0, 0);
    GRID(mls, VM, VM, F1, 0x11111111, 0, 0, 0);
    GRID(mls, VM, VM, F1, 0, 0, 0, 0);
#ifndef __thumb__
    GRID(muls_a, VM, VM, F2, 0, 0, 0, 0);
    GRID(mlas, VM, VM, F2, 0x00000001, 0, 0, 0);
    GRID(mlas, VM, VM, F2, 0xffffffff, 0, 0, 0);
#endif
    return 0;
}
