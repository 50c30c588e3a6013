/* mrtos demo: a producer and a consumer task of equal priority exchange
 * float results through a bounded queue, a periodic software timer prints
 * a heartbeat, and after MESSAGES messages the consumer prints a summary
 * and exits through semihosting (status 0 when every check passed). */
#include "kernel.h"

#define TICK_HZ 10000 /* 100 us: 100,000 instructions under -icount shift=0 */
#define MESSAGES 20
#define STEPS 200     /* midpoint-rule steps per integral */
#define SPAN 0.2f     /* each message integrates sin over [x, x+SPAN] */

#if defined(BOARD_MPS2)
#define CPU_HZ 25000000 /* MPS2 SYSCLK */
#else
#define CPU_HZ 12500000 /* LM3S6965 at reset: 200 MHz PLL / (SYSDIV+1) */
#endif

struct msg {
    u32 seq;
    float x, area;
    u32 tick;
};

static struct task producer_task, consumer_task;
static u32 producer_stack[512] __attribute__((aligned(8)));
static u32 consumer_stack[512] __attribute__((aligned(8)));
static struct queue q;
static struct msg qbuf[4];
static struct timer heartbeat, oneshot;
static float reference[MESSAGES]; /* the areas, computed before any task ran */
static u32 regchecks[2], regfails[2];

static u32 bits(float f)
{
    u32 u;
    memcpy(&u, &f, 4);
    return u;
}

/* fix formats v with 6 decimals into buf (no printf %f here). */
static const char *fix(char *buf, float v)
{
    int neg = v < 0;
    if (neg)
        v = -v;
    u32 s = (u32)(v * 1000000.0f + 0.5f);
    char *p = buf;
    if (neg)
        *p++ = '-';
    u32 ip = s / 1000000, fp = s % 1000000;
    char tmp[10];
    int n = 0;
    do
        tmp[n++] = (char)('0' + ip % 10);
    while (ip /= 10);
    while (n)
        *p++ = tmp[--n];
    *p++ = '.';
    for (u32 d = 100000; d; d /= 10)
        *p++ = (char)('0' + fp / d % 10);
    *p = 0;
    return buf;
}

/* Taylor polynomials in Horner form, good to about 1e-7 on [0, 2.2]. */
static float sin_poly(float x)
{
    float x2 = x * x;
    return x * (1 - x2 / 6 * (1 - x2 / 20 * (1 - x2 / 42 * (1 - x2 / 72 * (1 - x2 / 110 * (1 - x2 / 156))))));
}

static float cos_poly(float x)
{
    float x2 = x * x;
    return 1 - x2 / 2 * (1 - x2 / 12 * (1 - x2 / 30 * (1 - x2 / 56 * (1 - x2 / 90 * (1 - x2 / 132 * (1 - x2 / 182))))));
}

/* area integrates sin over [x, x+SPAN] with the midpoint rule. */
static float area(float x)
{
    const float h = SPAN / STEPS;
    float sum = 0;
    for (int j = 0; j < STEPS; j++)
        sum += sin_poly(x + (j + 0.5f) * h);
    return sum * h;
}

static float x_of(u32 k) { return 0.1f * (float)k; }

/* regs_survive loads r4-r11 (and s0-s31 with an FPU) with a pattern, spins
 * until `ticks` ticks have passed, so that interrupts and other tasks run
 * meanwhile, and checks that the registers still hold the pattern. The
 * spin uses no FP instruction: a task preempted there has a lazily
 * preserved FP context. */
struct regbuf {
    u32 r[8], s[32];
    u32 rout[8], sout[32];
};

static int regs_survive(int who, u32 seed, u32 ticks)
{
    struct regbuf b;
    for (int i = 0; i < 8; i++)
        b.r[i] = seed ^ (0x01000193u * (u32)(i + 1));
    for (int i = 0; i < 32; i++)
        b.s[i] = (seed + 0x00800000u * (u32)i) ^ 0x3f000000u;
    u32 end = os_tick_count + ticks, t;
    __asm__ volatile("mov %[t], %[b]\n\t"
                     "ldmia %[t]!, {r4-r11}\n\t"
#ifdef __ARM_FP
                     "vldmia %[t]!, {s0-s31}\n\t"
#endif
                     "1: ldr %[t], [%[tp]]\n\t"
                     "cmp %[t], %[end]\n\t"
                     "blo 1b\n\t"
                     "add %[t], %[b], #160\n\t"
                     "stmia %[t]!, {r4-r11}\n\t"
#ifdef __ARM_FP
                     "vstmia %[t]!, {s0-s31}\n\t"
#endif
                     : [t] "=&r"(t)
                     : [b] "r"(&b), [tp] "r"(&os_tick_count), [end] "r"(end)
                     : "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11",
#ifdef __ARM_FP
                       "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
                       "s12", "s13", "s14", "s15", "s16", "s17", "s18", "s19", "s20", "s21",
                       "s22", "s23", "s24", "s25", "s26", "s27", "s28", "s29", "s30", "s31",
#endif
                       "memory", "cc");
    int bad = 0;
    for (int i = 0; i < 8; i++)
        bad += b.rout[i] != b.r[i];
#ifdef __ARM_FP
    for (int i = 0; i < 32; i++)
        bad += b.sout[i] != b.s[i];
#endif
    regchecks[who]++;
    if (bad)
        regfails[who]++;
    return bad;
}

static void producer(void *arg)
{
    (void)arg;
    for (u32 k = 0; k < MESSAGES; k++) {
        struct msg m = {k, x_of(k), 0, 0};
        m.area = area(m.x);
        m.tick = os_ticks();
        os_queue_send(&q, &m);
        if (k == 6 || k == 13) {
            int bad = regs_survive(0, 0x1000 + k, 3);
            os_printf("[%5u] producer: registers after 3 ticks: %s\n", os_ticks(), bad ? "CORRUPTED" : "intact");
        }
        if (k % 4 == 3)
            os_delay(3);
    }
    os_printf("[%5u] producer: done\n", os_ticks());
}

static void consumer(void *arg)
{
    (void)arg;
    char a[16], b[16], c[16];
    u32 csum = 0, mismatches = 0, first = os_ticks();
    float total = 0, worst = 0;
    for (u32 n = 0; n < MESSAGES; n++) {
        struct msg m;
        os_queue_recv(&q, &m);
        float want = cos_poly(m.x) - cos_poly(m.x + SPAN);
        float err = m.area - want;
        if (err < 0)
            err = -err;
        if (err > worst)
            worst = err;
        total += m.area;
        csum = (csum << 5 | csum >> 27) ^ bits(m.area);
        mismatches += bits(m.area) != bits(reference[m.seq]);
        os_printf("[%5u] consumer: #%02u x=%s area=%s (cos diff %s) err=%ue-9 sent@%u\n", os_ticks(), m.seq,
                  fix(a, m.x), fix(b, m.area), fix(c, want), (u32)(err * 1e9f), m.tick);
        if (n == 2 || n == 11) {
            int bad = regs_survive(1, 0x2000 + n, 3);
            os_printf("[%5u] consumer: registers after 3 ticks: %s\n", os_ticks(), bad ? "CORRUPTED" : "intact");
        }
        if (n % 5 == 4)
            os_delay(7);
    }
    u32 ref = 0;
    for (u32 k = 0; k < MESSAGES; k++)
        ref = (ref << 5 | ref >> 27) ^ bits(reference[k]);
    int ok = csum == ref && mismatches == 0 && regfails[0] == 0 && regfails[1] == 0 && os_stacks_intact() &&
             worst < 1e-5f;
    os_printf("[%5u] summary: %u messages in %u ticks, %u context switches\n", os_ticks(), MESSAGES,
              os_ticks() - first, os_switches());
    os_printf("  area checksum %08x, reference %08x, %u mismatches\n", csum, ref, mismatches);
    os_printf("  sum of areas %s (bits %08x), worst error %ue-9\n", fix(a, total), bits(total),
              (u32)(worst * 1e9f));
    os_printf("  queue: sender blocked %u times, receiver %u times\n", q.full_waits, q.empty_waits);
    os_printf("  timers: heartbeat fired %u times, one-shot %u\n", heartbeat.fired, oneshot.fired);
    os_printf("  register checks: producer %u/%u, consumer %u/%u intact; stacks %s\n",
              regchecks[0] - regfails[0], regchecks[0], regchecks[1] - regfails[1], regchecks[1],
              os_stacks_intact() ? "intact" : "OVERFLOWED");
    os_printf("%s\n", ok ? "PASS" : "FAIL");
    os_exit(ok ? 0 : 1);
}

static void beat(struct timer *tm)
{
    os_printf("[%5u] heartbeat %u: queue %u/%u\n", os_ticks(), tm->fired, q.count, q.cap);
}

static void once(struct timer *tm)
{
    (void)tm;
    os_printf("[%5u] one-shot timer\n", os_ticks());
}

int main(void)
{
    board_init();
    os_printf("mrtos on %s: SysTick %u Hz from a %u Hz clock, %s FP\n", board_name, TICK_HZ, CPU_HZ,
#ifdef __ARM_FP
              "hardware"
#else
              "software"
#endif
    );
#ifdef __ARM_FP
    os_printf("FPCCR %08x at reset\n", REG(0xe000ef34));
#endif
    for (u32 k = 0; k < MESSAGES; k++)
        reference[k] = area(x_of(k));
    os_queue_init(&q, qbuf, sizeof qbuf[0], 4);
    os_task_create(&producer_task, "producer", producer, 0, producer_stack, 512, 1);
    os_task_create(&consumer_task, "consumer", consumer, 0, consumer_stack, 512, 1);
    os_timer_start(&heartbeat, beat, 30, 30);
    os_timer_start(&oneshot, once, 25, 0);
    os_start(CPU_HZ, TICK_HZ);
}
