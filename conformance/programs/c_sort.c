/* c_sort: quicksort, merge sort, heapsort, shell sort, insertion sort and a
 * comparator-driven generic sort over pseudo-random data (signed, unsigned,
 * duplicates, presorted, reversed), plus sorting strings. Prints checksums,
 * order checks and a few elements. */
#include "rt.h"

#define N 1500

static s32 a[N], b[N], tmp[N];

static void gen(s32 *v, int n, u32 seed, int kind)
{
    for (int i = 0; i < n; i++) {
        u32 r = rt_rand(&seed);
        switch (kind) {
        case 0: v[i] = (s32)r; break;
        case 1: v[i] = (s32)(r % 17) - 8; break; /* many duplicates */
        case 2: v[i] = i * 3; break;             /* sorted */
        case 3: v[i] = (n - i) * 7; break;       /* reversed */
        default: v[i] = (s32)(r >> 20); break;
        }
    }
}

static void qsort_r(s32 *v, int lo, int hi)
{
    while (lo < hi) {
        s32 p = v[lo + (hi - lo) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (v[i] < p)
                i++;
            while (v[j] > p)
                j--;
            if (i <= j) {
                s32 t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                j--;
            }
        }
        if (j - lo < hi - i) {
            qsort_r(v, lo, j);
            lo = i;
        } else {
            qsort_r(v, i, hi);
            hi = j;
        }
    }
}

static void msort(s32 *v, int n)
{
    for (int w = 1; w < n; w *= 2) {
        for (int lo = 0; lo < n; lo += 2 * w) {
            int mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            int i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = v[i] <= v[j] ? v[i++] : v[j++];
            while (i < mid)
                tmp[k++] = v[i++];
            while (j < hi)
                tmp[k++] = v[j++];
        }
        memcpy(v, tmp, (size_t)n * sizeof(*v));
    }
}

static void sift(s32 *v, int i, int n)
{
    for (;;) {
        int l = 2 * i + 1, m = i;
        if (l < n && v[l] > v[m])
            m = l;
        if (l + 1 < n && v[l + 1] > v[m])
            m = l + 1;
        if (m == i)
            return;
        s32 t = v[i];
        v[i] = v[m];
        v[m] = t;
        i = m;
    }
}

static void hsort(s32 *v, int n)
{
    for (int i = n / 2 - 1; i >= 0; i--)
        sift(v, i, n);
    for (int e = n - 1; e > 0; e--) {
        s32 t = v[0];
        v[0] = v[e];
        v[e] = t;
        sift(v, 0, e);
    }
}

static void shsort(s32 *v, int n)
{
    static const int gaps[] = {701, 301, 132, 57, 23, 10, 4, 1};
    for (int g = 0; g < ARRAY_LEN(gaps); g++)
        for (int i = gaps[g]; i < n; i++) {
            s32 t = v[i];
            int j = i;
            for (; j >= gaps[g] && v[j - gaps[g]] > t; j -= gaps[g])
                v[j] = v[j - gaps[g]];
            v[j] = t;
        }
}

static void isort(s32 *v, int n)
{
    for (int i = 1; i < n; i++) {
        s32 t = v[i];
        int j = i - 1;
        while (j >= 0 && v[j] > t) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = t;
    }
}

typedef int (*cmp_fn)(const void *, const void *);

static void gsort(void *base, int n, int size, cmp_fn cmp)
{
    u8 *p = base, t[16];
    for (int gap = n / 2; gap > 0; gap /= 2)
        for (int i = gap; i < n; i++)
            for (int j = i - gap; j >= 0 && cmp(p + j * size, p + (j + gap) * size) > 0; j -= gap) {
                memcpy(t, p + j * size, (size_t)size);
                memcpy(p + j * size, p + (j + gap) * size, (size_t)size);
                memcpy(p + (j + gap) * size, t, (size_t)size);
            }
}

static int cmp_u32_desc(const void *x, const void *y)
{
    u32 a1 = *(const u32 *)x, b1 = *(const u32 *)y;
    return a1 < b1 ? 1 : a1 > b1 ? -1 : 0;
}

struct rec {
    u16 key;
    u8 tag;
    u8 pad;
    u32 val;
};

static int cmp_rec(const void *x, const void *y)
{
    const struct rec *p = x, *q = y;
    if (p->key != q->key)
        return p->key < q->key ? -1 : 1;
    return (int)p->tag - (int)q->tag;
}

static int sorted(const s32 *v, int n)
{
    for (int i = 1; i < n; i++)
        if (v[i - 1] > v[i])
            return 0;
    return 1;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

int main(void)
{
    static const char *const names[] = {"quick", "merge", "heap", "shell", "insert"};
    for (int kind = 0; kind < 5; kind++) {
        gen(a, N, 0x1234 + (u32)kind, kind);
        P("kind %d input crc %08x\n", kind, rt_crc32(0, a, sizeof(a)));
        for (int alg = 0; alg < 5; alg++) {
            int n = alg == 4 ? 400 : N;
            memcpy(b, a, sizeof(a));
            switch (alg) {
            case 0: qsort_r(b, 0, n - 1); break;
            case 1: msort(b, n); break;
            case 2: hsort(b, n); break;
            case 3: shsort(b, n); break;
            case 4: isort(b, n); break;
            }
            P("  %-6s n=%d sorted=%d crc=%08x min=%d mid=%d max=%d\n", names[alg], n, sorted(b, n),
              rt_crc32(0, b, (size_t)n * 4), b[0], b[n / 2], b[n - 1]);
        }
    }
    gen(a, N, 99, 0);
    gsort(a, 300, 4, cmp_u32_desc);
    P("generic desc: %08x %08x %08x crc=%08x\n", (u32)a[0], (u32)a[1], (u32)a[299],
      rt_crc32(0, a, 300 * 4));
    static struct rec recs[200];
    u32 s = 7;
    for (int i = 0; i < 200; i++) {
        recs[i].key = (u16)(rt_rand(&s) % 23);
        recs[i].tag = (u8)i;
        recs[i].pad = 0;
        recs[i].val = rt_rand(&s);
    }
    gsort(recs, 200, sizeof(struct rec), cmp_rec);
    P("records: first key=%u tag=%u last key=%u tag=%u crc=%08x\n", recs[0].key, recs[0].tag,
      recs[199].key, recs[199].tag, rt_crc32(0, recs, sizeof(recs)));
    static const char *words[] = {"pear", "apple", "fig", "banana", "kiwi", "apricot",
                                  "cherry", "date", "grape", "lime", "lemon", "mango"};
    gsort(words, ARRAY_LEN(words), sizeof(char *), cmp_str);
    for (int i = 0; i < ARRAY_LEN(words); i++)
        P("%s%s", words[i], i + 1 < ARRAY_LEN(words) ? " " : "\n");
    return 0;
}
