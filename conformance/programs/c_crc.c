/* c_crc: checksums and hashes over generated data: CRC-32 (bitwise, table,
 * slice-by-4), CRC-32C, CRC-16/CCITT, CRC-8, Adler-32, Fletcher-16, FNV-1a
 * 32/64, djb2, and a SipHash-2-4 (64-bit rotates and adds). */
#include "rt.h"

static u8 data[4096];
static u32 t32[4][256], t32c[256];
static u16 t16[256];

static u32 crc_bit(const u8 *p, int n)
{
    u32 c = 0xffffffff;
    while (n--) {
        c ^= *p++;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? (c >> 1) ^ 0xedb88320 : c >> 1;
    }
    return ~c;
}

static void make_tables(void)
{
    for (u32 i = 0; i < 256; i++) {
        u32 c = i, d = i;
        for (int k = 0; k < 8; k++) {
            c = c & 1 ? (c >> 1) ^ 0xedb88320 : c >> 1;
            d = d & 1 ? (d >> 1) ^ 0x82f63b78 : d >> 1;
        }
        t32[0][i] = c;
        t32c[i] = d;
        u16 h = (u16)(i << 8);
        for (int k = 0; k < 8; k++)
            h = (u16)(h & 0x8000 ? (h << 1) ^ 0x1021 : h << 1);
        t16[i] = h;
    }
    for (int i = 0; i < 256; i++)
        for (int s = 1; s < 4; s++)
            t32[s][i] = (t32[s - 1][i] >> 8) ^ t32[0][t32[s - 1][i] & 0xff];
}

static u32 crc_tab(const u8 *p, int n)
{
    u32 c = 0xffffffff;
    while (n--)
        c = (c >> 8) ^ t32[0][(c ^ *p++) & 0xff];
    return ~c;
}

static u32 crc_s4(const u8 *p, int n)
{
    u32 c = 0xffffffff;
    while (n >= 4) {
        c ^= (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
        c = t32[3][c & 0xff] ^ t32[2][(c >> 8) & 0xff] ^ t32[1][(c >> 16) & 0xff] ^ t32[0][c >> 24];
        p += 4;
        n -= 4;
    }
    while (n--)
        c = (c >> 8) ^ t32[0][(c ^ *p++) & 0xff];
    return ~c;
}

static u32 crc32c(const u8 *p, int n)
{
    u32 c = 0xffffffff;
    while (n--)
        c = (c >> 8) ^ t32c[(c ^ *p++) & 0xff];
    return ~c;
}

static u16 crc16(const u8 *p, int n)
{
    u16 c = 0xffff;
    while (n--)
        c = (u16)((c << 8) ^ t16[(c >> 8) ^ *p++]);
    return c;
}

static u8 crc8(const u8 *p, int n)
{
    u8 c = 0;
    while (n--) {
        c ^= *p++;
        for (int k = 0; k < 8; k++)
            c = (u8)(c & 0x80 ? (c << 1) ^ 0x07 : c << 1);
    }
    return c;
}

static u32 adler(const u8 *p, int n)
{
    u32 a = 1, b = 0;
    while (n--) {
        a = (a + *p++) % 65521;
        b = (b + a) % 65521;
    }
    return b << 16 | a;
}

static u16 fletcher16(const u8 *p, int n)
{
    u16 s1 = 0, s2 = 0;
    while (n--) {
        s1 = (u16)((s1 + *p++) % 255);
        s2 = (u16)((s2 + s1) % 255);
    }
    return (u16)(s2 << 8 | s1);
}

static u32 fnv32(const u8 *p, int n)
{
    u32 h = 2166136261u;
    while (n--)
        h = (h ^ *p++) * 16777619u;
    return h;
}

static u64 fnv64(const u8 *p, int n)
{
    u64 h = 14695981039346656037ull;
    while (n--)
        h = (h ^ *p++) * 1099511628211ull;
    return h;
}

static u32 djb2(const u8 *p, int n)
{
    u32 h = 5381;
    while (n--)
        h = h * 33 + *p++;
    return h;
}

#define ROTL(x, b) (u64)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                   \
    do {                                                                           \
        v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);                  \
        v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;                                     \
        v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;                                     \
        v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);                  \
    } while (0)

static u64 siphash(const u8 *in, int inlen, u64 k0, u64 k1)
{
    u64 v0 = 0x736f6d6570736575ull ^ k0, v1 = 0x646f72616e646f6dull ^ k1;
    u64 v2 = 0x6c7967656e657261ull ^ k0, v3 = 0x7465646279746573ull ^ k1;
    u64 b = (u64)inlen << 56;
    int left = inlen & 7;
    const u8 *end = in + inlen - left;
    for (; in != end; in += 8) {
        u64 m = 0;
        for (int i = 0; i < 8; i++)
            m |= (u64)in[i] << (8 * i);
        v3 ^= m;
        SIPROUND;
        SIPROUND;
        v0 ^= m;
    }
    for (int i = 0; i < left; i++)
        b |= (u64)in[i] << (8 * i);
    v3 ^= b;
    SIPROUND;
    SIPROUND;
    v0 ^= b;
    v2 ^= 0xff;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

int main(void)
{
    u32 s = 0xc0ffee;
    for (int i = 0; i < (int)sizeof(data); i++)
        data[i] = (u8)(rt_rand(&s) >> 13);
    make_tables();
    static const char check[] = "123456789";
    P("check string: crc32=%08x crc32c=%08x crc16=%04x crc8=%02x adler=%08x\n",
      crc_tab((const u8 *)check, 9), crc32c((const u8 *)check, 9), crc16((const u8 *)check, 9),
      crc8((const u8 *)check, 9), adler((const u8 *)check, 9));
    for (int len = 0; len <= 4096; len = len ? len * 4 : 1) {
        P("len %4d: bit=%08x tab=%08x s4=%08x c=%08x 16=%04x 8=%02x adler=%08x f16=%04x\n", len,
          crc_bit(data, len), crc_tab(data, len), crc_s4(data, len), crc32c(data, len),
          crc16(data, len), crc8(data, len), adler(data, len), fletcher16(data, len));
        P("          fnv32=%08x fnv64=%016llx djb2=%08x sip=%016llx\n", fnv32(data, len),
          fnv64(data, len), djb2(data, len),
          siphash(data, len, 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull));
    }
    u8 sipin[15];
    for (int i = 0; i < 15; i++)
        sipin[i] = (u8)i;
    P("siphash reference vector (15 bytes): %016llx\n",
      siphash(sipin, 15, 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull));
    return 0;
}
