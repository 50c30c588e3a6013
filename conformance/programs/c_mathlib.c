/* c_mathlib: integer math library routines: integer square and cube roots,
 * gcd/lcm (Euclid and binary), modular exponentiation and inverse (64-bit
 * intermediates), Miller-Rabin, integer log2/log10, CORDIC sin/cos/atan in
 * Q16.16, exp/log in fixed point, signed division/modulo semantics and
 * saturating helpers. */
#include "rt.h"

static u32 isqrt(u32 x)
{
    u32 r = 0, bit = 1u << 30;
    while (bit > x)
        bit >>= 2;
    while (bit) {
        if (x >= r + bit) {
            x -= r + bit;
            r = (r >> 1) + bit;
        } else {
            r >>= 1;
        }
        bit >>= 2;
    }
    return r;
}

static u32 isqrt_newton(u64 x)
{
    if (x < 2)
        return (u32)x;
    u64 r = x, y = x / 2 + 1;
    while (y < r) {
        r = y;
        y = (r + x / r) / 2;
    }
    return (u32)r;
}

static u32 icbrt(u32 x)
{
    u32 y = 0;
    for (int s = 30; s >= 0; s -= 3) {
        y <<= 1;
        u32 b = 3 * y * (y + 1) + 1;
        if ((x >> s) >= b) {
            x -= b << s;
            y++;
        }
    }
    return y;
}

static u32 gcd(u32 a, u32 b)
{
    while (b) {
        u32 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static u32 bgcd(u32 a, u32 b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    int k = __builtin_ctz(a | b);
    a >>= __builtin_ctz(a);
    do {
        b >>= __builtin_ctz(b);
        if (a > b) {
            u32 t = a;
            a = b;
            b = t;
        }
        b -= a;
    } while (b);
    return a << k;
}

static u32 mulmod(u32 a, u32 b, u32 m) { return (u32)((u64)a * b % m); }

static u32 powmod(u32 b, u32 e, u32 m)
{
    u32 r = 1 % m;
    b %= m;
    while (e) {
        if (e & 1)
            r = mulmod(r, b, m);
        b = mulmod(b, b, m);
        e >>= 1;
    }
    return r;
}

static s32 modinv(s32 a, s32 m)
{
    s32 g = m, x = 0, x1 = 1, a1 = a;
    while (a1) {
        s32 q = g / a1, t = g - q * a1;
        g = a1;
        a1 = t;
        t = x - q * x1;
        x = x1;
        x1 = t;
    }
    return g == 1 ? (x % m + m) % m : -1;
}

static int is_prime(u32 n)
{
    if (n < 2)
        return 0;
    static const u32 small[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
    for (int i = 0; i < ARRAY_LEN(small); i++)
        if (n % small[i] == 0)
            return n == small[i];
    u32 d = n - 1;
    int s = 0;
    while (!(d & 1)) {
        d >>= 1;
        s++;
    }
    static const u32 bases[] = {2, 7, 61};
    for (int i = 0; i < 3; i++) {
        u32 x = powmod(bases[i], d, n);
        if (x == 1 || x == n - 1)
            continue;
        int ok = 0;
        for (int r = 1; r < s; r++) {
            x = mulmod(x, x, n);
            if (x == n - 1) {
                ok = 1;
                break;
            }
        }
        if (!ok)
            return 0;
    }
    return 1;
}

static int ilog10(u32 x)
{
    int r = 0;
    while (x >= 10) {
        x /= 10;
        r++;
    }
    return r;
}

/* CORDIC in Q16.16: angle in Q16.16 radians, |angle| <= pi/2. */
static const s32 atan_tab[16] = {51472, 30386, 16055, 8150, 4091, 2047, 1024, 512,
                                 256,   128,   64,    32,   16,   8,    4,    2};

static void cordic(s32 ang, s32 *c, s32 *s)
{
    s32 x = 39797, y = 0, z = ang; /* 0.607253 */
    for (int i = 0; i < 16; i++) {
        s32 dx = x >> i, dy = y >> i;
        if (z >= 0) {
            x -= dy;
            y += dx;
            z -= atan_tab[i];
        } else {
            x += dy;
            y -= dx;
            z += atan_tab[i];
        }
    }
    *c = x;
    *s = y;
}

static s32 cordic_atan2(s32 y, s32 x)
{
    s32 z = 0;
    if (x < 0) { /* rotate by 180 */
        x = -x;
        y = -y;
        z = 205887;
    }
    for (int i = 0; i < 16; i++) {
        s32 dx = x >> i, dy = y >> i;
        if (y > 0) {
            x += dy;
            y -= dx;
            z += atan_tab[i];
        } else {
            x -= dy;
            y += dx;
            z -= atan_tab[i];
        }
    }
    return z;
}

/* exp(x) in Q16.16 for small x by a Taylor series. */
static s32 fexp(s32 x)
{
    s64 term = 65536, sum = 65536;
    for (int n = 1; n < 16; n++) {
        term = term * x / 65536 / n;
        sum += term;
    }
    return (s32)sum;
}

int main(void)
{
    static const u32 sq[] = {0, 1, 2, 3, 4, 15, 16, 17, 99, 100, 65535, 65536, 1000000, 0x7fffffff, 0xffffffff};
    P("isqrt:");
    for (int i = 0; i < ARRAY_LEN(sq); i++)
        P(" %u", isqrt(sq[i]));
    P("\nisqrt64:");
    static const u64 sq64[] = {0, 1, 1ull << 40, 999999999999ull, 0xffffffffffffffffull};
    for (int i = 0; i < ARRAY_LEN(sq64); i++)
        P(" %u", isqrt_newton(sq64[i]));
    P("\nicbrt:");
    for (int i = 0; i < ARRAY_LEN(sq); i++)
        P(" %u", icbrt(sq[i]));
    P("\n");
    u32 acc = 0, seed = 1;
    for (int i = 0; i < 500; i++) {
        u32 a = rt_rand(&seed) % 100000 + 1, b = rt_rand(&seed) % 100000 + 1;
        u32 g = gcd(a, b);
        if (g != bgcd(a, b))
            P("gcd mismatch %u %u\n", a, b);
        acc = acc * 31 + g + (u32)((u64)a * b / g % 1000003);
    }
    P("gcd/lcm checksum %08x\n", acc);
    P("powmod: %u %u %u\n", powmod(2, 1000000, 1000000007), powmod(3, 0xffffffff, 4294967291u),
      powmod(7, 0, 13));
    P("modinv: %d %d %d\n", modinv(3, 11), modinv(10, 17), modinv(6, 9));
    int np = 0;
    u32 last = 0;
    for (u32 n = 4000000000u; n < 4000002000u; n++)
        if (is_prime(n)) {
            np++;
            last = n;
        }
    P("primes in [4e9, 4e9+2000): %d, last %u; 2^31-1 prime: %d; 3215031751 prime: %d\n", np,
      last, is_prime(0x7fffffff), is_prime(3215031751u));
    P("log2/log10:");
    for (int i = 0; i < ARRAY_LEN(sq); i++)
        if (sq[i])
            P(" %d/%d", 31 - __builtin_clz(sq[i]), ilog10(sq[i]));
    P("\n");
    for (int deg = -90; deg <= 90; deg += 30) {
        s32 c, s, ang = (s32)((s64)deg * 205887 / 180);
        cordic(ang, &c, &s);
        P("cordic %4d deg: cos=%6d sin=%6d atan2=%7d\n", deg, c, s, cordic_atan2(s, c));
    }
    P("exp: %d %d %d %d\n", fexp(0), fexp(65536), fexp(-65536), fexp(2 * 65536));
    static const s32 dv[] = {7, -7, 2147483647, -2147483647 - 1};
    static const s32 ds[] = {2, -2, 3, -3, 7};
    for (int i = 0; i < ARRAY_LEN(dv); i++) {
        P("%d:", dv[i]);
        for (int j = 0; j < ARRAY_LEN(ds); j++)
            P(" /%d=%d,%%=%d", ds[j], dv[i] / ds[j], dv[i] % ds[j]);
        P("\n");
    }
    return 0;
}
