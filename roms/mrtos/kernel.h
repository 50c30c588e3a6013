/* mrtos: a tiny preemptive kernel for Cortex-M3/M4 (see README.md). */
#ifndef MRTOS_KERNEL_H
#define MRTOS_KERNEL_H

typedef unsigned int u32;
typedef int i32;
typedef unsigned char u8;

#define OS_MAX_TASKS 5
#define OS_STACK_CANARY 0x5ac0ffeeu

enum task_state { T_READY, T_SLEEPING, T_BLOCKED, T_DEAD };

struct queue;

/* A task control block. sp must stay first: start.S stores the saved
 * process stack pointer at offset 0. */
struct task {
    u32 *sp;
    const char *name;
    u32 *stack;      /* lowest word of the stack: the canary */
    u32 wake;        /* T_SLEEPING: the tick to wake at */
    const void *wait;/* T_BLOCKED: the object waited for */
    u8 prio;         /* higher runs first; 0 is the idle task */
    u8 state;
    u8 id;
};

/* A bounded queue of fixed-size items with blocking send and receive. */
struct queue {
    u8 *buf;
    u32 item, cap, head, count;
    u32 full_waits, empty_waits; /* how often a sender/receiver blocked */
};

/* A software timer: fn runs in the timer task when the tick reaches
 * expires, then every period ticks (period 0: once). */
struct timer {
    void (*fn)(struct timer *);
    u32 expires, period;
    u32 fired;
    u8 active;
    struct timer *next;
};

void os_task_create(struct task *t, const char *name, void (*fn)(void *), void *arg,
                    u32 *stack, u32 words, int prio);
void os_start(u32 cpu_hz, u32 tick_hz) __attribute__((noreturn));
u32 os_ticks(void);
void os_delay(u32 ticks);
void os_yield(void);

void os_queue_init(struct queue *q, void *buf, u32 item, u32 cap);
void os_queue_send(struct queue *q, const void *item);
void os_queue_recv(struct queue *q, void *item);

void os_timer_start(struct timer *tm, void (*fn)(struct timer *), u32 delay, u32 period);

u32 os_switches(void);
int os_stacks_intact(void);
extern volatile u32 os_tick_count;

/* Console (board.c): one whole line at a time, never interleaved. */
void os_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void board_init(void);
void board_putc(int c);
extern const char board_name[];
void os_exit(int status) __attribute__((noreturn));

void *memcpy(void *d, const void *s, unsigned n);
void *memset(void *d, int c, unsigned n);

#define REG(a) (*(volatile u32 *)(a))
#endif
