/* c_longlong: 64-bit integer arithmetic over edge values: add/sub (ADDS/ADC
 * pairs), multiply (UMULL/MLA combinations), signed and unsigned division and
 * modulo (libgcc __aeabi_ldivmod/__aeabi_uldivmod), shifts by 0..63 in both
 * directions (variable shifts across the word boundary), comparisons, and
 * 32x32->64 widening multiplies. */
#include "rt.h"

static const u64 V[] = {0, 1, 2, 0x7fffffffull, 0x80000000ull, 0xffffffffull, 0x100000000ull,
                        0x123456789abcdef0ull, 0x7fffffffffffffffull, 0x8000000000000000ull,
                        0xfffffffffffffffeull, 0xffffffffffffffffull, 1000000007ull};

static u32 h;
static void mix(u64 v) { h = (h ^ (u32)v) * 16777619u ^ (u32)(v >> 32); }

static NOINLINE u64 shl(u64 a, int n) { return a << n; }
static NOINLINE u64 shr(u64 a, int n) { return a >> n; }
static NOINLINE s64 sar(s64 a, int n) { return a >> n; }

int main(void)
{
    int n = ARRAY_LEN(V);
    for (int i = 0; i < n; i++) {
        u32 rowh = 0;
        for (int j = 0; j < n; j++) {
            u64 a = V[i], b = V[j];
            s64 sa = (s64)a, sb = (s64)b;
            h = 2166136261u;
            mix(a + b);
            mix(a - b);
            mix(a * b);
            mix(b ? a / b : 0);
            mix(b ? a % b : 0);
            mix(sb && !(sa == (s64)0x8000000000000000ull && sb == -1) ? (u64)(sa / sb) : 0);
            mix(sb && !(sa == (s64)0x8000000000000000ull && sb == -1) ? (u64)(sa % sb) : 0);
            mix((u64)(a < b) | (u64)(sa < sb) << 1 | (u64)(a == b) << 2 | (u64)(sa >= sb) << 3);
            mix((u64)(u32)a * (u32)b);
            mix((u64)((s64)(s32)a * (s32)b));
            rowh = rowh * 31 + h;
        }
        P("row %2d (%016llx): %08x\n", i, V[i], rowh);
    }
    P("div samples: %llu %llu %lld %lld %llu\n", V[7] / 10, V[11] / 1000000007ull,
      (s64)V[10] / 3, (s64)V[9] / 7, V[7] % 0xfedcba98ull);
    u32 sh = 0;
    for (int k = 0; k < 64; k++) {
        sh = sh * 33 + (u32)shl(V[7], k) + (u32)(shl(V[7], k) >> 32);
        sh = sh * 33 + (u32)shr(V[7], k) + (u32)(shr(V[7], k) >> 32);
        sh = sh * 33 + (u32)sar((s64)V[9] + 5, k) + (u32)((u64)sar((s64)V[9] + 5, k) >> 32);
    }
    P("shifts 0..63: %08x; by 32: %016llx %016llx %016llx\n", sh, shl(V[7], 32), shr(V[7], 32),
      (u64)sar((s64)V[9], 32));
    u64 f = 1;
    for (int k = 1; k <= 20; k++)
        f *= (u64)k;
    P("20! = %llu, /19! = %llu, %%1e9+7 = %llu\n", f, f / 121645100408832000ull, f % 1000000007ull);
    return 0;
}
