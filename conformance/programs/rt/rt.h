/*
 * Mimic conformance runtime: semihosting output, a small printf, exception
 * reporting, mode switching and CP15 helpers. Shared by every test program.
 */
#ifndef RT_H
#define RT_H

#include <stdint.h>
#include <stddef.h>
#include <stdarg.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#define NOINLINE __attribute__((noinline))
#define ALIGNED(n) __attribute__((aligned(n)))
#define ARRAY_LEN(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- semihosting (ARM DUI 0471, "Semihosting operations") ---- */
#define SYS_OPEN 0x01
#define SYS_CLOSE 0x02
#define SYS_WRITEC 0x03
#define SYS_WRITE0 0x04
#define SYS_WRITE 0x05
#define SYS_READ 0x06
#define SYS_READC 0x07
#define SYS_ISERROR 0x08
#define SYS_ISTTY 0x09
#define SYS_SEEK 0x0a
#define SYS_FLEN 0x0c
#define SYS_TMPNAM 0x0d
#define SYS_REMOVE 0x0e
#define SYS_RENAME 0x0f
#define SYS_CLOCK 0x10
#define SYS_TIME 0x11
#define SYS_SYSTEM 0x12
#define SYS_ERRNO 0x13
#define SYS_GET_CMDLINE 0x15
#define SYS_HEAPINFO 0x16
#define SYS_EXIT 0x18
#define SYS_EXIT_EXTENDED 0x20
#define SYS_ELAPSED 0x30
#define SYS_TICKFREQ 0x31
#define ADP_Stopped_ApplicationExit 0x20026
#define ADP_Stopped_RunTimeErrorUnknown 0x20023

#ifdef __thumb__
#define SEMI_TRAP "svc 0xab"
#else
#define SEMI_TRAP "svc 0x123456"
#endif

static inline u32 semi(u32 op, const void *arg)
{
    register u32 r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile(SEMI_TRAP : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

/* ---- output ---- */
void rt_putc(int c);
void rt_puts(const char *s);              /* no newline added */
void rt_flush(void);
void rt_printf(const char *fmt, ...);
void rt_vprintf(const char *fmt, va_list ap);
void rt_hex(u32 v);                       /* %08x */
void rt_flags(u32 psr);                   /* "NZCVQ ge=xxxx", lower case = clear */
void rt_praddr(u32 a);                    /* "M+0x.." relative to rt_mark, else hex */
void rt_insn_text(const char *s, int width); /* asm text on one line ("; " for newlines), padded */
#define P rt_printf

void rt_exit(int code) __attribute__((noreturn));

/* ---- processor modes ---- */
#define MODE_USR 0x10
#define MODE_FIQ 0x11
#define MODE_IRQ 0x12
#define MODE_SVC 0x13
#define MODE_ABT 0x17
#define MODE_UND 0x1b
#define MODE_SYS 0x1f
#define PSR_T (1u << 5)
#define PSR_F (1u << 6)
#define PSR_I (1u << 7)
#define PSR_A (1u << 8)
#define PSR_E (1u << 9)

/* Run fn in the given mode on that mode's stack; returns when fn returns. */
void rt_mode_call(void (*fn)(void), u32 mode);

/* ---- exceptions ---- */
enum { EXC_RESET, EXC_UND, EXC_SVC, EXC_PABT, EXC_DABT, EXC_HYP, EXC_IRQ, EXC_FIQ };

struct rt_frame {
    u32 spsr;
    u32 pad;
    u32 r[13];
    u32 lr;      /* as banked on entry; the handler stores the return address here */
};

/* A hook returns nonzero when it has dealt with the exception (and set
 * f->lr / f->spsr for the return); zero falls through to the default. */
typedef int (*rt_hook_fn)(int kind, struct rt_frame *f);
extern rt_hook_fn rt_hooks[8];
extern u32 rt_vec[8];                 /* raw vector targets (start.S) */
extern u32 rt_vectors[];              /* the table VBAR points at */
extern volatile u32 rt_mark;          /* reference for printed addresses */
extern volatile u32 rt_resume;        /* where to continue after an abort that cannot be skipped */
extern volatile u32 rt_exc_count;
extern volatile int rt_quiet;         /* nonzero: default handler prints nothing */
extern u32 rt_boot_cpsr, rt_boot_sctlr;
extern char __image_end[];

u32 rt_exception(u32 kind, struct rt_frame *f);
const char *rt_exc_name(int kind);
/* Size in bytes of the instruction at addr in the given state. */
int rt_insn_size(u32 addr, int thumb);

/* ---- system registers ---- */
#define MRC(op1, crn, crm, op2)                                                   \
    ({ u32 _v; __asm__ volatile("mrc p15, " #op1 ", %0, c" #crn ", c" #crm ", " #op2 \
                                : "=r"(_v)); _v; })
#define MCR(op1, crn, crm, op2, v)                                                \
    __asm__ volatile("mcr p15, " #op1 ", %0, c" #crn ", c" #crm ", " #op2          \
                     :: "r"((u32)(v)) : "memory")

static inline u32 get_cpsr(void) { u32 v; __asm__ volatile("mrs %0, cpsr" : "=r"(v)); return v; }
static inline u32 get_apsr(void) { u32 v; __asm__ volatile("mrs %0, apsr" : "=r"(v)); return v; }
static inline void set_apsr(u32 v) { __asm__ volatile("msr APSR_nzcvqg, %0" :: "r"(v) : "cc"); }
static inline u32 get_sctlr(void) { return MRC(0, 1, 0, 0); }
static inline void set_sctlr(u32 v) { MCR(0, 1, 0, 0, v); __asm__ volatile("isb" ::: "memory"); }
static inline u32 get_dfsr(void) { return MRC(0, 5, 0, 0); }
static inline u32 get_ifsr(void) { return MRC(0, 5, 0, 1); }
static inline u32 get_dfar(void) { return MRC(0, 6, 0, 0); }
static inline u32 get_ifar(void) { return MRC(0, 6, 0, 2); }

#define SCTLR_M (1u << 0)
#define SCTLR_A (1u << 1)
#define SCTLR_C (1u << 2)
#define SCTLR_Z (1u << 11)
#define SCTLR_I (1u << 12)

/* Address of a label in inline assembly, usable from C. */
#define LABEL_ADDR(name) ({ extern char name[]; (u32)name; })

/* Fixed scratch RAM outside the image (1 MiB), so addresses printed by tests
 * do not depend on the image layout. */
#define RT_SCRATCH 0x40200000u

/* Fill n words at p with base, base+1, ...; print " [i]=v" for each word that
 * differs from that pattern. */
void rt_fillw(u32 *p, int n, u32 base);
void rt_memdiff(const u32 *p, int n, u32 base);

/* ---- freestanding libc bits gcc may call ---- */
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

/* ---- deterministic pseudo-random numbers (xorshift32) ---- */
static inline u32 rt_rand(u32 *state)
{
    u32 x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

/* ---- a CRC32 to summarise bulk results ---- */
u32 rt_crc32(u32 crc, const void *p, size_t n);

#endif
