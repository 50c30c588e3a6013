/* c_matrix: integer matrix kernels: multiplication (plain, transposed,
 * blocked), matrix power for Fibonacci modulo a prime, exact determinant by
 * fraction-free Bareiss elimination in 64-bit, Gaussian elimination modulo
 * p with modular inverses, and a 2-D convolution. */
#include "rt.h"

#define N 24

static s32 A[N][N], B[N][N], C[N][N], D[N][N], T[N][N];

static void mm(s32 r[N][N], s32 a[N][N], s32 b[N][N])
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            u32 s = 0; /* wrapping arithmetic: the power chain overflows */
            for (int k = 0; k < N; k++)
                s += (u32)a[i][k] * (u32)b[k][j];
            r[i][j] = (s32)s;
        }
}

static void mm_t(s32 r[N][N], s32 a[N][N], s32 b[N][N])
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            T[j][i] = b[i][j];
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            u32 s = 0;
            for (int k = 0; k < N; k++)
                s += (u32)a[i][k] * (u32)T[j][k];
            r[i][j] = (s32)s;
        }
}

static void mm_blocked(s32 r[N][N], s32 a[N][N], s32 b[N][N])
{
    memset(r, 0, sizeof(s32) * N * N);
    for (int ii = 0; ii < N; ii += 8)
        for (int kk = 0; kk < N; kk += 8)
            for (int jj = 0; jj < N; jj += 8)
                for (int i = ii; i < ii + 8; i++)
                    for (int k = kk; k < kk + 8; k++) {
                        u32 aik = (u32)a[i][k];
                        for (int j = jj; j < jj + 8; j++)
                            r[i][j] = (s32)((u32)r[i][j] + aik * (u32)b[k][j]);
                    }
}

static s64 bareiss(s64 m[8][8], int n)
{
    s64 prev = 1;
    int sign = 1;
    for (int k = 0; k < n - 1; k++) {
        if (m[k][k] == 0) {
            int p = k + 1;
            while (p < n && m[p][k] == 0)
                p++;
            if (p == n)
                return 0;
            for (int j = 0; j < n; j++) {
                s64 t = m[k][j];
                m[k][j] = m[p][j];
                m[p][j] = t;
            }
            sign = -sign;
        }
        for (int i = k + 1; i < n; i++)
            for (int j = k + 1; j < n; j++)
                m[i][j] = (m[i][j] * m[k][k] - m[i][k] * m[k][j]) / prev;
        prev = m[k][k];
    }
    return sign * m[n - 1][n - 1];
}

#define P32 2147483629u

static u32 mulm(u32 a, u32 b) { return (u32)((u64)a * b % P32); }

static u32 inv(u32 a)
{
    u32 r = 1, e = P32 - 2;
    while (e) {
        if (e & 1)
            r = mulm(r, a);
        a = mulm(a, a);
        e >>= 1;
    }
    return r;
}

static u32 det_mod(u32 m[10][10], int n)
{
    u32 d = 1;
    for (int c = 0; c < n; c++) {
        int p = c;
        while (p < n && !m[p][c])
            p++;
        if (p == n)
            return 0;
        if (p != c) {
            for (int j = 0; j < n; j++) {
                u32 t = m[c][j];
                m[c][j] = m[p][j];
                m[p][j] = t;
            }
            d = P32 - d;
        }
        d = mulm(d, m[c][c]);
        u32 iv = inv(m[c][c]);
        for (int i = c + 1; i < n; i++) {
            u32 f = mulm(m[i][c], iv);
            for (int j = c; j < n; j++)
                m[i][j] = (m[i][j] + P32 - mulm(f, m[c][j])) % P32;
        }
    }
    return d;
}

static void fibmat(u64 n, u32 mod, u32 *out)
{
    u64 r[2][2] = {{1, 0}, {0, 1}}, m[2][2] = {{1, 1}, {1, 0}};
    while (n) {
        if (n & 1) {
            u64 t[2][2];
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 2; j++)
                    t[i][j] = (r[i][0] * m[0][j] + r[i][1] * m[1][j]) % mod;
            memcpy(r, t, sizeof(t));
        }
        u64 t[2][2];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
                t[i][j] = (m[i][0] * m[0][j] + m[i][1] * m[1][j]) % mod;
        memcpy(m, t, sizeof(t));
        n >>= 1;
    }
    *out = (u32)r[0][1];
}

int main(void)
{
    u32 s = 3;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            A[i][j] = (s32)(rt_rand(&s) % 201) - 100;
            B[i][j] = (s32)(rt_rand(&s) % 201) - 100;
        }
    mm(C, A, B);
    mm_t(D, A, B);
    P("mm crc=%08x transposed-equal=%d", rt_crc32(0, C, sizeof(C)), memcmp(C, D, sizeof(C)) == 0);
    mm_blocked(D, A, B);
    P(" blocked-equal=%d C[0][0]=%d C[23][23]=%d\n", memcmp(C, D, sizeof(C)) == 0, C[0][0], C[N - 1][N - 1]);
    for (int r = 0; r < 5; r++)
        mm(D, C, A), memcpy(C, D, sizeof(C));
    P("power chain crc=%08x\n", rt_crc32(0, C, sizeof(C)));

    static s64 m8[8][8];
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 8; j++)
            m8[i][j] = (s64)(rt_rand(&s) % 19) - 9;
    P("bareiss det 8x8 = %lld\n", bareiss(m8, 8));
    s64 hilbert_like[8][8];
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 8; j++)
            hilbert_like[i][j] = (i + 1) * (j + 2) + (i == j ? 7 : 0);
    P("bareiss det structured = %lld\n", bareiss(hilbert_like, 8));

    static u32 m10[10][10];
    for (int i = 0; i < 10; i++)
        for (int j = 0; j < 10; j++)
            m10[i][j] = rt_rand(&s) % P32;
    P("det mod p (10x10) = %u\n", det_mod(m10, 10));

    u32 f;
    fibmat(1000000, 1000000007, &f);
    P("F(10^6) mod 1e9+7 = %u", f);
    fibmat(90, 0xffffffffu, &f);
    P(", F(90) mod 2^32-1 = %u\n", f);

    static u8 img[32][32];
    static s32 out[30][30];
    for (int i = 0; i < 32; i++)
        for (int j = 0; j < 32; j++)
            img[i][j] = (u8)((i * j) ^ (i + j * 3));
    static const s8 k[3][3] = {{-1, -2, -1}, {0, 0, 0}, {1, 2, 1}};
    for (int i = 0; i < 30; i++)
        for (int j = 0; j < 30; j++) {
            s32 acc = 0;
            for (int a = 0; a < 3; a++)
                for (int b = 0; b < 3; b++)
                    acc += k[a][b] * img[i + a][j + b];
            out[i][j] = acc;
        }
    P("sobel crc=%08x out[15][15]=%d\n", rt_crc32(0, out, sizeof(out)), out[15][15]);
    return 0;
}
