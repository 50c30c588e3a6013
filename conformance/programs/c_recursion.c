/* c_recursion: recursion-heavy code: Ackermann, Towers of Hanoi, N-Queens
 * (bitmask backtracking), permutations in lexicographic order via recursion,
 * mutual recursion, a recursive-descent expression evaluator, and a deep
 * recursion (stack depth about 3000 frames). */
#include "rt.h"

static u32 ack(u32 m, u32 n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

static u32 moves, hsum;

static void hanoi(int n, int from, int to, int via)
{
    if (!n)
        return;
    hanoi(n - 1, from, via, to);
    moves++;
    hsum = hsum * 7 + (u32)(from * 3 + to);
    hanoi(n - 1, via, to, from);
}

static u32 queens(int n, u32 cols, u32 d1, u32 d2)
{
    u32 all = (1u << n) - 1;
    if (cols == all)
        return 1;
    u32 cnt = 0, avail = all & ~(cols | d1 | d2);
    while (avail) {
        u32 bit = avail & -avail;
        avail -= bit;
        cnt += queens(n, cols | bit, (d1 | bit) << 1, (d2 | bit) >> 1);
    }
    return cnt;
}

static int perm[8], used[8];
static u32 pcount, phash;

static void permute(int k, int n)
{
    if (k == n) {
        pcount++;
        for (int i = 0; i < n; i++)
            phash = phash * 10 + (u32)perm[i];
        return;
    }
    for (int i = 0; i < n; i++)
        if (!used[i]) {
            used[i] = 1;
            perm[k] = i;
            permute(k + 1, n);
            used[i] = 0;
        }
}

static int is_odd(u32 n);
static int is_even(u32 n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(u32 n) { return n == 0 ? 0 : is_even(n - 1); }

static const char *ep;

static s32 expr(void);

static s32 atom(void)
{
    while (*ep == ' ')
        ep++;
    if (*ep == '(') {
        ep++;
        s32 v = expr();
        while (*ep == ' ')
            ep++;
        ep++; /* ')' */
        return v;
    }
    if (*ep == '-') {
        ep++;
        return -atom();
    }
    s32 v = 0;
    while (*ep >= '0' && *ep <= '9')
        v = v * 10 + (*ep++ - '0');
    return v;
}

static s32 term(void)
{
    s32 v = atom();
    for (;;) {
        while (*ep == ' ')
            ep++;
        char c = *ep;
        if (c != '*' && c != '/' && c != '%')
            return v;
        ep++;
        s32 r = atom();
        v = c == '*' ? v * r : r == 0 ? 0 : c == '/' ? v / r : v % r;
    }
}

static s32 expr(void)
{
    s32 v = term();
    for (;;) {
        while (*ep == ' ')
            ep++;
        char c = *ep;
        if (c != '+' && c != '-')
            return v;
        ep++;
        s32 r = term();
        v = c == '+' ? v + r : v - r;
    }
}

static NOINLINE u32 deep(u32 n, volatile u32 *sink)
{
    u32 local[4] = {n, n * 3, n ^ 0x55, n + 7};
    *sink += local[n & 3];
    if (n == 0)
        return 1;
    return deep(n - 1, sink) * 3 + local[(n >> 2) & 3];
}

int main(void)
{
    P("ack(2,3)=%u ack(2,200)=%u ack(3,5)=%u\n", ack(2, 3), ack(2, 200), ack(3, 5));
    hanoi(15, 0, 2, 1);
    P("hanoi(15): %u moves hash %08x\n", moves, hsum);
    for (int n = 1; n <= 10; n++)
        P("%u ", queens(n, 0, 0, 0));
    P("<- n-queens 1..10\n");
    permute(0, 7);
    P("permutations(7)=%u hash %08x\n", pcount, phash);
    P("even(1001)=%d odd(777)=%d\n", is_even(1001), is_odd(777));
    static const char *const exprs[] = {"1+2*3", "(1+2)*3", "-(4-10)*7 % 5", "100/7/2",
                                        "2*(3+(4*(5+6)))-((7))", "((((((1))))))+ -3"};
    for (int i = 0; i < ARRAY_LEN(exprs); i++) {
        ep = exprs[i];
        P("%s = %d\n", exprs[i], expr());
    }
    volatile u32 sink = 0;
    u32 d = deep(1000, &sink);
    P("deep(1000) = %08x sink %08x\n", d, sink);
    return 0;
}
