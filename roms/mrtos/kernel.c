/* mrtos kernel: tasks, the scheduler, SysTick, delays, queues, timers. */
#include "kernel.h"

#define ICSR  0xe000ed04u
#define SHPR3 0xe000ed20u
#define FPCCR 0xe000ef34u
#define SYST_CSR 0xe000e010u
#define SYST_RVR 0xe000e014u
#define SYST_CVR 0xe000e018u
#define PENDSVSET (1u << 28)

/* How many ticks a task runs before an equal-priority task gets the CPU. */
#define TIME_SLICE 2

static struct task *tasks[OS_MAX_TASKS];
static int ntasks;
struct task *os_current; /* start.S */
volatile u32 os_tick_count;
static int rotate;       /* the next pick moves on to an equal-priority task */
static u32 switches;
static struct timer *timers;
static struct task timer_task, idle_task;
static u32 timer_stack[256] __attribute__((aligned(8)));
static u32 idle_stack[128] __attribute__((aligned(8)));
static const char timer_wait[] = "timers";

static inline u32 irq_save(void)
{
    u32 p;
    __asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(p)::"memory");
    return p;
}

/* Restoring PRIMASK to 0 takes a PendSV pended meanwhile: that is where a
 * blocking call switches away. */
static inline void irq_restore(u32 p)
{
    __asm__ volatile("msr primask, %0\n\tisb" ::"r"(p) : "memory");
}

static inline void pend_switch(void) { REG(ICSR) = PENDSVSET; }

void *memcpy(void *d, const void *s, unsigned n)
{
    u8 *dp = d;
    const u8 *sp = s;
    while (n--)
        *dp++ = *sp++;
    return d;
}

void *memset(void *d, int c, unsigned n)
{
    u8 *dp = d;
    while (n--)
        *dp++ = (u8)c;
    return d;
}

static void task_exit(void)
{
    u32 s = irq_save();
    os_current->state = T_DEAD;
    pend_switch();
    irq_restore(s);
    for (;;)
        ;
}

void os_task_create(struct task *t, const char *name, void (*fn)(void *), void *arg,
                    u32 *stack, u32 words, int prio)
{
    u32 *sp = stack + words; /* 8-byte aligned: stack and words are */
    stack[0] = OS_STACK_CANARY;
    *--sp = 0x01000000;                  /* xPSR: Thumb */
    *--sp = (u32)fn & ~1u;               /* pc */
    *--sp = (u32)task_exit;              /* lr */
    *--sp = 0x12121212;                  /* r12 */
    *--sp = 0x03030303;                  /* r3 */
    *--sp = 0x02020202;                  /* r2 */
    *--sp = 0x01010101;                  /* r1 */
    *--sp = (u32)arg;                    /* r0 */
    *--sp = 0xfffffffd;                  /* EXC_RETURN: Thread, PSP, no FP */
    for (int r = 11; r >= 4; r--)
        *--sp = r * 0x01010101u;         /* r11 ... r4 */
    t->sp = sp;
    t->name = name;
    t->stack = stack;
    t->prio = (u8)prio;
    t->state = T_READY;
    t->id = (u8)ntasks;
    tasks[ntasks++] = t;
}

/* os_pick chooses the task to run next (PendSV, interrupts masked): the
 * ready task of highest priority; among several of that priority the first
 * after the current one, so equal priorities take turns. The current task
 * keeps the CPU unless its slice ended (rotate) or it stopped being ready. */
struct task *os_pick(void)
{
    struct task *cur = os_current, *best = 0;
    for (int i = 1; i <= ntasks; i++) {
        struct task *t = tasks[(cur->id + i) % ntasks];
        if (t->state == T_READY && (!best || t->prio > best->prio))
            best = t;
    }
    if (!rotate && cur->state == T_READY && cur->prio >= best->prio)
        best = cur;
    rotate = 0;
    if (best != cur)
        switches++;
    os_current = best;
    return best;
}

/* wake makes t ready and asks for a switch if it outranks the running task. */
static void wake(struct task *t)
{
    t->state = T_READY;
    t->wait = 0;
    if (t->prio > os_current->prio)
        pend_switch();
}

static int timer_due(u32 now)
{
    for (struct timer *tm = timers; tm; tm = tm->next)
        if (tm->active && (i32)(now - tm->expires) >= 0)
            return 1;
    return 0;
}

void SysTick_Handler(void)
{
    u32 now = ++os_tick_count;
    for (int i = 0; i < ntasks; i++) {
        struct task *t = tasks[i];
        if (t->state == T_SLEEPING && (i32)(now - t->wake) >= 0)
            wake(t);
    }
    if (timer_task.state == T_BLOCKED && timer_due(now))
        wake(&timer_task);
    if (now % TIME_SLICE == 0) {
        rotate = 1;
        pend_switch();
    }
}

u32 os_ticks(void) { return os_tick_count; }
u32 os_switches(void) { return switches; }

void os_yield(void)
{
    u32 s = irq_save();
    rotate = 1;
    pend_switch();
    irq_restore(s);
}

void os_delay(u32 ticks)
{
    if (ticks == 0) {
        os_yield();
        return;
    }
    u32 s = irq_save();
    os_current->wake = os_tick_count + ticks;
    os_current->state = T_SLEEPING;
    pend_switch();
    irq_restore(s);
}

/* block waits for obj with interrupts masked (s: the caller's PRIMASK);
 * it returns, masked again, once someone woke the task. */
static u32 block(const void *obj, u32 s)
{
    os_current->state = T_BLOCKED;
    os_current->wait = obj;
    pend_switch();
    irq_restore(s);
    return irq_save();
}

/* wake_all readies every task blocked on obj: each checks again. */
static void wake_all(const void *obj)
{
    for (int i = 0; i < ntasks; i++)
        if (tasks[i]->state == T_BLOCKED && tasks[i]->wait == obj)
            wake(tasks[i]);
}

void os_queue_init(struct queue *q, void *buf, u32 item, u32 cap)
{
    memset(q, 0, sizeof *q);
    q->buf = buf;
    q->item = item;
    q->cap = cap;
}

void os_queue_send(struct queue *q, const void *item)
{
    u32 s = irq_save();
    while (q->count == q->cap) {
        q->full_waits++;
        s = block(q, s);
    }
    memcpy(q->buf + ((q->head + q->count) % q->cap) * q->item, item, q->item);
    q->count++;
    wake_all(q);
    irq_restore(s);
}

void os_queue_recv(struct queue *q, void *item)
{
    u32 s = irq_save();
    while (q->count == 0) {
        q->empty_waits++;
        s = block(q, s);
    }
    memcpy(item, q->buf + q->head * q->item, q->item);
    q->head = (q->head + 1) % q->cap;
    q->count--;
    wake_all(q);
    irq_restore(s);
}

void os_timer_start(struct timer *tm, void (*fn)(struct timer *), u32 delay, u32 period)
{
    u32 s = irq_save();
    tm->fn = fn;
    tm->expires = os_tick_count + delay;
    tm->period = period;
    tm->fired = 0;
    if (!tm->active) {
        tm->next = timers;
        timers = tm;
    }
    tm->active = 1;
    irq_restore(s);
}

/* The timer task (highest priority) runs the callbacks of due timers; the
 * tick wakes it. Callbacks run in task context and may print or send. */
static void timer_main(void *arg)
{
    (void)arg;
    for (;;) {
        u32 s = irq_save();
        struct timer *due = 0;
        for (struct timer *tm = timers; tm; tm = tm->next) {
            if (tm->active && (i32)(os_tick_count - tm->expires) >= 0) {
                due = tm;
                break;
            }
        }
        if (!due) {
            s = block(timer_wait, s);
            irq_restore(s);
            continue;
        }
        if (due->period)
            due->expires += due->period;
        else
            due->active = 0;
        due->fired++;
        irq_restore(s);
        due->fn(due);
    }
}

/* The idle task spins: WFI would let QEMU's -icount clock follow the host
 * clock while the CPU sleeps (sleep=on), and the output would no longer be
 * deterministic. */
static void idle_main(void *arg)
{
    (void)arg;
    for (;;)
        __asm__ volatile("nop");
}

int os_stacks_intact(void)
{
    for (int i = 0; i < ntasks; i++)
        if (tasks[i]->stack[0] != OS_STACK_CANARY)
            return 0;
    return 1;
}

void os_start(u32 cpu_hz, u32 tick_hz)
{
    os_task_create(&timer_task, "timer", timer_main, 0, timer_stack, 256, 3);
    os_task_create(&idle_task, "idle", idle_main, 0, idle_stack, 128, 0);
#ifdef __ARM_FP
    /* Automatic and lazy FP state preservation (their reset values, set
     * again as real RTOSes do). */
    REG(FPCCR) |= 3u << 30;
#endif
    /* PendSV lowest (0xff), SysTick just above it. */
    REG(SHPR3) = (REG(SHPR3) & 0x0000ffffu) | 0xff << 16 | 0xc0u << 24;
    /* Stopped, on the processor clock (the Stellaris SysTick has no
     * reference clock), before the reload value is programmed. */
    REG(SYST_CSR) = 4;
    REG(SYST_RVR) = cpu_hz / tick_hz - 1;
    REG(SYST_CVR) = 0;
    /* The highest-priority task runs first. */
    os_current = tasks[0];
    for (int i = 1; i < ntasks; i++)
        if (tasks[i]->prio > os_current->prio)
            os_current = tasks[i];
    REG(SYST_CSR) = 7; /* processor clock, interrupt, enable */
    /* CONTROL = 0 drops any FP context main had (FPCA), so the SVCall
     * frame is a basic one and no lazy save is left pending. */
    __asm__ volatile("movs r0, #0\n\t"
                     "msr control, r0\n\t"
                     "isb\n\t"
                     "svc #0" ::: "r0", "memory");
    for (;;)
        ;
}

void os_fault(u32 ipsr, u32 exc_return, u32 *frame)
{
    os_printf("FAULT: exception %u, EXC_RETURN %08x, pc %08x, task %s\n", ipsr, exc_return,
              frame[6], os_current ? os_current->name : "-");
    os_exit(1);
}
