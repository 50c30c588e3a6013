/* c_switch: control flow as compilers lower it: dense switches (jump tables:
 * TBB/TBH in T32, LDR PC / ADD PC in A32), sparse switches (compare trees),
 * a table-driven lexer/state machine, arrays of function pointers, computed
 * goto (labels as values), and deeply nested conditionals. */
#include "rt.h"

static NOINLINE int dense(int x)
{
    switch (x) {
    case 0: return 11;
    case 1: return 27;
    case 2: return -3;
    case 3: return 100;
    case 4: return x * 7;
    case 5: return 55;
    case 6: return 1 << 20;
    case 7: return -77;
    case 8: return 8;
    case 9: return 999;
    case 10: return 12345;
    case 11: return 2;
    case 12: return 42;
    case 13: return 13 * 13;
    case 14: return -1;
    case 15: return 0x7fff;
    default: return -1000;
    }
}

static NOINLINE int wide(int x)
{
    switch (x) {
    case 0: case 100: return 1;
    case 7: return 2;
    case 300: return 3;
    case 301: return 4;
    case 302: return 5;
    case 303: return 6;
    case 304: return 7;
    case 305: return 8;
    case 306: return 9;
    case 307: return 10;
    case 308: return 11;
    case 309: return 12;
    case 1000: return 13;
    case -5: return 14;
    case 65536: return 15;
    case 0x7fffffff: return 16;
    default: return 0;
    }
}

/* A big dense switch with far-apart targets so T32 needs TBH. */
static NOINLINE u32 big_switch(u32 op, u32 a)
{
    switch (op) {
#define C(n) case n: a = a * (n + 3) + (a >> (n % 7)) - n; a ^= a << (n % 5); break;
        C(0) C(1) C(2) C(3) C(4) C(5) C(6) C(7) C(8) C(9) C(10) C(11) C(12) C(13) C(14) C(15)
        C(16) C(17) C(18) C(19) C(20) C(21) C(22) C(23) C(24) C(25) C(26) C(27) C(28) C(29)
        C(30) C(31) C(32) C(33) C(34) C(35) C(36) C(37) C(38) C(39)
#undef C
    default: a = ~a;
    }
    return a;
}

enum { T_NUM, T_ID, T_OP, T_SPACE, T_END };

static int lex(const char *s, u32 *hash)
{
    int state = 0, tokens = 0;
    u32 h = 0;
    for (;; s++) {
        char c = *s;
        int cls = (c >= '0' && c <= '9') ? T_NUM
                  : ((c | 32) >= 'a' && (c | 32) <= 'z') || c == '_' ? T_ID
                  : c == ' ' ? T_SPACE
                  : c == 0 ? T_END
                             : T_OP;
        switch (state) {
        case 0:
            if (cls == T_NUM) state = 1;
            else if (cls == T_ID) state = 2;
            else if (cls == T_OP) { tokens++; h = h * 31 + (u32)c; }
            break;
        case 1:
            if (cls != T_NUM && cls != T_ID) { tokens++; h = h * 31 + 1; state = 0; s--; }
            break;
        case 2:
            if (cls != T_NUM && cls != T_ID) { tokens++; h = h * 31 + 2; state = 0; s--; }
            break;
        }
        if (cls == T_END && state == 0)
            break;
    }
    *hash = h;
    return tokens;
}

static u32 f_add(u32 a, u32 b) { return a + b; }
static u32 f_sub(u32 a, u32 b) { return a - b; }
static u32 f_mul(u32 a, u32 b) { return a * b; }
static u32 f_xor(u32 a, u32 b) { return a ^ b; }
static u32 f_rot(u32 a, u32 b) { return (a << (b & 31)) | (a >> (-b & 31)); }
static u32 (*const ftab[])(u32, u32) = {f_add, f_sub, f_mul, f_xor, f_rot};

static u32 threaded(const u8 *prog, u32 x)
{
    static void *const disp[] = {&&op_inc, &&op_dbl, &&op_neg, &&op_halt, &&op_sq};
    const u8 *ip = prog;
#define NEXT goto *disp[*ip++]
    NEXT;
op_inc:
    x++;
    NEXT;
op_dbl:
    x <<= 1;
    NEXT;
op_neg:
    x = -x;
    NEXT;
op_sq:
    x *= x;
    NEXT;
op_halt:
    return x;
#undef NEXT
}

static int classify(int a, int b, int c)
{
    if (a > b) {
        if (b > c)
            return 1;
        else if (a > c)
            return 2;
        else
            return 3;
    } else if (a == b) {
        return c > a ? 4 : c == a ? 5 : 6;
    } else {
        if (a > c)
            return 7;
        return b > c ? 8 : 9;
    }
}

int main(void)
{
    u32 acc = 0; /* wrapping accumulators */
    for (int i = -2; i < 20; i++)
        acc = acc * 3 + (u32)dense(i);
    P("dense: %08x\n", acc);
    static const int ws[] = {0, 7, 100, 299, 300, 305, 309, 310, 1000, -5, -6, 65536, 0x7fffffff, 8};
    acc = 0;
    for (int i = 0; i < ARRAY_LEN(ws); i++)
        acc = acc * 17 + (u32)wide(ws[i]);
    P("wide: %08x\n", acc);
    u32 a = 1;
    for (u32 i = 0; i < 500; i++)
        a = big_switch((i * 7) % 41, a);
    P("big switch: %08x\n", a);
    u32 h;
    int n = lex("x1 = foo(42, y_2) + 0x1f*bar - 7;", &h);
    P("lex: %d tokens hash %08x\n", n, h);
    u32 v = 12345;
    for (u32 i = 0; i < 100; i++)
        v = ftab[i % ARRAY_LEN(ftab)](v, i * 2654435761u);
    P("fn table: %08x\n", v);
    static const u8 prog[] = {0, 1, 1, 4, 2, 0, 1, 4, 3};
    P("threaded: %u %u\n", threaded(prog, 3), threaded(prog + 5, 10));
    u32 cls = 0;
    for (int x = 0; x < 4; x++)
        for (int y = 0; y < 4; y++)
            for (int z = 0; z < 4; z++)
                cls = cls * 3 + (u32)classify(x, y, z);
    P("classify: %08x\n", cls);
    return 0;
}
