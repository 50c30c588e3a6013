/* c_interp: a small stack-machine bytecode interpreter (switch dispatch with
 * a dense opcode range, so gcc emits a jump table: TBB/TBH in T32, an
 * indexed load of PC in A32) running programs for Fibonacci, GCD, a prime
 * count, a Collatz search and a recursive factorial with call/return. */
#include "rt.h"

enum {
    OP_HALT, OP_PUSH, OP_POP, OP_DUP, OP_SWAP, OP_OVER, OP_ADD, OP_SUB, OP_MUL, OP_DIV,
    OP_MOD, OP_NEG, OP_AND, OP_OR, OP_XOR, OP_SHL, OP_SHR, OP_LT, OP_EQ, OP_JMP, OP_JZ,
    OP_JNZ, OP_LOAD, OP_STORE, OP_CALL, OP_RET, OP_PRINT, OP_ROT, OP_INC, OP_DEC,
};

struct vm {
    s32 stack[256];
    int sp;
    u32 rstack[64];
    int rsp;
    s32 vars[16];
    u32 steps;
    u32 printed;
};

static s32 run(struct vm *m, const s32 *code)
{
    u32 pc = 0;
    m->sp = m->rsp = 0;
    m->steps = m->printed = 0;
    for (;;) {
        s32 op = code[pc++], a, b;
        m->steps++;
        switch (op) {
        case OP_HALT: return m->sp ? m->stack[m->sp - 1] : 0;
        case OP_PUSH: m->stack[m->sp++] = code[pc++]; break;
        case OP_POP: m->sp--; break;
        case OP_DUP: m->stack[m->sp] = m->stack[m->sp - 1]; m->sp++; break;
        case OP_SWAP: a = m->stack[m->sp - 1]; m->stack[m->sp - 1] = m->stack[m->sp - 2]; m->stack[m->sp - 2] = a; break;
        case OP_OVER: m->stack[m->sp] = m->stack[m->sp - 2]; m->sp++; break;
        case OP_ROT: a = m->stack[m->sp - 3]; m->stack[m->sp - 3] = m->stack[m->sp - 2];
            m->stack[m->sp - 2] = m->stack[m->sp - 1]; m->stack[m->sp - 1] = a; break;
        case OP_ADD: b = m->stack[--m->sp]; m->stack[m->sp - 1] += b; break;
        case OP_SUB: b = m->stack[--m->sp]; m->stack[m->sp - 1] -= b; break;
        case OP_MUL: b = m->stack[--m->sp]; m->stack[m->sp - 1] = (s32)((u32)m->stack[m->sp - 1] * (u32)b); break;
        case OP_DIV: b = m->stack[--m->sp]; m->stack[m->sp - 1] = b ? m->stack[m->sp - 1] / b : 0; break;
        case OP_MOD: b = m->stack[--m->sp]; m->stack[m->sp - 1] = b ? m->stack[m->sp - 1] % b : 0; break;
        case OP_NEG: m->stack[m->sp - 1] = -m->stack[m->sp - 1]; break;
        case OP_AND: b = m->stack[--m->sp]; m->stack[m->sp - 1] &= b; break;
        case OP_OR: b = m->stack[--m->sp]; m->stack[m->sp - 1] |= b; break;
        case OP_XOR: b = m->stack[--m->sp]; m->stack[m->sp - 1] ^= b; break;
        case OP_SHL: b = m->stack[--m->sp]; m->stack[m->sp - 1] = (s32)((u32)m->stack[m->sp - 1] << (b & 31)); break;
        case OP_SHR: b = m->stack[--m->sp]; m->stack[m->sp - 1] = (s32)((u32)m->stack[m->sp - 1] >> (b & 31)); break;
        case OP_LT: b = m->stack[--m->sp]; m->stack[m->sp - 1] = m->stack[m->sp - 1] < b; break;
        case OP_EQ: b = m->stack[--m->sp]; m->stack[m->sp - 1] = m->stack[m->sp - 1] == b; break;
        case OP_JMP: pc = (u32)code[pc]; break;
        case OP_JZ: a = m->stack[--m->sp]; pc = a ? pc + 1 : (u32)code[pc]; break;
        case OP_JNZ: a = m->stack[--m->sp]; pc = a ? (u32)code[pc] : pc + 1; break;
        case OP_LOAD: m->stack[m->sp++] = m->vars[code[pc++]]; break;
        case OP_STORE: m->vars[code[pc++]] = m->stack[--m->sp]; break;
        case OP_CALL: m->rstack[m->rsp++] = pc + 1; pc = (u32)code[pc]; break;
        case OP_RET: pc = m->rstack[--m->rsp]; break;
        case OP_PRINT:
            a = m->stack[--m->sp];
            if (m->printed++ < 12)
                P(" %d", a);
            break;
        case OP_INC: m->stack[m->sp - 1]++; break;
        case OP_DEC: m->stack[m->sp - 1]--; break;
        default: P("bad opcode %d\n", op); return -1;
        }
    }
}

/* ---- a two-pass assembler for the VM: "op [arg]" tokens, "name:" labels ---- */

static const char *const opnames[] = {
    "halt", "push", "pop", "dup", "swap", "over", "add", "sub", "mul", "div",
    "mod", "neg", "and", "or", "xor", "shl", "shr", "lt", "eq", "jmp", "jz",
    "jnz", "load", "store", "call", "ret", "print", "rot", "inc", "dec",
};

static int has_arg(int op)
{
    return op == OP_PUSH || op == OP_JMP || op == OP_JZ || op == OP_JNZ || op == OP_LOAD ||
           op == OP_STORE || op == OP_CALL;
}

struct label {
    char name[12];
    int addr;
};

static int tok(const char **pp, char *out)
{
    const char *p = *pp;
    while (*p == ' ' || *p == '\n')
        p++;
    int n = 0;
    while (*p && *p != ' ' && *p != '\n' && n < 15)
        out[n++] = *p++;
    out[n] = 0;
    *pp = p;
    return n;
}

static int parse_int(const char *t, s32 *v)
{
    int neg = *t == '-';
    if (neg)
        t++;
    if (*t < '0' || *t > '9')
        return 0;
    s32 x = 0;
    while (*t >= '0' && *t <= '9')
        x = x * 10 + (*t++ - '0');
    *v = neg ? -x : x;
    return 1;
}

static int assemble(const char *src, s32 *code, int max)
{
    static struct label labels[32];
    int nl = 0;
    for (int pass = 0; pass < 2; pass++) {
        const char *p = src;
        char t[16];
        int pc = 0;
        while (tok(&p, t)) {
            int len = (int)strlen(t);
            if (t[len - 1] == ':') {
                if (pass == 0) {
                    t[len - 1] = 0;
                    memcpy(labels[nl].name, t, (size_t)len);
                    labels[nl++].addr = pc;
                }
                continue;
            }
            int op = -1;
            for (int i = 0; i < ARRAY_LEN(opnames); i++)
                if (strcmp(t, opnames[i]) == 0)
                    op = i;
            if (op < 0) {
                P("asm: unknown op %s\n", t);
                return -1;
            }
            if (pc < max)
                code[pc] = op;
            pc++;
            if (has_arg(op)) {
                tok(&p, t);
                s32 v = 0;
                if (!parse_int(t, &v)) {
                    int found = 0;
                    for (int i = 0; i < nl; i++)
                        if (strcmp(labels[i].name, t) == 0) {
                            v = labels[i].addr;
                            found = 1;
                        }
                    if (!found && pass == 1) {
                        P("asm: unknown label %s\n", t);
                        return -1;
                    }
                }
                if (pc < max)
                    code[pc] = v;
                pc++;
            }
        }
        if (pass == 1)
            return pc;
    }
    return -1;
}

static const char fib_src[] =
    "push 0 store 0 push 1 store 1 push 30 store 2\n"
    "loop: load 2 jz done\n"
    "  load 0 print load 0 load 1 add load 1 store 0 store 1\n"
    "  load 2 dec store 2 jmp loop\n"
    "done: load 0 halt";

static const char gcd_src[] =
    "push 1071 push 462\n"
    "loop: dup jz done swap over mod jmp loop\n"
    "done: pop halt";

static const char primes_src[] =
    "push 0 store 3 push 2 store 0\n"
    "next: load 0 push 2000 lt jz end\n"
    "  push 2 store 1\n"
    "try: load 1 load 1 mul load 0 swap lt jnz prime\n"
    "  load 0 load 1 mod jz notprime\n"
    "  load 1 inc store 1 jmp try\n"
    "prime: load 3 inc store 3\n"
    "notprime: load 0 inc store 0 jmp next\n"
    "end: load 3 halt";

static const char fact_src[] =
    "push 12 call fact halt\n"
    "fact: dup push 2 lt jnz base dup dec call fact mul ret\n"
    "base: pop push 1 ret";

static const char collatz_src[] =
    "push 1 store 0 push 0 store 4 push 0 store 5\n"
    "outer: load 0 push 3000 lt jz end\n"
    "  load 0 store 1 push 0 store 2\n"
    "step: load 1 push 1 eq jnz chain\n"
    "  load 2 inc store 2\n"
    "  load 1 push 1 and jz even\n"
    "  load 1 push 3 mul inc store 1 jmp step\n"
    "even: load 1 push 1 shr store 1 jmp step\n"
    "chain: load 4 load 2 lt jz skip load 2 store 4 load 0 store 5\n"
    "skip: load 0 inc store 0 jmp outer\n"
    "end: load 5 load 4 halt";

static const char bits_src[] =
    "push 0 store 0 push 1 store 1\n"
    "loop: load 1 jz done\n"
    "  load 0 load 1 xor push 3 shl load 1 push 7 shr or store 0\n"
    "  load 1 push 1 shl store 1 load 0 print jmp loop\n"
    "done: load 0 halt";

static void go(const char *name, const char *src, struct vm *m)
{
    static s32 code[512];
    int n = assemble(src, code, ARRAY_LEN(code));
    P("%s (%d words):", name, n);
    s32 r = n > 0 ? run(m, code) : -1;
    P(" => %d (sp=%d, %u steps)\n", r, m->sp, m->steps);
}

int main(void)
{
    static struct vm m;
    go("fib", fib_src, &m);
    go("gcd(1071,462)", gcd_src, &m);
    go("primes<2000", primes_src, &m);
    go("fact(12)", fact_src, &m);
    go("collatz<3000", collatz_src, &m);
    P("  collatz start=%d\n", m.stack[0]);
    go("bits", bits_src, &m);
    return 0;
}
