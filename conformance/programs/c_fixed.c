/* c_fixed: fixed-point graphics and DSP: an ASCII Mandelbrot set in Q4.28
 * (SMULL-based multiplies), a Julia set in Q16.16, a Q15 FIR low-pass filter
 * with saturation, and a fixed-point square root. */
#include "rt.h"

static s32 qmul28(s32 a, s32 b) { return (s32)(((s64)a * b) >> 28); }

static void mandel(void)
{
    static const char shade[] = " .:-=+*#%@";
    u32 total = 0;
    for (int y = 0; y < 24; y++) {
        s32 ci = (s32)((s64)(y - 12) * (1 << 28) / 10);
        for (int x = 0; x < 64; x++) {
            s32 cr = (s32)((s64)(x - 44) * (1 << 28) / 20);
            s32 zr = 0, zi = 0;
            int it = 0;
            while (it < 60) {
                s32 zr2 = qmul28(zr, zr), zi2 = qmul28(zi, zi);
                /* |z|^2 > 4 (or the sum wrapped): escaped. Wrapping u32 math. */
                s32 mag = (s32)((u32)zr2 + (u32)zi2);
                if (mag > (4 << 28) || mag < 0)
                    break;
                zi = (s32)(2u * (u32)qmul28(zr, zi) + (u32)ci);
                zr = (s32)((u32)zr2 - (u32)zi2 + (u32)cr);
                it++;
            }
            total += (u32)it;
            rt_putc(shade[it >= 60 ? 9 : it % 9]);
        }
        rt_putc('\n');
    }
    P("mandelbrot iterations: %u\n", total);
}

static u32 julia(void)
{
    u32 h = 0;
    s32 cr = -45875, ci = 17694; /* -0.7 + 0.27i in Q16.16 */
    for (int y = -40; y < 40; y++)
        for (int x = -60; x < 60; x++) {
            s32 zr = x * 1092, zi = y * 1638; /* about 1/60 and 1/40 */
            int it = 0;
            for (; it < 50; it++) {
                s64 zr2 = (s64)zr * zr >> 16, zi2 = (s64)zi * zi >> 16;
                if (zr2 + zi2 > (4 << 16))
                    break;
                zi = (s32)(((s64)zr * zi >> 15) + ci);
                zr = (s32)(zr2 - zi2 + cr);
            }
            h = h * 31 + (u32)it;
        }
    return h;
}

static s16 sat16(s32 v) { return v > 32767 ? 32767 : v < -32768 ? -32768 : (s16)v; }

static u32 fir(void)
{
    static const s16 taps[15] = {-120, -300, 0, 1200, 3000, 5400, 7200, 7800,
                                 7200, 5400, 3000, 1200, 0,    -300, -120};
    static s16 in[400], out[400];
    u32 s = 9;
    for (int i = 0; i < 400; i++)
        in[i] = (s16)((i % 40 < 20 ? 20000 : -20000) + (s32)(rt_rand(&s) % 4001) - 2000);
    for (int i = 0; i < 400; i++) {
        s32 acc = 0;
        for (int k = 0; k < 15; k++)
            if (i - k >= 0)
                acc += in[i - k] * taps[k];
        out[i] = sat16(acc >> 15);
    }
    P("fir: out[100]=%d out[399]=%d\n", out[100], out[399]);
    return rt_crc32(0, out, sizeof(out));
}

static u32 fsqrt16(u32 x) /* Q16.16 */
{
    u64 v = (u64)x << 16, r = 0, bit = 1ull << 46;
    while (bit > v)
        bit >>= 2;
    while (bit) {
        if (v >= r + bit) {
            v -= r + bit;
            r = (r >> 1) + bit;
        } else {
            r >>= 1;
        }
        bit >>= 2;
    }
    return (u32)r;
}

int main(void)
{
    mandel();
    P("julia hash %08x\n", julia());
    P("fir crc %08x\n", fir());
    P("sqrt Q16: %u %u %u %u\n", fsqrt16(65536), fsqrt16(2 * 65536), fsqrt16(100 * 65536),
      fsqrt16(1));
    return 0;
}
