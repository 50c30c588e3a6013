/* c_struct: structure handling as compilers emit it: struct assignment and
 * copies (LDM/STM and memcpy), structs passed and returned by value (on the
 * stack beyond r0-r3), arrays of structs, nested structs, unions for type
 * punning, signed/unsigned bitfields, packed structs (byte accesses, built
 * with -mno-unaligned-access), and offsetof/sizeof. */
#include "rt.h"

struct vec3 {
    s32 x, y, z;
};

struct particle {
    struct vec3 pos, vel;
    u16 id;
    u8 flags;
    s8 charge;
    u32 mass;
};

struct big {
    u32 w[20];
};

union pun {
    u32 u;
    s32 s;
    u8 b[4];
    u16 h[2];
};

struct bits {
    unsigned a : 3;
    signed b : 5;
    unsigned c : 12;
    signed d : 12;
};

struct __attribute__((packed)) pkt {
    u8 type;
    u32 seq;
    u16 len;
    u8 data[5];
    u32 crc;
};

static NOINLINE struct vec3 vadd(struct vec3 a, struct vec3 b)
{
    struct vec3 r = {a.x + b.x, a.y + b.y, a.z + b.z};
    return r;
}

static NOINLINE struct big big_transform(struct big b, u32 k)
{
    for (int i = 0; i < 20; i++)
        b.w[i] = b.w[i] * k + (u32)i;
    return b;
}

static NOINLINE u32 big_sum(struct big b, struct big c, u32 extra)
{
    u32 s = extra;
    for (int i = 0; i < 20; i++)
        s = s * 3 + b.w[i] - c.w[i];
    return s;
}

static struct particle ps[64], copy[64];

int main(void)
{
    u32 seed = 42;
    for (int i = 0; i < 64; i++) {
        struct particle p = {
            {(s32)(rt_rand(&seed) % 1000) - 500, (s32)(rt_rand(&seed) % 1000) - 500, i},
            {(s32)(rt_rand(&seed) % 21) - 10, (s32)(rt_rand(&seed) % 21) - 10, -i},
            (u16)(i * 37),
            (u8)(i & 7),
            (s8)(i % 3 - 1),
            rt_rand(&seed) % 100 + 1,
        };
        ps[i] = p;
    }
    for (int step = 0; step < 50; step++)
        for (int i = 0; i < 64; i++) {
            ps[i].pos = vadd(ps[i].pos, ps[i].vel);
            if (ps[i].pos.x > 1000 || ps[i].pos.x < -1000)
                ps[i].vel.x = -ps[i].vel.x;
        }
    for (int i = 0; i < 64; i++)
        copy[63 - i] = ps[i];
    P("particles crc=%08x copy crc=%08x first=(%d,%d,%d) id=%u\n", rt_crc32(0, ps, sizeof(ps)),
      rt_crc32(0, copy, sizeof(copy)), ps[0].pos.x, ps[0].pos.y, ps[0].pos.z, copy[0].id);

    struct big b;
    for (int i = 0; i < 20; i++)
        b.w[i] = (u32)i * 0x01010101u;
    struct big c = big_transform(b, 3);
    struct big d = c;
    d.w[7] = 0;
    P("big: %08x %08x sum=%08x\n", c.w[19], d.w[7], big_sum(c, b, 5));

    union pun u;
    u.u = 0x11223344;
    P("union: s=%d b=%02x%02x%02x%02x h=%04x,%04x\n", u.s, u.b[0], u.b[1], u.b[2], u.b[3], u.h[0],
      u.h[1]);
    u.b[3] = 0xff;
    P("union after byte store: %08x %d\n", u.u, u.s);

    struct bits bf = {0};
    u32 bsum = 0;
    for (int i = 0; i < 100; i++) {
        bf.a += (unsigned)i;
        bf.b -= i;
        bf.c = bf.c * 3u + (unsigned)i;
        bf.d = bf.d ^ (i * 77);
        bsum = bsum * 7 + bf.a + (u32)bf.b + bf.c + (u32)bf.d;
    }
    u32 raw;
    memcpy(&raw, &bf, 4);
    P("bitfields: a=%u b=%d c=%u d=%d raw=%08x sum=%08x sizeof=%u\n", bf.a, bf.b, bf.c, bf.d, raw,
      bsum, (u32)sizeof(bf));

    static struct pkt pk[4];
    for (int i = 0; i < 4; i++) {
        pk[i].type = (u8)i;
        pk[i].seq = 0x01020304u * (u32)(i + 1);
        pk[i].len = (u16)(0x1111 * i);
        for (int j = 0; j < 5; j++)
            pk[i].data[j] = (u8)(i * 5 + j);
        pk[i].crc = rt_crc32(0, &pk[i], 12);
    }
    P("packed: sizeof=%u offsetof(seq)=%u offsetof(crc)=%u crc=%08x seq[3]=%08x\n",
      (u32)sizeof(struct pkt), (u32)__builtin_offsetof(struct pkt, seq),
      (u32)__builtin_offsetof(struct pkt, crc), rt_crc32(0, pk, sizeof(pk)), pk[3].seq);
    P("sizes: particle=%u vec3=%u big=%u\n", (u32)sizeof(struct particle), (u32)sizeof(struct vec3),
      (u32)sizeof(struct big));
    return 0;
}
