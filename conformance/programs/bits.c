/* bits: CLZ, RBIT, REV, REV16, REVSH, BFC, BFI, SBFX, UBFX over many
 * lsb/width combinations, and MOVW/MOVT building constants. */
#include "t.h"

TDEF(clz, "clz %[d], %[a]")
TDEF(rbit, "rbit %[d], %[a]")
TDEF(rev, "rev %[d], %[a]")
TDEF(rev16, "rev16 %[d], %[a]")
TDEF(revsh, "revsh %[d], %[a]")
TDEF(bfc_0_1, "bfc %[d], #0, #1")
TDEF(bfc_0_32, "bfc %[d], #0, #32")
TDEF(bfc_4_8, "bfc %[d], #4, #8")
TDEF(bfc_31_1, "bfc %[d], #31, #1")
TDEF(bfc_16_16, "bfc %[d], #16, #16")
TDEF(bfi_0_1, "bfi %[d], %[a], #0, #1")
TDEF(bfi_0_32, "bfi %[d], %[a], #0, #32")
TDEF(bfi_4_8, "bfi %[d], %[a], #4, #8")
TDEF(bfi_31_1, "bfi %[d], %[a], #31, #1")
TDEF(bfi_8_24, "bfi %[d], %[a], #8, #24")
TDEF(bfi_13_5, "bfi %[d], %[a], #13, #5")
TDEF(sbfx_0_1, "sbfx %[d], %[a], #0, #1")
TDEF(sbfx_0_32, "sbfx %[d], %[a], #0, #32")
TDEF(sbfx_4_8, "sbfx %[d], %[a], #4, #8")
TDEF(sbfx_31_1, "sbfx %[d], %[a], #31, #1")
TDEF(sbfx_8_24, "sbfx %[d], %[a], #8, #24")
TDEF(sbfx_13_5, "sbfx %[d], %[a], #13, #5")
TDEF(ubfx_0_1, "ubfx %[d], %[a], #0, #1")
TDEF(ubfx_0_32, "ubfx %[d], %[a], #0, #32")
TDEF(ubfx_4_8, "ubfx %[d], %[a], #4, #8")
TDEF(ubfx_31_1, "ubfx %[d], %[a], #31, #1")
TDEF(ubfx_8_24, "ubfx %[d], %[a], #8, #24")
TDEF(ubfx_13_5, "ubfx %[d], %[a], #13, #5")
TDEF(movw0, "movw %[d], #0")
TDEF(movwffff, "movw %[d], #0xffff")
TDEF(movw1234, "movw %[d], #0x1234")
TDEF(movt0, "movt %[d], #0")
TDEF(movtffff, "movt %[d], #0xffff")
TDEF(movt8765, "movt %[d], #0x8765")
TDEF(movw_movt, "movw %[d], #:lower16:0xcafef00d\n\tmovt %[d], #:upper16:0xcafef00d")

static const u32 VB[] = {0x00000000, 0x00000001, 0x80000000, 0xffffffff, 0x12345678,
                         0x0000ff80, 0x00008000, 0x7f000000, 0x00f00f00, 0xa5a5a5a5};
static const u32 VD[] = {0x00000000, 0xffffffff, 0x5a5a5a5a};

int main(void)
{
    GRID(clz, VB, F1, F1, 0, 0, 0, 0);
    GRID(rbit, VB, F1, F1, 0, 0, 0, 0);
    GRID(rev, VB, F1, F1, 0, 0, 0, 0);
    GRID(rev16, VB, F1, F1, 0, 0, 0, 0);
    GRID(revsh, VB, F1, F1, 0, 0, 0, 0);
    P("clz of 1<<n:");
    for (int n = 0; n < 32; n++) {
        u32 in[5] = {1u << n, 0, 0, 0, 0}, out[3];
        clz(in, 0, out);
        P(" %u", out[0]);
    }
    P("\n");
    for (int i = 0; i < ARRAY_LEN(VD); i++) {
        u32 d = VD[i];
        P("bfc d=%08x\n", d);
        t_grid("  bfc #0,#1", bfc_0_1, F1, 1, F1, 1, F1, 1, 0, d, 0, 0);
        t_grid("  bfc #0,#32", bfc_0_32, F1, 1, F1, 1, F1, 1, 0, d, 0, 0);
        t_grid("  bfc #4,#8", bfc_4_8, F1, 1, F1, 1, F1, 1, 0, d, 0, 0);
        t_grid("  bfc #31,#1", bfc_31_1, F1, 1, F1, 1, F1, 1, 0, d, 0, 0);
        t_grid("  bfc #16,#16", bfc_16_16, F1, 1, F1, 1, F1, 1, 0, d, 0, 0);
        P("bfi d=%08x\n", d);
        GRID(bfi_0_1, VB, F1, F1, 0, d, 0, 0);
        GRID(bfi_0_32, VB, F1, F1, 0, d, 0, 0);
        GRID(bfi_4_8, VB, F1, F1, 0, d, 0, 0);
        GRID(bfi_31_1, VB, F1, F1, 0, d, 0, 0);
        GRID(bfi_8_24, VB, F1, F1, 0, d, 0, 0);
        GRID(bfi_13_5, VB, F1, F1, 0, d, 0, 0);
        P("movw/movt d=%08x\n", d);
        t_grid(movw0_s, movw0, F1, 1, F1, 1, F1, 1, 0, d, 0, 0);
        t_grid(movwffff_s, movwffff, F1, 1, F1, 1, F1, 1, 0, d, 0, 0);
        t_grid(movw1234_s, movw1234, F1, 1, F1, 1, F1, 1, 0, d, 0, 0);
        t_grid(movt0_s, movt0, F1, 1, F1, 1, F1, 1, 0, d, 0, 0);
        t_grid(movtffff_s, movtffff, F1, 1, F1, 1, F1, 1, 0, d, 0, 0);
        t_grid(movt8765_s, movt8765, F1, 1, F1, 1, F1, 1, 0, d, 0, 0);
    }
    t_grid(movw_movt_s, movw_movt, F1, 1, F1, 1, F1, 1, 0, 0, 0, 0);
    GRID(sbfx_0_1, VB, F1, F1, 0, 0, 0, 0);
    GRID(sbfx_0_32, VB, F1, F1, 0, 0, 0, 0);
    GRID(sbfx_4_8, VB, F1, F1, 0, 0, 0, 0);
    GRID(sbfx_31_1, VB, F1, F1, 0, 0, 0, 0);
    GRID(sbfx_8_24, VB, F1, F1, 0, 0, 0, 0);
    GRID(sbfx_13_5, VB, F1, F1, 0, 0, 0, 0);
    GRID(ubfx_0_1, VB, F1, F1, 0, 0, 0, 0);
    GRID(ubfx_0_32, VB, F1, F1, 0, 0, 0, 0);
    GRID(ubfx_4_8, VB, F1, F1, 0, 0, 0, 0);
    GRID(ubfx_31_1, VB, F1, F1, 0, 0, 0, 0);
    GRID(ubfx_8_24, VB, F1, F1, 0, 0, 0, 0);
    GRID(ubfx_13_5, VB, F1, F1, 0, 0, 0, 0);
    return 0;
}
