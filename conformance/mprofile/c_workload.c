/* c_workload: compiled C as a whole-program check of the Thumb-2 code gcc
 * generates for the target CPU: a heap sort and an insertion sort of
 * pseudo-random data, a CRC-32 (table and bitwise), 64-bit arithmetic
 * (multiply, shift, division through libgcc), a small sieve, string
 * handling, a switch jump table, recursion, and struct copies. Results are
 * printed as checksums. */
#include "rt.h"

static u32 rng = 0x2545f491;
static u32 next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static u32 crc_table[256];

static u32 crc32_tab(const u8 *p, int n)
{
    u32 c = 0xffffffff;
    while (n--)
        c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
    return ~c;
}

static u32 crc32_bit(const u8 *p, int n)
{
    u32 c = 0xffffffff;
    while (n--) {
        c ^= *p++;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? (c >> 1) ^ 0xedb88320 : c >> 1;
    }
    return ~c;
}

static void heapsort(s32 *a, int n)
{
    for (int start = n / 2 - 1, end = n;;) {
        int root;
        if (start >= 0) {
            root = start--;
        } else {
            if (--end <= 0)
                return;
            s32 t = a[0];
            a[0] = a[end];
            a[end] = t;
            root = 0;
        }
        for (;;) {
            int child = 2 * root + 1;
            if (child >= end)
                break;
            if (child + 1 < end && a[child] < a[child + 1])
                child++;
            if (a[root] >= a[child])
                break;
            s32 t = a[root];
            a[root] = a[child];
            a[child] = t;
            root = child;
        }
    }
}

static NOINLINE int classify(int c)
{
    switch (c) {
    case 0: return 3;
    case 1: return 1;
    case 2: return 4;
    case 3: return 1;
    case 4: return 5;
    case 5: return 9;
    case 6: return 2;
    case 7: return 6;
    case 8: return 5;
    case 9: return 3;
    default: return -1;
    }
}

static int ackermann(int m, int n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

struct rec {
    u8 tag;
    u16 len;
    u32 val;
    u64 wide;
    char name[7];
};

static NOINLINE struct rec make(int i)
{
    struct rec r = {(u8)i, (u16)(i * 3), (u32)i * 0x01010101u, (u64)i << 40 | 0xabc, "rec"};
    r.name[3] = (char)('0' + i % 10);
    return r;
}

int main(void)
{
    static s32 a[300], b[300];
    for (int i = 0; i < 300; i++)
        a[i] = b[i] = (s32)next() >> (i % 7);
    heapsort(a, 300);
    for (int i = 1; i < 300; i++) {
        s32 v = b[i];
        int j = i - 1;
        while (j >= 0 && b[j] > v) {
            b[j + 1] = b[j];
            j--;
        }
        b[j + 1] = v;
    }
    int same = 1, sorted = 1;
    for (int i = 0; i < 300; i++) {
        same &= a[i] == b[i];
        if (i)
            sorted &= a[i - 1] <= a[i];
    }
    for (u32 i = 0; i < 256; i++) {
        u32 c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? (c >> 1) ^ 0xedb88320 : c >> 1;
        crc_table[i] = c;
    }
    P("sort: sorted=%d agree=%d min=%d max=%d crc=%08x\n", sorted, same, a[0], a[299],
      crc32_tab((const u8 *)a, sizeof(a)));
    P("crc32(\"123456789\") = %08x / %08x\n", crc32_tab((const u8 *)"123456789", 9),
      crc32_bit((const u8 *)"123456789", 9));

    u64 x = 0x123456789abcdefull, acc = 0;
    for (int i = 0; i < 100; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        acc ^= x / (u64)(i + 3) + (x >> (i % 64)) + ((s64)x % 1000003);
    }
    P("u64: x=%llx acc=%llx\n", x, acc);

    static u8 sieve[2000];
    int primes = 0;
    for (int i = 2; i < 2000; i++) {
        if (sieve[i])
            continue;
        primes++;
        for (int j = i * i; j < 2000; j += i)
            sieve[j] = 1;
    }
    P("primes below 2000: %d\n", primes);

    int sw = 0;
    for (int i = -2; i < 14; i++)
        sw = sw * 3 + classify(i);
    P("switch: %d\n", sw);
    P("ackermann(2,3)=%d ackermann(3,3)=%d\n", ackermann(2, 3), ackermann(3, 3));

    struct rec recs[5];
    for (int i = 0; i < 5; i++)
        recs[i] = make(i + 5);
    struct rec copy = recs[3];
    P("struct: tag=%u len=%u val=%08x wide=%llx name=%s size=%u\n", copy.tag, copy.len, copy.val, copy.wide,
      copy.name, (u32)sizeof(copy));

    char buf[64];
    int n = 0;
    const char *words[] = {"alpha", "beta", "gamma", "delta"};
    for (int i = 0; i < 4; i++) {
        for (const char *s = words[i]; *s; s++)
            buf[n++] = (char)(*s - 32 * (i & 1));
        buf[n++] = i < 3 ? ',' : 0;
    }
    P("string: %s len=%u\n", buf, (u32)strlen(buf));
    return 0;
}
