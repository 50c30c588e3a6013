/* semihost: the semihosting calls that make sense under test: WRITEC, WRITE0,
 * WRITE (to ":tt" opened for writing and appending), OPEN/FLEN/READ/CLOSE of
 * QEMU's ":semihosting-features" file, OPEN of a missing file with ERRNO and
 * ISERROR, ISTTY, CLOCK/TIME/ELAPSED (only their properties are printed),
 * TICKFREQ, HEAPINFO, calls from SYS mode, and the trap from User mode (not
 * semihosting there: it is an ordinary SVC exception). */
#include "rt.h"

static u32 call(u32 op, const void *arg) { return semi(op, arg); }

static void user_fn(void)
{
    /* From EL0 the trap is an ordinary SVC (QEMU: semihosting userspace=off). */
    rt_mark = LABEL_ADDR(semi_user_l);
    __asm__ volatile("mov r0, #4\n\t"
                     "mov r1, #0\n\t"
                     ".global semi_user_l\nsemi_user_l:\n\t" SEMI_TRAP ::: "r0", "r1", "lr",
                     "memory");
}

static void sys_fn(void)
{
    semi(SYS_WRITE0, "write0 from SYS mode\n");
}

int main(void)
{
    rt_flush();
    semi(SYS_WRITEC, "w");
    semi(SYS_WRITEC, "c");
    semi(SYS_WRITEC, "\n");
    semi(SYS_WRITE0, "write0: hello\n");
    semi(SYS_WRITE0, "");

    static const char tt[] = ":tt";
    u32 blk[3] = {(u32)tt, 4 /* "w" */, 3};
    u32 hout = call(SYS_OPEN, blk);
    blk[1] = 8; /* "a" */
    u32 happ = call(SYS_OPEN, blk);
    P("open :tt w -> %s, a -> %s\n", (s32)hout >= 0 ? "ok" : "fail", (s32)happ >= 0 ? "ok" : "fail");
    rt_flush();
    static const char msg[] = "write via handle\n";
    u32 wblk[3] = {hout, (u32)msg, sizeof(msg) - 1};
    u32 left = call(SYS_WRITE, wblk);
    wblk[2] = 6;
    u32 left2 = call(SYS_WRITE, wblk);
    semi(SYS_WRITEC, "\n");
    P("write returned %u and %u (bytes not written)\n", left, left2);
    u32 ih = hout;
    P("istty(:tt) = %d\n", (s32)call(SYS_ISTTY, &ih));

    static const char feat[] = ":semihosting-features";
    u32 fblk[3] = {(u32)feat, 1 /* "rb" */, sizeof(feat) - 1};
    u32 fh = call(SYS_OPEN, fblk);
    if ((s32)fh >= 0) {
        u32 len = call(SYS_FLEN, &fh);
        u8 buf[8] = {0};
        u32 rblk[3] = {fh, (u32)buf, 8};
        u32 notread = call(SYS_READ, rblk);
        P("features: flen=%u read-left=%u bytes=%02x %02x %02x %02x %02x\n", len, notread, buf[0],
          buf[1], buf[2], buf[3], buf[4]);
        u32 sblk[2] = {fh, 4};
        P("seek to 4 -> %d", (s32)call(SYS_SEEK, sblk));
        rblk[2] = 4;
        notread = call(SYS_READ, rblk);
        P(", read-left=%u byte=%02x\n", notread, buf[0]);
        P("close -> %d\n", (s32)call(SYS_CLOSE, &fh));
    } else {
        P("features: open failed\n");
    }

    static const char missing[] = "/nonexistent-mimic-dir/no-such-file";
    u32 mblk[3] = {(u32)missing, 0, sizeof(missing) - 1};
    u32 mh = call(SYS_OPEN, mblk);
    u32 err = call(SYS_ERRNO, 0);
    u32 st = mh;
    P("open missing -> %d errno=%u iserror=%u iserror(0)=%u\n", (s32)mh, err,
      call(SYS_ISERROR, &st), ({ u32 z = 0; call(SYS_ISERROR, &z); }));

    u32 c0 = call(SYS_CLOCK, 0);
    u32 t0 = call(SYS_TIME, 0);
    u32 e0[2] = {0, 0}, e1[2] = {0, 0};
    u32 er0 = call(SYS_ELAPSED, e0);
    for (volatile int i = 0; i < 200000; i++)
        ;
    u32 er1 = call(SYS_ELAPSED, e1);
    u32 c1 = call(SYS_CLOCK, 0);
    u64 el0 = (u64)e0[1] << 32 | e0[0], el1 = (u64)e1[1] << 32 | e1[0];
    P("clock: non-negative %s, monotonic %s\n", (s32)c0 >= 0 ? "yes" : "no", c1 >= c0 ? "yes" : "no");
    P("time: non-zero %s, after 2020 %s\n", t0 != 0 ? "yes" : "no", t0 > 1577836800u ? "yes" : "no");
    P("elapsed: status %d %d, increases %s\n", (s32)er0, (s32)er1, el1 > el0 ? "yes" : "no");
    P("tickfreq: %d\n", (s32)call(SYS_TICKFREQ, 0));

    u32 heap[4] = {0, 0, 0, 0};
    u32 hp = (u32)heap;
    call(SYS_HEAPINFO, &hp);
    /* QEMU derives the heap base from the end of the loaded image. */
    P("heapinfo: heap_base=image_end%+d heap_limit=%08x stack_base=%08x stack_limit=image_end%+d\n",
      (s32)(heap[0] - (u32)__image_end), heap[1], heap[2], (s32)(heap[3] - (u32)__image_end));

    rt_mode_call(sys_fn, MODE_SYS);
    rt_mode_call(user_fn, MODE_USR);
    P("done\n");
    return 0;
}
