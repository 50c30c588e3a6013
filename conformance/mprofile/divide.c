/* divide: SDIV and UDIV (ARMv7-M base instructions) over a grid of
 * operands including 0, 1, -1, INT_MIN and INT_MAX (INT_MIN / -1 gives
 * INT_MIN, division by zero gives 0 with CCR.DIV_0_TRP clear), rounding
 * towards zero, and a CRC of 4096 pseudo-random divisions. Also MLS to form
 * remainders. */
#include "rt.h"

static NOINLINE s32 sdiv(s32 a, s32 b) { s32 r; __asm__("sdiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static NOINLINE u32 udiv(u32 a, u32 b) { u32 r; __asm__("udiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static NOINLINE u32 mls(u32 a, u32 b, u32 c) { u32 r; __asm__("mls %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(c)); return r; }

int main(void)
{
    static const u32 v[] = {0, 1, 2, 3, 7, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0xfffffff9, 100, 0x12345678};
    for (int i = 0; i < ARRAY_LEN(v); i++) {
        P("%08x:", v[i]);
        for (int j = 0; j < ARRAY_LEN(v); j++)
            P(" %x/%x", (u32)sdiv((s32)v[i], (s32)v[j]), udiv(v[i], v[j]));
        P("\n");
    }
    u32 seed = 0x1234567, crc = 0;
    for (int i = 0; i < 4096; i++) {
        seed = seed * 1664525 + 1013904223;
        u32 a = seed;
        seed = seed * 1664525 + 1013904223;
        u32 b = seed >> (seed & 31);
        u32 q = udiv(a, b), s = (u32)sdiv((s32)a, (s32)b);
        u32 rem = mls(q, b, a);
        crc = (crc << 5 | crc >> 27) ^ q ^ (s << 1) ^ (rem << 2);
    }
    P("checksum %08x\n", crc);
    return 0;
}
