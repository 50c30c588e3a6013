/* dp_logic: AND/ORR/EOR/BIC/MVN/MOV/TST/TEQ (and ORN in T32) in register,
 * immediate and shifted-register forms; S forms take C from the shifter or
 * from a rotated immediate and leave V alone. */
#include "t.h"

TDEF(and_, "and %[d], %[a], %[b]")
TDEF(ands, "ands %[d], %[a], %[b]")
TDEF(orr, "orr %[d], %[a], %[b]")
TDEF(orrs, "orrs %[d], %[a], %[b]")
TDEF(eor, "eor %[d], %[a], %[b]")
TDEF(eors, "eors %[d], %[a], %[b]")
TDEF(bic, "bic %[d], %[a], %[b]")
TDEF(bics, "bics %[d], %[a], %[b]")
TDEF(mvn, "mvn %[d], %[a]")
TDEF(mvns, "mvns %[d], %[a]")
TDEF(mov, "mov %[d], %[a]")
TDEF(movs, "movs %[d], %[a]")
TDEF(tst, "tst %[a], %[b]")
TDEF(teq, "teq %[a], %[b]")
#ifdef __thumb__
TDEF(orn, "orn %[d], %[a], %[b]")
TDEF(orns, "orns %[d], %[a], %[b]")
TDEF(orns_i, "orns %[d], %[a], #0xff00")
TDEF(orns_lsr, "orns %[d], %[a], %[b], lsr #4")
#endif

/* Immediates: unrotated ones keep C; rotated ones set C to imm[31]. */
TDEF(ands_iff, "ands %[d], %[a], #0xff")
TDEF(ands_i80m, "ands %[d], %[a], #0x80000000")
TDEF(ands_i3fc, "ands %[d], %[a], #0x3fc")
TDEF(orrs_if0, "orrs %[d], %[a], #0xf0000000")
TDEF(eors_i1, "eors %[d], %[a], #1")
TDEF(bics_iff0, "bics %[d], %[a], #0xff0")
TDEF(movs_i0, "movs %[d], #0")
TDEF(movs_iff, "movs %[d], #0xff")
TDEF(movs_i80m, "movs %[d], #0x80000000")
TDEF(movs_i40m, "movs %[d], #0x40000000")
TDEF(mvns_i0, "mvns %[d], #0")
TDEF(mvns_i7f, "mvns %[d], #0x7f000000")
TDEF(tst_i80m, "tst %[a], #0x80000000")
TDEF(tst_i1, "tst %[a], #1")
TDEF(teq_iffm, "teq %[a], #0xff000000")
#ifdef __thumb__
TDEF(ands_rep, "ands %[d], %[a], #0x00ff00ff")
TDEF(eors_rep, "eors %[d], %[a], #0xffffffff")
TDEF(movs_rep, "movs %[d], #0x5a005a00")
TDEF(tst_rot, "tst %[a], #0x00000fe0")
#else
TDEF(movs_irot, "movs %[d], #0xc000003f")
TDEF(ands_irot2, "ands %[d], %[a], #0x3fc00000")
TDEF(mov_i_explicit, "mov %[d], #255, 30")
TDEF(movs_i_explicit, "movs %[d], #1, 2")
TDEF(movs_i_rot0, "movs %[d], #2, 0")
#endif

/* Shifted register operand: C comes from the last bit shifted out. */
TDEF(ands_lsl1, "ands %[d], %[a], %[b], lsl #1")
TDEF(orrs_lsr1, "orrs %[d], %[a], %[b], lsr #1")
TDEF(eors_asr31, "eors %[d], %[a], %[b], asr #31")
TDEF(bics_ror1, "bics %[d], %[a], %[b], ror #1")
TDEF(mvns_rrx, "mvns %[d], %[b], rrx")
TDEF(movs_lsr32, "movs %[d], %[b], lsr #32")
TDEF(tst_lsl31, "tst %[a], %[b], lsl #31")
TDEF(teq_asr32, "teq %[a], %[b], asr #32")

static const u32 VS[] = {0x00000000, 0x00000001, 0x80000000, 0xffffffff, 0x12345678, 0xedcba987};

int main(void)
{
    GRID(and_, V8, V8, F2, 0, 0, 0, 0);
    GRID(ands, V8, V8, F2, 0, 0, 0, 0);
    GRID(orr, V8, V8, F2, 0, 0, 0, 0);
    GRID(orrs, V8, V8, F2, 0, 0, 0, 0);
    GRID(eor, V8, V8, F2, 0, 0, 0, 0);
    GRID(eors, V8, V8, F2, 0, 0, 0, 0);
    GRID(bic, V8, V8, F2, 0, 0, 0, 0);
    GRID(bics, V8, V8, F2, 0, 0, 0, 0);
    GRID(mvn, V8, F1, F2, 0, 0, 0, 0);
    GRID(mvns, V8, F1, F2, 0, 0, 0, 0);
    GRID(mov, V8, F1, F2, 0, 0, 0, 0);
    GRID(movs, V8, F1, F2, 0, 0, 0, 0);
    GRID(tst, V8, V8, F2, 0, 0x5a5a5a5a, 0, 0);
    GRID(teq, V8, V8, F2, 0, 0x5a5a5a5a, 0, 0);
#ifdef __thumb__
    GRID(orn, V8, V8, F2, 0, 0, 0, 0);
    GRID(orns, V8, V8, F2, 0, 0, 0, 0);
    GRID(orns_i, V8, F1, F2, 0, 0, 0, 0);
    GRID(orns_lsr, VS, VS, F2, 0, 0, 0, 0);
#endif
    GRID(ands_iff, V8, F1, F2, 0, 0, 0, 0);
    GRID(ands_i80m, V8, F1, F2, 0, 0, 0, 0);
    GRID(ands_i3fc, V8, F1, F2, 0, 0, 0, 0);
    GRID(orrs_if0, V8, F1, F2, 0, 0, 0, 0);
    GRID(eors_i1, V8, F1, F2, 0, 0, 0, 0);
    GRID(bics_iff0, V8, F1, F2, 0, 0, 0, 0);
    GRID(movs_i0, F1, F1, F2, 0, 0, 0, 0);
    GRID(movs_iff, F1, F1, F2, 0, 0, 0, 0);
    GRID(movs_i80m, F1, F1, F2, 0, 0, 0, 0);
    GRID(movs_i40m, F1, F1, F2, 0, 0, 0, 0);
    GRID(mvns_i0, F1, F1, F2, 0, 0, 0, 0);
    GRID(mvns_i7f, F1, F1, F2, 0, 0, 0, 0);
    GRID(tst_i80m, V8, F1, F2, 0, 0x5a5a5a5a, 0, 0);
    GRID(tst_i1, V8, F1, F2, 0, 0x5a5a5a5a, 0, 0);
    GRID(teq_iffm, V8, F1, F2, 0, 0x5a5a5a5a, 0, 0);
#ifdef __thumb__
    GRID(ands_rep, V8, F1, F2, 0, 0, 0, 0);
    GRID(eors_rep, V8, F1, F2, 0, 0, 0, 0);
    GRID(movs_rep, F1, F1, F2, 0, 0, 0, 0);
    GRID(tst_rot, V8, F1, F2, 0, 0x5a5a5a5a, 0, 0);
#else
    GRID(movs_irot, F1, F1, F2, 0, 0, 0, 0);
    GRID(ands_irot2, V8, F1, F2, 0, 0, 0, 0);
    GRID(mov_i_explicit, F1, F1, F2, 0, 0, 0, 0);
    GRID(movs_i_explicit, F1, F1, F2, 0, 0, 0, 0);
    GRID(movs_i_rot0, F1, F1, F2, 0, 0, 0, 0);
#endif
    GRID(ands_lsl1, VS, VS, F2, 0, 0, 0, 0);
    GRID(orrs_lsr1, VS, VS, F2, 0, 0, 0, 0);
    GRID(eors_asr31, VS, VS, F2, 0, 0, 0, 0);
    GRID(bics_ror1, VS, VS, F2, 0, 0, 0, 0);
    GRID(mvns_rrx, VS, VS, F2, 0, 0, 0, 0);
    GRID(movs_lsr32, VS, VS, F2, 0, 0, 0, 0);
    GRID(tst_lsl31, VS, VS, F2, 0, 0x5a5a5a5a, 0, 0);
    GRID(teq_asr32, VS, VS, F2, 0, 0x5a5a5a5a, 0, 0);
    return 0;
}
