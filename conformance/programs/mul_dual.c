/* mul_dual: dual 16-bit multiplies SMUAD/SMUSD/SMLAD/SMLSD (with X; Q set on
 * overflow of the sum), 64-bit SMLALD/SMLSLD (with X), and the most
 * significant word multiplies SMMUL/SMMLA/SMMLS with and without R. */
#include "t.h"

static const u32 FQ[] = {0x00000000, 0x08000000};
static const u32 VM[] = {0x00000000, 0x00000001, 0xffffffff, 0x80000000, 0x7fffffff,
                         0x40000000, 0x12345678, 0xdeadbeef};

TDEF(smuad, "smuad %[d], %[a], %[b]")
TDEF(smuadx, "smuadx %[d], %[a], %[b]")
TDEF(smusd, "smusd %[d], %[a], %[b]")
TDEF(smusdx, "smusdx %[d], %[a], %[b]")
TDEF(smlad, "smlad %[d], %[a], %[b], %[c]")
TDEF(smlad_m, "smlad %[d], %[a], %[b], %[c]")
TDEF(smladx, "smladx %[d], %[a], %[b], %[c]")
TDEF(smladx_m, "smladx %[d], %[a], %[b], %[c]")
TDEF(smlsd, "smlsd %[d], %[a], %[b], %[c]")
TDEF(smlsd_m, "smlsd %[d], %[a], %[b], %[c]")
TDEF(smlsdx, "smlsdx %[d], %[a], %[b], %[c]")
TDEF(smlsdx_m, "smlsdx %[d], %[a], %[b], %[c]")
TDEF(smlald, "smlald %[d], %[e], %[a], %[b]")
TDEF(smlald_z, "smlald %[d], %[e], %[a], %[b]")
TDEF(smlaldx, "smlaldx %[d], %[e], %[a], %[b]")
TDEF(smlaldx_z, "smlaldx %[d], %[e], %[a], %[b]")
TDEF(smlsld, "smlsld %[d], %[e], %[a], %[b]")
TDEF(smlsld_z, "smlsld %[d], %[e], %[a], %[b]")
TDEF(smlsldx, "smlsldx %[d], %[e], %[a], %[b]")
TDEF(smlsldx_z, "smlsldx %[d], %[e], %[a], %[b]")
TDEF(smmul, "smmul %[d], %[a], %[b]")
TDEF(smmulr, "smmulr %[d], %[a], %[b]")
TDEF(smmla, "smmla %[d], %[a], %[b], %[c]")
TDEF(smmla_1, "smmla %[d], %[a], %[b], %[c]")
TDEF(smmlar, "smmlar %[d], %[a], %[b], %[c]")
TDEF(smmlar_1, "smmlar %[d], %[a], %[b], %[c]")
TDEF(smmls, "smmls %[d], %[a], %[b], %[c]")
TDEF(smmls_1, "smmls %[d], %[a], %[b], %[c]")
TDEF(smmlsr, "smmlsr %[d], %[a], %[b], %[c]")
TDEF(smmlsr_1, "smmlsr %[d], %[a], %[b], %[c]")

int main(void)
{
    GRID(smuad, VL, VL, FQ, 0, 0, 0, 0);
    GRID(smuadx, VL, VL, FQ, 0, 0, 0, 0);
    GRID(smusd, VL, VL, FQ, 0, 0, 0, 0);
    GRID(smusdx, VL, VL, FQ, 0, 0, 0, 0);
    GRID(smlad, VL, VL, FQ, 0x7fffffff, 0, 0, 0);
    GRID(smlad_m, VL, VL, FQ, 0x80000001, 0, 0, 0);
    GRID(smladx, VL, VL, FQ, 0x7fffffff, 0, 0, 0);
    GRID(smladx_m, VL, VL, FQ, 0x80000001, 0, 0, 0);
    GRID(smlsd, VL, VL, FQ, 0x7fffffff, 0, 0, 0);
    GRID(smlsd_m, VL, VL, FQ, 0x80000001, 0, 0, 0);
    GRID(smlsdx, VL, VL, FQ, 0x7fffffff, 0, 0, 0);
    GRID(smlsdx_m, VL, VL, FQ, 0x80000001, 0, 0, 0);
    GRID(smlald, VL, VL, F1, 0, 0xffffffff, 0x7fffffff, 1);
    GRID(smlald_z, VL, VL, F1, 0, 0x00000000, 0x00000000, 1);
    GRID(smlaldx, VL, VL, F1, 0, 0xffffffff, 0x7fffffff, 1);
    GRID(smlaldx_z, VL, VL, F1, 0, 0x00000000, 0x00000000, 1);
    GRID(smlsld, VL, VL, F1, 0, 0xffffffff, 0x7fffffff, 1);
    GRID(smlsld_z, VL, VL, F1, 0, 0x00000000, 0x00000000, 1);
    GRID(smlsldx, VL, VL, F1, 0, 0xffffffff, 0x7fffffff, 1);
    GRID(smlsldx_z, VL, VL, F1, 0, 0x00000000, 0x00000000, 1);
    GRID(smmul, VM, VM, F1, 0, 0, 0, 0);
    GRID(smmulr, VM, VM, F1, 0, 0, 0, 0);
    GRID(smmla, VM, VM, F1, 0x40000000, 0, 0, 0);
    GRID(smmla_1, VM, VM, F1, 0x00000001, 0, 0, 0);
    GRID(smmlar, VM, VM, F1, 0x40000000, 0, 0, 0);
    GRID(smmlar_1, VM, VM, F1, 0x00000001, 0, 0, 0);
    GRID(smmls, VM, VM, F1, 0x40000000, 0, 0, 0);
    GRID(smmls_1, VM, VM, F1, 0x00000001, 0, 0, 0);
    GRID(smmlsr, VM, VM, F1, 0x40000000, 0, 0, 0);
    GRID(smmlsr_1, VM, VM, F1, 0x00000001, 0, 0, 0);
    return 0;
}
