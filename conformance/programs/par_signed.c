/* par_signed: the signed parallel add/subtract families S (sets GE), Q
 * (saturating, leaves Q and GE alone) and SH (halving) x ADD16/ASX/SAX/SUB16/
 * ADD8/SUB8 over lane edge values. */
#include "t.h"

/* N, V and Q set, GE=0101: shows which instructions write GE and that none touch Q. */
static const u32 FX[] = {0x98050000};

TDEF(sadd16, "sadd16 %[d], %[a], %[b]")
TDEF(sasx, "sasx %[d], %[a], %[b]")
TDEF(ssax, "ssax %[d], %[a], %[b]")
TDEF(ssub16, "ssub16 %[d], %[a], %[b]")
TDEF(sadd8, "sadd8 %[d], %[a], %[b]")
TDEF(ssub8, "ssub8 %[d], %[a], %[b]")
TDEF(qadd16, "qadd16 %[d], %[a], %[b]")
TDEF(qasx, "qasx %[d], %[a], %[b]")
TDEF(qsax, "qsax %[d], %[a], %[b]")
TDEF(qsub16, "qsub16 %[d], %[a], %[b]")
TDEF(qadd8, "qadd8 %[d], %[a], %[b]")
TDEF(qsub8, "qsub8 %[d], %[a], %[b]")
TDEF(shadd16, "shadd16 %[d], %[a], %[b]")
TDEF(shasx, "shasx %[d], %[a], %[b]")
TDEF(shsax, "shsax %[d], %[a], %[b]")
TDEF(shsub16, "shsub16 %[d], %[a], %[b]")
TDEF(shadd8, "shadd8 %[d], %[a], %[b]")
TDEF(shsub8, "shsub8 %[d], %[a], %[b]")

int main(void)
{
    GRID(sadd16, VL, VL, FX, 0, 0, 0, 0);
    GRID(sasx, VL, VL, FX, 0, 0, 0, 0);
    GRID(ssax, VL, VL, FX, 0, 0, 0, 0);
    GRID(ssub16, VL, VL, FX, 0, 0, 0, 0);
    GRID(sadd8, VL, VL, FX, 0, 0, 0, 0);
    GRID(ssub8, VL, VL, FX, 0, 0, 0, 0);
    GRID(qadd16, VL, VL, FX, 0, 0, 0, 0);
    GRID(qasx, VL, VL, FX, 0, 0, 0, 0);
    GRID(qsax, VL, VL, FX, 0, 0, 0, 0);
    GRID(qsub16, VL, VL, FX, 0, 0, 0, 0);
    GRID(qadd8, VL, VL, FX, 0, 0, 0, 0);
    GRID(qsub8, VL, VL, FX, 0, 0, 0, 0);
    GRID(shadd16, VL, VL, FX, 0, 0, 0, 0);
    GRID(shasx, VL, VL, FX, 0, 0, 0, 0);
    GRID(shsax, VL, VL, FX, 0, 0, 0, 0);
    GRID(shsub16, VL, VL, FX, 0, 0, 0, 0);
    GRID(shadd8, VL, VL, FX, 0, 0, 0, 0);
    GRID(shsub8, VL, VL, FX, 0, 0, 0, 0);
    return 0;
}
