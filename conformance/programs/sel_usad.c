/* sel_usad: SEL under every GE value (set directly with MSR APSR_g and
 * produced by SADD8/USUB16), USAD8 and USADA8. */
#include "t.h"

TDEF(sel, "sel %[d], %[a], %[b]")
TDEF(usad8, "usad8 %[d], %[a], %[b]")
TDEF(usada8, "usada8 %[d], %[a], %[b], %[c]")
TDEF(sadd8_sel, "sadd8 %[e], %[a], %[b]\n\tsel %[d], %[a], %[b]")
TDEF(usub16_sel, "usub16 %[e], %[a], %[b]\n\tsel %[d], %[a], %[b]")

static const u32 VU[] = {0x00000000, 0xffffffff, 0x01020304, 0x04030201, 0x80ff7f00,
                         0x7f0080ff, 0x12345678};

int main(void)
{
    u32 ge[16];
    for (int i = 0; i < 16; i++)
        ge[i] = (u32)i << 16;
    P("sel over GE=0..15 with a=11223344 b=aabbccdd:");
    for (int i = 0; i < 16; i++) {
        u32 in[5] = {0x11223344, 0xaabbccdd, 0, 0, 0}, out[3];
        sel(in, ge[i] | 0x60000000, out);
        P(" %08x/%04x", out[0], out[2] >> 16);
    }
    P("\n");
    GRID(usad8, VU, VU, F1, 0, 0, 0, 0);
    GRID(usada8, VU, VU, F1, 0x00000001, 0, 0, 0);
    GRID(usada8, VU, VU, F1, 0xffffff00, 0, 0, 0);
    GRID(sadd8_sel, VL, VL, F1, 0, 0, 0, 1);
    GRID(usub16_sel, VL, VL, F1, 0, 0, 0, 1);
    return 0;
}
