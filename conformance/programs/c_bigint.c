/* c_bigint: multi-precision arithmetic on 32-bit limbs: addition with carry
 * chains, schoolbook multiplication (UMULL/UMLAL), multiplication and
 * division by small numbers, conversion to decimal. Computes 100!, 2^1000,
 * F(1000) and 3^500, printing digit sums, digit counts and the leading and
 * trailing digits. */
#include "rt.h"

#define LIMBS 120

typedef struct {
    u32 d[LIMBS];
    int n;
} big;

static void set(big *a, u32 v)
{
    memset(a, 0, sizeof(*a));
    a->d[0] = v;
    a->n = 1;
}

static void add(big *r, const big *a, const big *b)
{
    u64 c = 0;
    int n = a->n > b->n ? a->n : b->n;
    for (int i = 0; i < n; i++) {
        c += (u64)a->d[i] + b->d[i];
        r->d[i] = (u32)c;
        c >>= 32;
    }
    r->n = n;
    if (c)
        r->d[r->n++] = (u32)c;
}

static void mul_small(big *a, u32 m)
{
    u64 c = 0;
    for (int i = 0; i < a->n; i++) {
        c += (u64)a->d[i] * m;
        a->d[i] = (u32)c;
        c >>= 32;
    }
    if (c)
        a->d[a->n++] = (u32)c;
}

static u32 div_small(big *a, u32 m)
{
    u64 r = 0;
    for (int i = a->n - 1; i >= 0; i--) {
        r = r << 32 | a->d[i];
        a->d[i] = (u32)(r / m);
        r %= m;
    }
    while (a->n > 1 && !a->d[a->n - 1])
        a->n--;
    return (u32)r;
}

static void mul(big *r, const big *a, const big *b)
{
    big t;
    memset(&t, 0, sizeof(t));
    for (int i = 0; i < a->n; i++) {
        u64 c = 0;
        for (int j = 0; j < b->n && i + j < LIMBS; j++) {
            c += (u64)a->d[i] * b->d[j] + t.d[i + j];
            t.d[i + j] = (u32)c;
            c >>= 32;
        }
        if (i + b->n < LIMBS)
            t.d[i + b->n] = (u32)c;
    }
    t.n = a->n + b->n < LIMBS ? a->n + b->n : LIMBS;
    while (t.n > 1 && !t.d[t.n - 1])
        t.n--;
    *r = t;
}

static void show(const char *name, const big *a)
{
    static char digits[1200];
    big t = *a;
    int nd = 0;
    while (t.n > 1 || t.d[0]) {
        u32 r = div_small(&t, 1000000000);
        for (int k = 0; k < 9; k++) {
            digits[nd++] = (char)('0' + r % 10);
            r /= 10;
        }
    }
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    if (nd == 0)
        digits[nd++] = '0';
    u32 sum = 0;
    for (int i = 0; i < nd; i++)
        sum += (u32)(digits[i] - '0');
    P("%s: %d digits, digit sum %u, ", name, nd, sum);
    for (int i = nd - 1; i >= 0 && i >= nd - 20; i--)
        rt_putc(digits[i]);
    P("...");
    for (int i = nd < 10 ? nd - 1 : 9; i >= 0; i--)
        rt_putc(digits[i]);
    P(" limbs=%d top=%08x crc=%08x\n", a->n, a->d[a->n - 1], rt_crc32(0, a->d, (size_t)a->n * 4));
}

int main(void)
{
    static big f, p, a, b, c, t;
    set(&f, 1);
    for (u32 i = 2; i <= 100; i++)
        mul_small(&f, i);
    show("100!", &f);
    set(&p, 1);
    for (int i = 0; i < 1000; i++)
        mul_small(&p, 2);
    show("2^1000", &p);
    set(&a, 0);
    set(&b, 1);
    for (int i = 0; i < 1000; i++) {
        add(&c, &a, &b);
        a = b;
        b = c;
    }
    show("F(1000)", &a);
    /* 3^500 by square-and-multiply with full multiplication. */
    set(&t, 3);
    set(&c, 1);
    for (u32 e = 500; e; e >>= 1) {
        if (e & 1)
            mul(&c, &c, &t);
        mul(&t, &t, &t);
    }
    show("3^500", &c);
    mul(&t, &f, &p);
    show("100! * 2^1000", &t);
    return 0;
}
