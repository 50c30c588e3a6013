/* c_bits: bit manipulation idioms and their builtins: popcount (SWAR, table,
 * Kernighan, builtin), parity, bit reversal (shift ladder vs RBIT), byte
 * swaps (REV/REV16/REVSH patterns), count leading/trailing zeros, next power
 * of two, Gray code, Morton interleave, rotations, sign extension of fields,
 * and 64-bit versions. */
#include "rt.h"

static int pop_swar(u32 x)
{
    x = x - ((x >> 1) & 0x55555555);
    x = (x & 0x33333333) + ((x >> 2) & 0x33333333);
    x = (x + (x >> 4)) & 0x0f0f0f0f;
    return (int)((x * 0x01010101) >> 24);
}

static int pop_kern(u32 x)
{
    int n = 0;
    while (x) {
        x &= x - 1;
        n++;
    }
    return n;
}

static u32 rev_ladder(u32 x)
{
    x = ((x >> 1) & 0x55555555) | ((x & 0x55555555) << 1);
    x = ((x >> 2) & 0x33333333) | ((x & 0x33333333) << 2);
    x = ((x >> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
    x = ((x >> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
    return (x >> 16) | (x << 16);
}

static u32 rbit(u32 x)
{
    u32 r;
    __asm__("rbit %0, %1" : "=r"(r) : "r"(x));
    return r;
}

static u32 next_pow2(u32 x)
{
    x--;
    x |= x >> 1;
    x |= x >> 2;
    x |= x >> 4;
    x |= x >> 8;
    x |= x >> 16;
    return x + 1;
}

static u32 morton(u16 x, u16 y)
{
    u32 a = x, b = y;
    a = (a | (a << 8)) & 0x00ff00ff;
    a = (a | (a << 4)) & 0x0f0f0f0f;
    a = (a | (a << 2)) & 0x33333333;
    a = (a | (a << 1)) & 0x55555555;
    b = (b | (b << 8)) & 0x00ff00ff;
    b = (b | (b << 4)) & 0x0f0f0f0f;
    b = (b | (b << 2)) & 0x33333333;
    b = (b | (b << 1)) & 0x55555555;
    return a | (b << 1);
}

static u32 rotl(u32 x, unsigned n) { return (x << (n & 31)) | (x >> (-n & 31)); }
static s32 sext(u32 x, int bits) { return (s32)(x << (32 - bits)) >> (32 - bits); }

int main(void)
{
    u32 seed = 0xdecafbad;
    u32 acc[12] = {0};
    for (int i = 0; i < 3000; i++) {
        u32 x = rt_rand(&seed) >> (i % 29);
        int p = __builtin_popcount(x);
        if (pop_swar(x) != p || pop_kern(x) != p)
            P("popcount mismatch %08x\n", x);
        if (rev_ladder(x) != rbit(x))
            P("rbit mismatch %08x\n", x);
        acc[0] += (u32)p;
        acc[1] ^= (u32)__builtin_parity(x) << (i & 31);
        acc[2] += x ? (u32)__builtin_clz(x) : 32;
        acc[3] += x ? (u32)__builtin_ctz(x) : 32;
        acc[4] = acc[4] * 3 + __builtin_bswap32(x);
        acc[5] = acc[5] * 5 + __builtin_bswap16((u16)x);
        acc[6] = acc[6] * 7 + next_pow2((x & 0x7fffffff) | 1);
        acc[7] = acc[7] * 11 + (x ^ (x >> 1));
        acc[8] = acc[8] * 13 + morton((u16)x, (u16)(x >> 16));
        acc[9] = acc[9] * 17 + rotl(x, (unsigned)i);
        acc[10] += (u32)sext(x, 1 + i % 31);
        acc[11] = acc[11] * 19 + rbit(x);
    }
    for (int i = 0; i < 12; i++)
        P("acc[%d]=%08x\n", i, acc[i]);
    u64 s64 = 0x0123456789abcdefull, h = 0;
    for (int i = 0; i < 200; i++) {
        s64 = s64 * 6364136223846793005ull + 1442695040888963407ull;
        h += (u64)__builtin_popcountll(s64) << (i % 40);
        h ^= __builtin_bswap64(s64) >> (i % 7);
        h += s64 ? (u64)__builtin_clzll(s64) : 64;
        h += (u64)__builtin_ctzll(s64 | (1ull << 63));
    }
    P("64-bit: %016llx\n", h);
    P("gray(0..15):");
    for (u32 i = 0; i < 16; i++)
        P(" %x", i ^ (i >> 1));
    P("\nsext(0x80,8)=%d sext(0x7f,8)=%d sext(0x8000,16)=%d\n", sext(0x80, 8), sext(0x7f, 8),
      sext(0x8000, 16));
    return 0;
}
