/*
 * The demo's CPU work, compiled twice: once as A32 (names prefixed arm_) and
 * once as T32 (prefixed thumb_), so the same C runs in both instruction sets
 * and main.c can compare the results.
 */
#include "uart.h"
#include "kernels.h"

/* Fixed-point Mandelbrot (Q16.16, 64-bit products), drawn when draw != 0;
 * returns a checksum of the iteration counts. */
u32 K(mandelbrot)(int draw)
{
    static const char shade[] = " .,:-=+*#%";
    u32 sum = 0;
    for (int y = 0; y < 23; y++) {
        s32 ci = (y - 11) * 65536 / 9;                  /* -1.22 .. 1.22 */
        for (int x = 0; x < 72; x++) {
            s32 cr = (x - 50) * 65536 * 10 / 265;       /* -1.89 .. 0.83 */
            s32 zr = 0, zi = 0, it = 0;
            while (it < 64) {
                s32 zr2 = (s32)(((s64)zr * zr) >> 16), zi2 = (s32)(((s64)zi * zi) >> 16);
                if (zr2 + zi2 > 4 * 65536)
                    break;
                zi = (s32)(((s64)zr * zi) >> 15) + ci;
                zr = zr2 - zi2 + cr;
                it++;
            }
            sum = sum * 31 + (u32)it;
            if (draw) {
                int band = it < 3 ? 0 : it < 4 ? 1 : it < 5 ? 2 : it < 6 ? 3 : it < 8 ? 4
                         : it < 11 ? 5 : it < 16 ? 6 : it < 28 ? 7 : 8;
                uart_putc(it == 64 ? '@' : shade[band]);
            }
        }
        if (draw)
            uart_putc('\n');
    }
    return sum;
}

/* Sieve of Eratosthenes over odd numbers below limit (limit <= 200000). */
u32 K(primes)(u32 limit)
{
    static u8 composite[100000];
    u32 half = limit / 2, count = limit > 2 ? 1 : 0;
    for (u32 i = 0; i < half; i++)
        composite[i] = 0;
    for (u32 i = 1; i < half; i++) {
        if (composite[i])
            continue;
        count++;
        u32 p = 2 * i + 1;
        for (u32 j = (p * p) / 2; j < half; j += p)
            composite[j] = 1;
    }
    return count;
}

/* CRC-32 (IEEE 802.3, reflected) with a table built on the fly. */
u32 K(crc32)(const char *s)
{
    static u32 table[256];
    for (u32 i = 0; i < 256; i++) {
        u32 c = i;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & -(c & 1));
        table[i] = c;
    }
    u32 crc = 0xffffffff;
    while (*s)
        crc = (crc >> 8) ^ table[(crc ^ (u8)*s++) & 0xff];
    return ~crc;
}
