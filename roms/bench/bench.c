/*
 * Mimic CPU benchmark: a fixed amount of integer work in five kernels (CRC-32,
 * integer matrix multiply, sorting, string search, a table-driven state
 * machine). Each kernel prints a checksum; the last line is the total. Built
 * as A32 (bench-arm.elf) and T32 (bench-thumb.elf); output goes through
 * semihosting, and the program ends with SYS_EXIT.
 *
 * The work is fixed (no timing inside the guest), so the output is the same
 * on every emulator; compare wall-clock time from outside.
 */
#include "rom.h"

/* Scale of every kernel: about 1.8 s of host CPU per build in qemu-system-arm
 * (TCG) on the development machine; see README.md. */
#define SCALE 18

static char line[96];

static void puts_semi(const char *s) { semi(0x04, s); }

static void report(const char *name, u32 sum)
{
    static const char hex[] = "0123456789abcdef";
    int n = 0;
    while (*name)
        line[n++] = *name++;
    while (n < 16)
        line[n++] = ' ';
    for (int i = 7; i >= 0; i--)
        line[n++] = hex[(sum >> (4 * i)) & 0xf];
    line[n++] = '\n';
    line[n] = 0;
    puts_semi(line);
}

static u32 rng = 0x2545f491;

static u32 next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* ---- CRC-32 over a 64 KiB buffer, table-driven ---- */
static u8 data[65536];
static u32 crc_table[256];

static u32 bench_crc(void)
{
    for (u32 i = 0; i < 256; i++) {
        u32 c = i;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & -(c & 1));
        crc_table[i] = c;
    }
    for (u32 i = 0; i < sizeof(data); i++)
        data[i] = (u8)(next() >> 24);
    u32 sum = 0;
    for (int r = 0; r < 40 * SCALE; r++) {
        u32 crc = ~(u32)r;
        for (u32 i = 0; i < sizeof(data); i++)
            crc = (crc >> 8) ^ crc_table[(crc ^ data[i]) & 0xff];
        sum = sum * 33 + ~crc;
    }
    return sum;
}

/* ---- integer matrix multiply, 64x64 ---- */
#define MN 64
static s32 ma[MN][MN], mb[MN][MN], mc[MN][MN];

static u32 bench_matmul(void)
{
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            ma[i][j] = (s32)(next() % 2001) - 1000;
            mb[i][j] = (s32)(next() % 2001) - 1000;
        }
    u32 sum = 0;
    for (int r = 0; r < 12 * SCALE; r++) {
        for (int i = 0; i < MN; i++)
            for (int j = 0; j < MN; j++) {
                s32 s = 0;
                for (int k = 0; k < MN; k++)
                    s += ma[i][k] * mb[k][j];
                mc[i][j] = s;
            }
        for (int i = 0; i < MN; i++) {
            sum = sum * 31 + (u32)mc[i][(i + r) % MN];
            ma[i][r % MN] = mc[i][i] % 1000; /* feed back so rounds differ */
        }
    }
    return sum;
}

/* ---- sorting: quicksort + insertion sort for small ranges ---- */
#define SN 20000
static u32 sarr[SN];

static void isort(u32 *v, int n)
{
    for (int i = 1; i < n; i++) {
        u32 t = v[i];
        int j = i - 1;
        while (j >= 0 && v[j] > t) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = t;
    }
}

static void qsort_u32(u32 *v, int n)
{
    while (n > 16) {
        u32 a = v[0], b = v[n / 2], c = v[n - 1];
        u32 p = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
        int i = 0, j = n - 1;
        while (i <= j) {
            while (v[i] < p)
                i++;
            while (v[j] > p)
                j--;
            if (i <= j) {
                u32 t = v[i];
                v[i++] = v[j];
                v[j--] = t;
            }
        }
        if (j + 1 < n - i) {
            qsort_u32(v, j + 1);
            v += i;
            n -= i;
        } else {
            qsort_u32(v + i, n - i);
            n = j + 1;
        }
    }
    isort(v, n);
}

static u32 bench_sort(void)
{
    u32 sum = 0;
    for (int r = 0; r < 8 * SCALE; r++) {
        for (int i = 0; i < SN; i++)
            sarr[i] = next() % (r & 1 ? 1000 : 0xffffffff);
        qsort_u32(sarr, SN);
        for (int i = 1; i < SN; i++)
            if (sarr[i - 1] > sarr[i])
                return 0xbad5047;
        for (int i = 0; i < SN; i += 97)
            sum = sum * 31 + sarr[i];
    }
    return sum;
}

/* ---- string search: Boyer-Moore-Horspool and a naive scan ---- */
#define TN 60000
static char text[TN + 1];

static u32 bmh(const char *t, int n, const char *p, int m)
{
    int skip[256];
    for (int i = 0; i < 256; i++)
        skip[i] = m;
    for (int i = 0; i < m - 1; i++)
        skip[(u8)p[i]] = m - 1 - i;
    u32 count = 0, pos = 0;
    for (int i = 0; i <= n - m;) {
        int j = m - 1;
        while (j >= 0 && t[i + j] == p[j])
            j--;
        if (j < 0) {
            count++;
            pos += (u32)i;
        }
        i += skip[(u8)t[i + m - 1]];
    }
    return count * 65537 + pos;
}

static u32 naive(const char *t, int n, const char *p, int m)
{
    u32 count = 0;
    for (int i = 0; i + m <= n; i++) {
        int j = 0;
        while (j < m && t[i + j] == p[j])
            j++;
        count += j == m;
    }
    return count;
}

static u32 bench_search(void)
{
    static const char alpha[] = "acgt";
    for (int i = 0; i < TN; i++)
        text[i] = alpha[next() & 3];
    text[TN] = 0;
    static const char *const pats[] = {"gattaca", "acgtacgt", "ttttt", "cagtgcatgca", "ga"};
    u32 sum = 0;
    for (int r = 0; r < 6 * SCALE; r++)
        for (int k = 0; k < 5; k++) {
            int m = 0;
            while (pats[k][m])
                m++;
            sum = sum * 31 + bmh(text, TN, pats[k], m);
            sum = sum * 31 + naive(text + (r % 50) * 1000, TN - (r % 50) * 1000, pats[k], m);
        }
    return sum;
}

/* ---- state machine: a tokenizer over generated source text ---- */
#define LN 50000
static char src[LN + 1];

enum { S_START, S_IDENT, S_NUMBER, S_HEX, S_STRING, S_COMMENT, S_OP };

static u32 bench_fsm(void)
{
    static const char *const frags[] = {"int ", "x", "y1", " = ", "0x1f", "42", "+", "-", "*",
                                        "\"str\"", "/* c */", "(", ")", ";\n", "if ", "foo_bar"};
    int n = 0;
    while (n < LN - 16) {
        const char *f = frags[next() % 16];
        while (*f)
            src[n++] = *f++;
    }
    src[n] = 0;
    u32 sum = 0;
    for (int r = 0; r < 25 * SCALE; r++) {
        int state = S_START;
        u32 tokens = 0, h = (u32)r;
        for (const char *p = src;; p++) {
            char c = *p;
            int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            int digit = c >= '0' && c <= '9';
            switch (state) {
            case S_START:
                if (alpha) state = S_IDENT;
                else if (c == '0' && p[1] == 'x') { state = S_HEX; p++; }
                else if (digit) state = S_NUMBER;
                else if (c == '"') state = S_STRING;
                else if (c == '/' && p[1] == '*') { state = S_COMMENT; p++; }
                else if (c == '+' || c == '-' || c == '*' || c == '=' || c == '(' || c == ')' || c == ';') {
                    tokens++;
                    h = h * 33 + (u32)c;
                }
                break;
            case S_IDENT:
                if (!alpha && !digit) { tokens++; h = h * 33 + 1; state = S_START; p--; }
                break;
            case S_NUMBER:
                if (!digit) { tokens++; h = h * 33 + 2; state = S_START; p--; }
                break;
            case S_HEX:
                if (!digit && !((c | 32) >= 'a' && (c | 32) <= 'f')) { tokens++; h = h * 33 + 3; state = S_START; p--; }
                break;
            case S_STRING:
                if (c == '"') { tokens++; h = h * 33 + 4; state = S_START; }
                break;
            case S_COMMENT:
                if (c == '*' && p[1] == '/') { h = h * 33 + 5; state = S_START; p++; }
                break;
            }
            if (!c)
                break;
        }
        sum = sum * 31 + h + tokens;
    }
    return sum;
}

int main(void)
{
#ifdef __thumb__
    puts_semi("Mimic CPU benchmark (T32)\n");
#else
    puts_semi("Mimic CPU benchmark (A32)\n");
#endif
    u32 total = 0, s;
    s = bench_crc();
    report("crc32", s);
    total = total * 17 + s;
    s = bench_matmul();
    report("matmul", s);
    total = total * 17 + s;
    s = bench_sort();
    report("sort", s);
    total = total * 17 + s;
    s = bench_search();
    report("search", s);
    total = total * 17 + s;
    s = bench_fsm();
    report("state machine", s);
    total = total * 17 + s;
    report("total", total);
    return 0;
}
