/* c_lz: data compression round trips: an LZ77 compressor with a hash-chain
 * match finder and a byte-oriented format, run-length encoding, base64
 * encode/decode, and a Huffman code-length builder; sizes and CRCs of every
 * stage are printed and each decoder is checked against the input. */
#include "rt.h"

static u8 src[8192], comp[20000], out[8192];
static char b64[12000];

static int lz_compress(const u8 *in, int n, u8 *o)
{
    static s16 head[4096], prev[8192];
    for (int i = 0; i < 4096; i++)
        head[i] = -1;
    int op = 0, i = 0, lit_start = 0;
#define FLUSH_LITS(end)                                                            \
    while (lit_start < (end)) {                                                    \
        int cnt = (end) - lit_start > 127 ? 127 : (end) - lit_start;               \
        o[op++] = (u8)cnt;                                                         \
        memcpy(o + op, in + lit_start, (size_t)cnt);                               \
        op += cnt;                                                                 \
        lit_start += cnt;                                                          \
    }
    while (i < n) {
        int best_len = 0, best_off = 0;
        if (i + 3 <= n) {
            u32 hh = ((u32)in[i] * 2654435761u ^ (u32)in[i + 1] * 40503u ^ in[i + 2]) & 4095;
            int cand = head[hh], chain = 0;
            while (cand >= 0 && i - cand <= 4095 && chain++ < 32) {
                int l = 0;
                while (i + l < n && l < 130 && in[cand + l] == in[i + l])
                    l++;
                if (l > best_len) {
                    best_len = l;
                    best_off = i - cand;
                }
                cand = prev[cand];
            }
            prev[i] = head[hh];
            head[hh] = (s16)i;
        }
        if (best_len >= 3) {
            FLUSH_LITS(i);
            o[op++] = (u8)(0x80 | (best_len - 3));
            o[op++] = (u8)(best_off >> 8);
            o[op++] = (u8)best_off;
            for (int k = 1; k < best_len; k++) {
                int j = i + k;
                if (j + 3 <= n) {
                    u32 hh = ((u32)in[j] * 2654435761u ^ (u32)in[j + 1] * 40503u ^ in[j + 2]) & 4095;
                    prev[j] = head[hh];
                    head[hh] = (s16)j;
                }
            }
            i += best_len;
            lit_start = i;
        } else {
            i++;
        }
    }
    FLUSH_LITS(n);
    return op;
#undef FLUSH_LITS
}

static int lz_decompress(const u8 *c, int n, u8 *o)
{
    int ip = 0, op = 0;
    while (ip < n) {
        u8 t = c[ip++];
        if (t & 0x80) {
            int len = (t & 0x7f) + 3, off = c[ip] << 8 | c[ip + 1];
            ip += 2;
            for (int k = 0; k < len; k++, op++)
                o[op] = o[op - off];
        } else {
            memcpy(o + op, c + ip, t);
            ip += t;
            op += t;
        }
    }
    return op;
}

static int rle(const u8 *in, int n, u8 *o)
{
    int op = 0;
    for (int i = 0; i < n;) {
        int r = 1;
        while (i + r < n && in[i + r] == in[i] && r < 255)
            r++;
        o[op++] = (u8)r;
        o[op++] = in[i];
        i += r;
    }
    return op;
}

static int unrle(const u8 *c, int n, u8 *o)
{
    int op = 0;
    for (int i = 0; i < n; i += 2)
        for (int k = 0; k < c[i]; k++)
            o[op++] = c[i + 1];
    return op;
}

static const char b64c[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64enc(const u8 *in, int n, char *o)
{
    int op = 0;
    for (int i = 0; i < n; i += 3) {
        u32 v = (u32)in[i] << 16 | (i + 1 < n ? (u32)in[i + 1] << 8 : 0) | (i + 2 < n ? in[i + 2] : 0);
        o[op++] = b64c[v >> 18];
        o[op++] = b64c[(v >> 12) & 63];
        o[op++] = i + 1 < n ? b64c[(v >> 6) & 63] : '=';
        o[op++] = i + 2 < n ? b64c[v & 63] : '=';
    }
    o[op] = 0;
    return op;
}

static int b64dec(const char *s, u8 *o)
{
    int op = 0;
    u32 acc = 0, bits = 0;
    for (; *s && *s != '='; s++) {
        const char *p = b64c;
        while (*p != *s)
            p++;
        acc = acc << 6 | (u32)(p - b64c);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            o[op++] = (u8)(acc >> bits);
        }
    }
    return op;
}

static void huffman_lengths(const u8 *in, int n)
{
    u32 freq[256] = {0}, w[512];
    int parent[512], nodes = 0, idx[256];
    for (int i = 0; i < n; i++)
        freq[in[i]]++;
    for (int s = 0; s < 256; s++)
        if (freq[s]) {
            idx[s] = nodes;
            w[nodes] = freq[s];
            parent[nodes++] = -1;
        } else {
            idx[s] = -1;
        }
    int leaves = nodes;
    int alive[512], na = nodes;
    for (int i = 0; i < nodes; i++)
        alive[i] = i;
    while (na > 1) {
        int a = 0, b = 1;
        if (w[alive[b]] < w[alive[a]]) {
            a = 1;
            b = 0;
        }
        for (int i = 2; i < na; i++) {
            if (w[alive[i]] < w[alive[a]]) {
                b = a;
                a = i;
            } else if (w[alive[i]] < w[alive[b]]) {
                b = i;
            }
        }
        int x = alive[a], y = alive[b];
        w[nodes] = w[x] + w[y];
        parent[nodes] = -1;
        parent[x] = parent[y] = nodes;
        alive[a] = nodes++;
        alive[b] = alive[--na];
    }
    u32 bits = 0;
    int maxlen = 0;
    for (int s = 0; s < 256; s++)
        if (idx[s] >= 0) {
            int len = 0;
            for (int p = idx[s]; parent[p] >= 0; p = parent[p])
                len++;
            bits += freq[s] * (u32)len;
            if (len > maxlen)
                maxlen = len;
        }
    P("huffman: %d symbols, %u bits (%u bytes), max code length %d\n", leaves, bits, (bits + 7) / 8,
      maxlen);
}

int main(void)
{
    static const char *const words[] = {"the ", "quick ", "brown ", "fox ", "jumps ", "over ",
                                        "lazy ", "dog ", "and ", "cat "};
    u32 s = 2024;
    int n = 0;
    while (n < 6000) {
        const char *w = words[rt_rand(&s) % 10];
        while (*w && n < 6000)
            src[n++] = (u8)*w++;
    }
    while (n < 7000) {
        src[n] = (u8)(n < 6500 ? 'z' : rt_rand(&s));
        n++;
    }
    while (n < 8192)
        src[n++] = 0;
    P("input %d bytes crc %08x\n", n, rt_crc32(0, src, (size_t)n));
    int c = lz_compress(src, n, comp);
    int d = lz_decompress(comp, c, out);
    P("lz77: %d -> %d bytes crc %08x, back %d bytes ok=%d\n", n, c, rt_crc32(0, comp, (size_t)c), d,
      d == n && memcmp(src, out, (size_t)n) == 0);
    c = rle(src, n, comp);
    d = unrle(comp, c, out);
    P("rle: %d -> %d bytes crc %08x, back ok=%d\n", n, c, rt_crc32(0, comp, (size_t)c),
      d == n && memcmp(src, out, (size_t)n) == 0);
    c = b64enc(src + 6400, 200, b64);
    d = b64dec(b64, out);
    P("base64: 200 -> %d chars, head ", c);
    for (int i = 0; i < 24; i++)
        rt_putc(b64[i]);
    P(" tail %s ok=%d\n", b64 + c - 8, d == 200 && memcmp(src + 6400, out, 200) == 0);
    c = b64enc((const u8 *)"Man", 3, b64);
    P("base64(Man)=%s", b64);
    b64enc((const u8 *)"Ma", 2, b64);
    P(" base64(Ma)=%s", b64);
    b64enc((const u8 *)"M", 1, b64);
    P(" base64(M)=%s\n", b64);
    huffman_lengths(src, n);
    return 0;
}
