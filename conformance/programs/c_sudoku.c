/* c_sudoku: a Sudoku solver (bitmask candidates, most-constrained-cell
 * heuristic, recursive backtracking) on three puzzles of increasing
 * difficulty, printing each solution and the number of search nodes; plus a
 * Knight's tour by Warnsdorff's rule on 8x8. */
#include "rt.h"

static u8 g[81];
static u32 nodes;

static u16 cand(int cell)
{
    int r = cell / 9, c = cell % 9, br = r / 3 * 3, bc = c / 3 * 3;
    u16 used = 0;
    for (int i = 0; i < 9; i++) {
        used |= (u16)(1u << g[r * 9 + i]);
        used |= (u16)(1u << g[i * 9 + c]);
        used |= (u16)(1u << g[(br + i / 3) * 9 + bc + i % 3]);
    }
    return (u16)(~used & 0x3fe);
}

static int solve(void)
{
    nodes++;
    int best = -1, bestn = 10;
    u16 bestc = 0;
    for (int i = 0; i < 81; i++)
        if (!g[i]) {
            u16 c = cand(i);
            int n = __builtin_popcount(c);
            if (n < bestn) {
                best = i;
                bestn = n;
                bestc = c;
                if (n <= 1)
                    break;
            }
        }
    if (best < 0)
        return 1;
    while (bestc) {
        int d = __builtin_ctz(bestc);
        bestc &= (u16)(bestc - 1);
        g[best] = (u8)d;
        if (solve())
            return 1;
    }
    g[best] = 0;
    return 0;
}

static void run(const char *p)
{
    for (int i = 0; i < 81; i++)
        g[i] = p[i] == '.' ? 0 : (u8)(p[i] - '0');
    nodes = 0;
    int ok = solve();
    P("solved=%d nodes=%u\n", ok, nodes);
    for (int r = 0; r < 9; r++) {
        for (int c = 0; c < 9; c++)
            rt_putc('0' + g[r * 9 + c]);
        rt_putc(r % 3 == 2 ? '\n' : ' ');
    }
}

static int board[64];

static int degree(int sq)
{
    static const int dr[8] = {1, 2, 2, 1, -1, -2, -2, -1}, dc[8] = {2, 1, -1, -2, -2, -1, 1, 2};
    int n = 0;
    for (int k = 0; k < 8; k++) {
        int r = sq / 8 + dr[k], c = sq % 8 + dc[k];
        if (r >= 0 && r < 8 && c >= 0 && c < 8 && !board[r * 8 + c])
            n++;
    }
    return n;
}

static void knight(void)
{
    static const int dr[8] = {1, 2, 2, 1, -1, -2, -2, -1}, dc[8] = {2, 1, -1, -2, -2, -1, 1, 2};
    int sq = 0;
    board[sq] = 1;
    for (int step = 2; step <= 64; step++) {
        int best = -1, bd = 9;
        for (int k = 0; k < 8; k++) {
            int r = sq / 8 + dr[k], c = sq % 8 + dc[k];
            if (r < 0 || r >= 8 || c < 0 || c >= 8 || board[r * 8 + c])
                continue;
            int d = degree(r * 8 + c);
            if (d < bd) {
                bd = d;
                best = r * 8 + c;
            }
        }
        if (best < 0) {
            P("knight stuck at step %d\n", step);
            return;
        }
        sq = best;
        board[sq] = step;
    }
    for (int r = 0; r < 8; r++) {
        for (int c = 0; c < 8; c++)
            P("%3d", board[r * 8 + c]);
        P("\n");
    }
}

int main(void)
{
    run("53..7....6..195....98....6.8...6...34..8.3..17...2...6.6....28....419..5....8..79");
    run("..9748...7.........2.1.9.....7...24..64.1.59..98...3.....8.3.2.........6...2759..");
    run("8..........36......7..9.2...5...7.......457.....1...3...1....68..85...1..9....4..");
    knight();
    return 0;
}
