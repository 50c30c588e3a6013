/*
 * Harness for instruction tests written as C plus inline assembly.
 *
 * TDEF(fn, "insn") defines fn(in, fin, out) that sets APSR (NZCVQ and GE)
 * to fin, runs the instruction text and reads APSR back. In the text:
 *   %[a] %[b] %[c]  inputs in[0], in[1], in[2]
 *   %[d] %[e]       in/out registers, preset to in[3], in[4]
 * out[0] = d, out[1] = e, out[2] = APSR after.
 */
#ifndef T_H
#define T_H

#include "rt.h"

typedef void (*tfn)(const u32 *in, u32 fin, u32 *out);

#define TDEF(fn, insn)                                                              \
    static const char fn##_s[] = insn;                                              \
    static NOINLINE void fn(const u32 *in, u32 fin, u32 *out)                       \
    {                                                                               \
        u32 d = in[3], e = in[4], f;                                                \
        __asm__ volatile("msr APSR_nzcvqg, %[fin]\n\t" insn "\n\tmrs %[f], APSR"    \
                         : [d] "+&r"(d), [e] "+&r"(e), [f] "=&r"(f)                 \
                         : [a] "r"(in[0]), [b] "r"(in[1]), [c] "r"(in[2]),          \
                           [fin] "r"(fin)                                           \
                         : "cc");                                                   \
        out[0] = d;                                                                 \
        out[1] = e;                                                                 \
        out[2] = f;                                                                 \
    }

/* Flag inputs: all clear / NZCV, Q and GE all set. */
static const u32 F2[] = {0x00000000, 0xf80f0000};
/* One mixed input, for instructions that neither read nor write flags. */
static const u32 F1[] = {0x90050000};
/* Carry clear and set, nothing else. */
static const u32 FC[] = {0x00000000, 0x20000000};

/* Edge values for 32-bit arithmetic. */
static const u32 V8[] = {0x00000000, 0x00000001, 0x7fffffff, 0x80000000,
                         0xffffffff, 0x80000001, 0x12345678, 0xfedcba98};
/* Values that exercise halfword and byte lanes. */
static const u32 VL[] = {0x00000000, 0x7fff8000, 0x80007fff, 0xffffffff,
                         0x7f80ff01, 0x017f80fe, 0x12345678, 0xfedcba98};

/* Print one result: " dddddddd/FFFF" or, for two outputs, " eeeeeeee:dddddddd/FFFF"
 * (FFFF = APSR[31:16]: N Z C V Q, then GE[3:0] in the low nibble). */
static void t_res(const u32 *out, int two)
{
    if (two)
        P(" %08x:%08x/%04x", out[1], out[0], out[2] >> 16);
    else
        P(" %08x/%04x", out[0], out[2] >> 16);
}

/* Run fn over every (a, b) in va x vb and every flag input; c, d, e fixed.
 * One line per a. */
static void t_grid(const char *name, tfn fn, const u32 *va, int na, const u32 *vb, int nb,
                   const u32 *fins, int nf, u32 c, u32 d, u32 e, int two)
{
    rt_insn_text(name, 0);
    P("\n");
    for (int i = 0; i < na; i++) {
        P(" %08x:", va[i]);
        for (int j = 0; j < nb; j++)
            for (int k = 0; k < nf; k++) {
                u32 in[5] = {va[i], vb[j], c, d, e}, out[3];
                fn(in, fins[k], out);
                t_res(out, two);
            }
        P("\n");
    }
}

#define LIST(fn, v, fins, two) t_list(fn##_s, fn, v, ARRAY_LEN(v), fins, ARRAY_LEN(fins), two)

/* Run fn over a list of (a, b, c, d, e) tuples. */
static void t_list(const char *name, tfn fn, const u32 (*v)[5], int n, const u32 *fins,
                   int nf, int two)
{
    rt_insn_text(name, 0);
    P("\n");
    for (int i = 0; i < n; i++) {
        P(" %08x %08x %08x %08x %08x:", v[i][0], v[i][1], v[i][2], v[i][3], v[i][4]);
        for (int k = 0; k < nf; k++) {
            u32 out[3];
            fn(v[i], fins[k], out);
            t_res(out, two);
        }
        P("\n");
    }
}

#define GRID(fn, va, vb, fins, c, d, e, two) \
    t_grid(fn##_s, fn, va, ARRAY_LEN(va), vb, ARRAY_LEN(vb), fins, ARRAY_LEN(fins), c, d, e, two)

#endif
