/*
 * Harness for load/store addressing tests written as C plus inline assembly.
 *
 * buf is 512 bytes with byte i = 0x80 + i (so both sign-extension cases
 * appear); tests address it through a base register pointing at buf+256.
 * LD/ST define functions; t_ld/t_st run them and print the loaded value or
 * the changed bytes and the base register writeback as an offset.
 *   %[b] base (in/out)   %[i] index register   %[d] %[e] loaded values
 *   %[v] %[w] values to store
 */
#ifndef M_H
#define M_H

#include "rt.h"

static u8 buf[512] ALIGNED(8);
#define BASE ((u32)buf + 256)

static void buf_fill(void)
{
    for (int i = 0; i < 512; i++)
        buf[i] = (u8)(0x80 + i);
}

typedef void (*ldfn)(u32 base, u32 idx, u32 *out);
typedef void (*stfn)(u32 base, u32 idx, u32 v, u32 w, u32 *out);

/* d and e are r4/r5 so that A32 LDRD/STRD (Rt even, Rt2 = Rt + 1) work. */
#define LD(fn, insn)                                                              \
    static const char fn##_s[] = insn;                                            \
    static NOINLINE void fn(u32 base, u32 idx, u32 *out)                          \
    {                                                                             \
        register u32 d __asm__("r4") = 0xdddddddd;                                \
        register u32 e __asm__("r5") = 0xeeeeeeee;                                \
        u32 b = base;                                                             \
        __asm__ volatile(insn : [d] "+&r"(d), [e] "+&r"(e), [b] "+&r"(b)          \
                         : [i] "r"(idx) : "memory", "cc");                        \
        out[0] = d;                                                               \
        out[1] = e;                                                               \
        out[2] = b;                                                               \
    }

#define ST(fn, insn)                                                              \
    static const char fn##_s[] = insn;                                            \
    static NOINLINE void fn(u32 base, u32 idx, u32 v, u32 w, u32 *out)            \
    {                                                                             \
        register u32 rv __asm__("r4") = v;                                        \
        register u32 rw __asm__("r5") = w;                                        \
        u32 b = base;                                                             \
        __asm__ volatile(insn : [b] "+&r"(b)                                      \
                         : [i] "r"(idx), [v] "r"(rv), [w] "r"(rw) : "memory", "cc"); \
        out[2] = b;                                                               \
    }

static void t_ld(const char *name, ldfn fn, u32 idx, int two)
{
    u32 out[3];
    buf_fill();
    fn(BASE, idx, out);
    rt_insn_text(name, 40);
    P(" i=%08x ->", idx);
    if (two)
        P(" %08x %08x", out[0], out[1]);
    else
        P(" %08x", out[0]);
    P(" wb=%d\n", (s32)(out[2] - BASE));
}

/* Print the bytes that differ from the fill pattern as offset:value. */
static void t_st(const char *name, stfn fn, u32 idx, u32 v, u32 w)
{
    u32 out[3];
    buf_fill();
    fn(BASE, idx, v, w, out);
    rt_insn_text(name, 40);
    P(" i=%08x ->", idx);
    for (int i = 0; i < 512; i++)
        if (buf[i] != (u8)(0x80 + i))
            P(" %d:%02x", i - 256, buf[i]);
    P(" wb=%d\n", (s32)(out[2] - BASE));
}

#define TLD(fn, idx) t_ld(fn##_s, fn, idx, 0)
#define TLD2(fn, idx) t_ld(fn##_s, fn, idx, 1)
#define TST(fn, idx) t_st(fn##_s, fn, idx, 0x11223344, 0x55667788)

#endif
