/* c_softfloat: float and double arithmetic with -mfloat-abi=soft, i.e. the
 * libgcc software floating point routines (__aeabi_fadd, __aeabi_dmul,
 * __aeabi_ddiv, __aeabi_f2d, __aeabi_d2iz, comparisons ...): a realistic
 * integer-only instruction mix. Results are printed as IEEE bit patterns:
 * sums, products, quotients, Newton square roots, a series for pi,
 * conversions with rounding and saturation, and special values. */
#include "rt.h"

static u32 fbits(float f)
{
    u32 u;
    memcpy(&u, &f, 4);
    return u;
}

static u64 dbits(double d)
{
    u64 u;
    memcpy(&u, &d, 8);
    return u;
}

static NOINLINE double dsqrt(double x)
{
    if (x <= 0)
        return 0;
    double r = x > 1 ? x / 2 : 1;
    for (int i = 0; i < 60; i++)
        r = 0.5 * (r + x / r);
    return r;
}

static volatile float vf[] = {0.0f, 1.0f, -1.5f, 3.14159265f, 1e-30f, 1e30f, 0.1f, 16777217.0f};
static volatile double vd[] = {0.0, 1.0, -2.5, 2.718281828459045, 1e-300, 1e300, 0.1, 9007199254740993.0};

int main(void)
{
    int n = ARRAY_LEN(vf);
    for (int i = 0; i < n; i++) {
        float a = vf[i], b = vf[(i + 3) % n];
        P("f %08x %08x: + %08x - %08x * %08x / %08x < %d\n", fbits(a), fbits(b), fbits(a + b),
          fbits(a - b), fbits(a * b), fbits(b != 0.0f ? a / b : 0.0f), a < b);
    }
    for (int i = 0; i < n; i++) {
        double a = vd[i], b = vd[(i + 5) % n];
        P("d %016llx: + %016llx * %016llx / %016llx\n", dbits(a), dbits(a + b), dbits(a * b),
          dbits(b != 0.0 ? a / b : 0.0));
    }
    double pi = 0;
    for (int k = 0; k < 2000; k++)
        pi += (k & 1 ? -4.0 : 4.0) / (2 * k + 1);
    P("leibniz pi (2000 terms) = %016llx, as int*1e6 = %d\n", dbits(pi), (int)(pi * 1e6));
    P("sqrt: 2 -> %016llx, 1e10 -> %016llx, 0.25 -> %016llx\n", dbits(dsqrt(2.0)),
      dbits(dsqrt(1e10)), dbits(dsqrt(0.25)));
    float fs = 0;
    for (int k = 1; k <= 1000; k++)
        fs += 1.0f / (float)k;
    P("harmonic(1000) float %08x double %016llx\n", fbits(fs), dbits((double)fs));
    static const double conv[] = {0.5, 1.5, 2.5, -0.5, -1.5, 2147483647.9, -2147483648.9, 4e9, -4e9, 1e20};
    P("d2i/d2u:");
    for (int i = 0; i < ARRAY_LEN(conv); i++) {
        volatile double d = conv[i];
        s32 si = d >= -2147483648.0 && d < 2147483648.0 ? (s32)d : 0;
        u32 ui = d >= 0 && d < 4294967296.0 ? (u32)d : 0;
        P(" %d/%u", si, ui);
    }
    P("\ni2f/u2d:");
    static const s32 iv[] = {0, 1, -1, 16777217, 2147483647, -2147483647 - 1};
    for (int i = 0; i < ARRAY_LEN(iv); i++) {
        volatile s32 x = iv[i];
        P(" %08x/%016llx", fbits((float)x), dbits((double)(u32)x));
    }
    volatile double zero = 0.0, one = 1.0;
    double inf = one / zero, nan = zero / zero;
    P("\nspecials: inf %016llx -inf %016llx nan!=nan %d inf>1e308 %d f(inf) %08x\n", dbits(inf),
      dbits(-inf), nan != nan, inf > 1e308, fbits((float)inf));
    P("64-bit: %016llx %lld %llu\n", dbits((double)0x123456789abcdefll),
      (s64)(double)-9007199254740993ll, (u64)1e19);
    return 0;
}
