/* div: SDIV and UDIV, including division by zero (result 0, no trap with
 * SCTLR.DZ absent on A-profile) and INT_MIN / -1 (result INT_MIN). */
#include "t.h"

TDEF(sdiv, "sdiv %[d], %[a], %[b]")
TDEF(udiv, "udiv %[d], %[a], %[b]")

static const u32 VD[] = {0x00000000, 0x00000001, 0xffffffff, 0x80000000, 0x7fffffff,
                         0x00000002, 0xfffffffe, 0x00000007, 0xfffffff9, 0x12345678,
                         0x80000001, 0x00010000};

int main(void)
{
    GRID(sdiv, VD, VD, F1, 0, 0, 0, 0);
    GRID(udiv, VD, VD, F1, 0, 0, 0, 0);
    /* A few quotient/remainder checks the way compilers use them. */
    u32 seed = 12345, acc = 0;
    for (int i = 0; i < 2000; i++) {
        u32 a = rt_rand(&seed), b = rt_rand(&seed) >> (i & 31);
        u32 in[5] = {a, b, 0, 0, 0}, o1[3], o2[3];
        udiv(in, 0, o1);
        sdiv(in, 0, o2);
        acc = acc * 31 + o1[0];
        acc = acc * 31 + o2[0];
        if (b && o1[0] != a / b)
            P("udiv mismatch %08x/%08x\n", a, b);
        if (b && !(a == 0x80000000 && b == 0xffffffff) && o2[0] != (u32)((s32)a / (s32)b))
            P("sdiv mismatch %08x/%08x\n", a, b);
    }
    P("random divisions checksum %08x\n", acc);
    return 0;
}
