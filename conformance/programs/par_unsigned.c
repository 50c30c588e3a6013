/* par_unsigned: the unsigned parallel add/subtract families U (sets GE),
 * UQ (saturating) and UH (halving) x ADD16/ASX/SAX/SUB16/ADD8/SUB8 over lane
 * edge values. */
#include "t.h"

/* N, V and Q set, GE=0101: shows which instructions write GE and that none touch Q. */
static const u32 FX[] = {0x98050000};

TDEF(uadd16, "uadd16 %[d], %[a], %[b]")
TDEF(uasx, "uasx %[d], %[a], %[b]")
TDEF(usax, "usax %[d], %[a], %[b]")
TDEF(usub16, "usub16 %[d], %[a], %[b]")
TDEF(uadd8, "uadd8 %[d], %[a], %[b]")
TDEF(usub8, "usub8 %[d], %[a], %[b]")
TDEF(uqadd16, "uqadd16 %[d], %[a], %[b]")
TDEF(uqasx, "uqasx %[d], %[a], %[b]")
TDEF(uqsax, "uqsax %[d], %[a], %[b]")
TDEF(uqsub16, "uqsub16 %[d], %[a], %[b]")
TDEF(uqadd8, "uqadd8 %[d], %[a], %[b]")
TDEF(uqsub8, "uqsub8 %[d], %[a], %[b]")
TDEF(uhadd16, "uhadd16 %[d], %[a], %[b]")
TDEF(uhasx, "uhasx %[d], %[a], %[b]")
TDEF(uhsax, "uhsax %[d], %[a], %[b]")
TDEF(uhsub16, "uhsub16 %[d], %[a], %[b]")
TDEF(uhadd8, "uhadd8 %[d], %[a], %[b]")
TDEF(uhsub8, "uhsub8 %[d], %[a], %[b]")

int main(void)
{
    GRID(uadd16, VL, VL, FX, 0, 0, 0, 0);
    GRID(uasx, VL, VL, FX, 0, 0, 0, 0);
    GRID(usax, VL, VL, FX, 0, 0, 0, 0);
    GRID(usub16, VL, VL, FX, 0, 0, 0, 0);
    GRID(uadd8, VL, VL, FX, 0, 0, 0, 0);
    GRID(usub8, VL, VL, FX, 0, 0, 0, 0);
    GRID(uqadd16, VL, VL, FX, 0, 0, 0, 0);
    GRID(uqasx, VL, VL, FX, 0, 0, 0, 0);
    GRID(uqsax, VL, VL, FX, 0, 0, 0, 0);
    GRID(uqsub16, VL, VL, FX, 0, 0, 0, 0);
    GRID(uqadd8, VL, VL, FX, 0, 0, 0, 0);
    GRID(uqsub8, VL, VL, FX, 0, 0, 0, 0);
    GRID(uhadd16, VL, VL, FX, 0, 0, 0, 0);
    GRID(uhasx, VL, VL, FX, 0, 0, 0, 0);
    GRID(uhsax, VL, VL, FX, 0, 0, 0, 0);
    GRID(uhsub16, VL, VL, FX, 0, 0, 0, 0);
    GRID(uhadd8, VL, VL, FX, 0, 0, 0, 0);
    GRID(uhsub8, VL, VL, FX, 0, 0, 0, 0);
    return 0;
}
