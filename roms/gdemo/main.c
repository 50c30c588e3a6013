/*
 * Mimic's graphical demo: a bare-metal program for the "virt" board that
 * finds its virtio-mmio devices, shows a starfield, a spinning cube and a
 * plasma-filled "MIMIC" banner on virtio-gpu at 60 frames per second
 * (paced by the generic timer), moves the cube with the arrow keys, a
 * cursor with the tablet or mouse, throws sparks on clicks, and beeps on
 * virtio-sound for each key press and click.
 *
 * Every frame is a function of the frame number and the input received so
 * far (no host randomness), so with --icount the picture after N virtual
 * milliseconds is the same on every run.
 *
 * Stopping: Esc, or "frames=N" on the semihosting command line (-append
 * "frames=N"), which stops after frame N-1, i.e. (N-1)/60 s of virtual
 * time. Both leave through semihosting SYS_EXIT with status 0; without
 * semihosting the program idles instead.
 *
 * "halt" (-append "frames=N halt") keeps the last frame on screen for an
 * emulator's screendump, and stays interactive without animating: every
 * 10 ms of virtual time it polls its input, each arrow key press moves the
 * cube 40 pixels (any key press recolours it, as always) and the frame is
 * drawn again with the same tick, so the picture depends only on N and the
 * keys pressed, never on when or for how long (QEMU's monitor cannot time
 * its sendkey). Esc ends the halt, then the program stops as above.
 */
#include "hw.h"
#include "virtio.h"
#include "gfx.h"

static char *utoa(u32 v, char *end)
{
    *--end = 0;
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return end;
}

/* ---- command line: "frames=N" ---- */

/*
 * Semihosting may be off (mimic without -semihosting); then SVC 0x123456
 * is an ordinary exception. While asking for the command line, VBAR points
 * at a table whose SVC entry returns -1, so the program learns whether
 * semihosting is there instead of dying in ../lib's handler.
 */
__asm__(".section .text\n"
        ".arm\n"
        ".align 5\n"
        "probe_vectors:\n"
        "b .\n b .\n b probe_svc\n b .\n b .\n b .\n b .\n b .\n"
        "probe_svc:\n"
        "mvn r0, #5\n" /* -6: no semihosting call returns that */
        "movs pc, lr\n");
extern const u32 probe_vectors[];

static int have_semi;
static int halt_at_end; /* "halt": stay on the last frame (for screendump) */

static u32 parse_frames(void)
{
    static char line[256];
    static u32 block[2];
    block[0] = (u32)line;
    block[1] = sizeof line;
    u32 vbar;
    __asm__ volatile("mrc p15, 0, %0, c12, c0, 0" : "=r"(vbar));
    __asm__ volatile("mcr p15, 0, %0, c12, c0, 0; isb" ::"r"(probe_vectors));
    register u32 r0 __asm__("r0") = SYS_GET_CMDLINE;
    register u32 *r1 __asm__("r1") = block;
    /* A taken SVC in SVC mode overwrites lr: say so. */
    __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "lr", "memory");
    __asm__ volatile("mcr p15, 0, %0, c12, c0, 0; isb" ::"r"(vbar));
    have_semi = r0 != 0xfffffffau;
    if (r0 != 0)
        return 0;
    for (const char *p = line; *p; p++) {
        if ((p == line || p[-1] == ' ') && p[0] == 'h' && p[1] == 'a' && p[2] == 'l' && p[3] == 't' &&
            (p[4] == 0 || p[4] == ' '))
            halt_at_end = 1;
    }
    for (const char *p = line; *p; p++) {
        const char *k = "frames=";
        const char *q = p;
        while (*k && *q == *k)
            q++, k++;
        if (*k || (p != line && p[-1] != ' '))
            continue;
        u32 v = 0;
        while (*q >= '0' && *q <= '9')
            v = v * 10 + (u32)(*q++ - '0');
        return v;
    }
    return 0;
}

/* ---- time: the virtual timer wakes WFI through the GIC ---- */

static u64 t0;
static u32 freq;

static void timer_init(void)
{
    freq = cntfrq();
    if (freq == 0)
        freq = 62500000; /* QEMU's and Mimic's Cortex-A15 counter */
    /* The timer interrupt only has to wake WFI: it is enabled at the GIC
     * but stays masked in CPSR.I, so it is never taken. */
    GICD_CTLR = 1;
    GICD_IPRIORITYR(PPI_VTIMER / 4) = 0xa0a0a0a0u;
    GICD_ISENABLER0 = 1u << PPI_VTIMER;
    GICC_PMR = 0xf0;
    GICC_CTLR = 1;
    cntv_ctl(0);
    t0 = cntvct();
}

static u64 tick_time(u32 tick) { return t0 + (u64)tick * freq / 60; }

static void wait_until(u64 t)
{
    cntv_cval(t);
    cntv_ctl(1); /* ENABLE, IMASK clear */
    while (cntvct() < t)
        wfi();
    cntv_ctl(0);
    u32 iar = GICC_IAR;
    if ((iar & 0x3ff) < 1020)
        GICC_EOIR = iar;
}

/* ---- deterministic randomness ---- */

static u32 rng_state = 0x2545f491u;
static u32 rnd(void)
{
    u32 x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng_state = x;
}

/* ---- devices ---- */

#define MAX_INPUTS 4
static struct gpu gpu;
static struct sound snd;
static struct inputdev inputs[MAX_INPUTS];
static int ninputs;
static int have_kbd, have_pointer;

static u32 framebuf[FB_MAXW * FB_MAXH] __attribute__((aligned(4096)));

static void probe(void)
{
    for (int i = 0; i < VIRTIO_MMIO_SLOTS; i++) {
        u32 base = VIRTIO_MMIO_BASE + VIRTIO_MMIO_SIZE * (u32)i;
        if (vmmio_read(base, VMMIO_MAGIC) != VIRTIO_MAGIC)
            continue;
        u32 id = vmmio_read(base, VMMIO_DEVICE_ID);
        if (id == 0)
            continue;
        u32 ver = vmmio_read(base, VMMIO_VERSION);
        uart_puts("  virtio-mmio@");
        uart_hex(base, 8);
        uart_puts(": device ");
        uart_dec(id);
        if (ver != 2) {
            uart_puts(", legacy transport: skipped\n");
            continue;
        }
        int ok = -1;
        if (id == VIRTIO_ID_GPU && !gpu.present) {
            ok = gpu_init(&gpu, base);
            uart_puts(" (gpu)");
        } else if (id == VIRTIO_ID_INPUT && ninputs < MAX_INPUTS) {
            struct inputdev *d = &inputs[ninputs];
            ok = input_init(d, base);
            if (ok == 0) {
                ninputs++;
                uart_puts(" (input: ");
                uart_puts(d->name);
                uart_puts(")");
                if (d->absmax[0])
                    have_pointer = 1;
                else if (d->name[0] && (d->name[12] == 'K' || d->name[12] == 'k'))
                    have_kbd = 1; /* "QEMU Virtio Keyboard" */
                else
                    have_pointer = 1;
            }
        } else if (id == VIRTIO_ID_SOUND && !snd.present) {
            ok = sound_init(&snd, base);
            uart_puts(" (sound)");
        } else {
            uart_puts(": not used\n");
            continue;
        }
        uart_puts(ok == 0 ? ": ready\n" : ": FAILED\n");
    }
}

/* ---- tones: 100 ms of S16 stereo at 48 kHz ---- */

#define TONE_FRAMES (SND_RATE / 10)
static s16 tones[3][TONE_FRAMES * 2];
static const u32 tone_hz[3] = {440, 660, 880};

static void tones_init(void)
{
    for (int t = 0; t < 3; t++) {
        u32 step = (u32)(((u64)tone_hz[t] << 26) / SND_RATE); /* 1024 << 16 per cycle */
        u32 phase = 0;
        for (int i = 0; i < TONE_FRAMES; i++) {
            int env = 9000; /* about -11 dBFS */
            if (i < 240)
                env = env * i / 240; /* 5 ms attack */
            else if (i > TONE_FRAMES - 960)
                env = env * (TONE_FRAMES - i) / 960; /* 20 ms release */
            s16 v = (s16)(isin((int)(phase >> 16)) * env >> 14);
            tones[t][2 * i] = v;
            tones[t][2 * i + 1] = v;
            phase += step;
        }
    }
}

static u32 beeps;
static void beep(int t)
{
    if (sound_play(&snd, tones[t], sizeof tones[t]) == 0)
        beeps++;
}

/* ---- the scene ---- */

static int W, H;

static u32 rgb(int r, int g, int b)
{
    r = r < 0 ? 0 : r > 255 ? 255 : r;
    g = g < 0 ? 0 : g > 255 ? 255 : g;
    b = b < 0 ? 0 : b > 255 ? 255 : b;
    return (u32)r << 16 | (u32)g << 8 | (u32)b;
}

static u32 palette[256];

static void palette_init(void)
{
    for (int i = 0; i < 256; i++)
        palette[i] = rgb(128 + (isin(i * 4) * 127 >> 14), 128 + (isin(i * 4 + 341) * 127 >> 14),
                         128 + (isin(i * 4 + 683) * 127 >> 14));
}

static void background_init(void)
{
    for (int y = 0; y < H; y++) {
        int k = y * 256 / H;
        bgrow[y] = rgb(6 + k / 8, 8 + k / 24, 28 + k / 6);
    }
    clear_bg(0, 0, W, H);
}

/* Stars fly towards the viewer. */
#define NSTARS 240
static struct {
    s32 x, y, z;
    int shown; /* drawn in the last frame */
} stars[NSTARS];

static void star_spawn(int i, int far)
{
    stars[i].x = (s32)(rnd() % 8192) - 4096;
    stars[i].y = (s32)(rnd() % 8192) - 4096;
    stars[i].z = far ? 1024 : 64 + (s32)(rnd() % 960);
}

static void stars_step(void)
{
    for (int i = 0; i < NSTARS; i++) {
        stars[i].z -= 6;
        if (stars[i].z < 16)
            star_spawn(i, 1);
    }
}

/* stars_draw respawns the stars that left the screen (they show from the
 * next frame on); again draws the last frame's stars, no others. */
static void stars_draw(int again)
{
    for (int i = 0; i < NSTARS; i++) {
        if (again && !stars[i].shown)
            continue;
        int z = stars[i].z;
        int sx = W / 2 + stars[i].x * (W / 8) / z;
        int sy = H / 2 + stars[i].y * (W / 8) / z;
        stars[i].shown = 0;
        if (sx < 0 || sy < 0 || sx >= W || sy >= H) {
            star_spawn(i, 1);
            continue;
        }
        stars[i].shown = 1;
        int b = 255 - z / 6;
        int s = z < 300 ? 3 : z < 600 ? 2 : 1;
        fill(sx, sy, s, s, rgb(b, b, b * 7 / 8 + 32));
        remember(sx, sy, s, s);
    }
}

/* The cube: moved by the arrow keys (position Q8, velocity Q8). */
static s32 cube_x, cube_y, cube_vx, cube_vy;
static int cube_ax, cube_ay, cube_az, cube_hue, cube_spin = 1;
static int key_left, key_right, key_up, key_down;

static const s8 cube_v[8][3] = {{-1, -1, -1}, {1, -1, -1}, {1, 1, -1}, {-1, 1, -1},
                                {-1, -1, 1},  {1, -1, 1},  {1, 1, 1},  {-1, 1, 1}};
static const u8 cube_e[12][2] = {{0, 1}, {1, 2}, {2, 3}, {3, 0}, {4, 5}, {5, 6},
                                 {6, 7}, {7, 4}, {0, 4}, {1, 5}, {2, 6}, {3, 7}};

/* cube_clamp keeps the cube's centre a sixth of the height from the edges;
 * it reports whether it had to, horizontally (1), vertically (2). */
static int cube_clamp(void)
{
    s32 m = (H / 6) << 8;
    int hit = 0;
    if (cube_x < m || cube_x > (W << 8) - m) {
        cube_x = cube_x < m ? m : (W << 8) - m;
        hit |= 1;
    }
    if (cube_y < m || cube_y > (H << 8) - m) {
        cube_y = cube_y < m ? m : (H << 8) - m;
        hit |= 2;
    }
    return hit;
}

static void cube_step(void)
{
    const s32 acc = 96, maxv = 12 << 8;
    cube_vx += (key_right - key_left) * acc;
    cube_vy += (key_down - key_up) * acc;
    cube_vx -= cube_vx / 16; /* friction */
    cube_vy -= cube_vy / 16;
    cube_vx = cube_vx > maxv ? maxv : cube_vx < -maxv ? -maxv : cube_vx;
    cube_vy = cube_vy > maxv ? maxv : cube_vy < -maxv ? -maxv : cube_vy;
    cube_x += cube_vx;
    cube_y += cube_vy;
    int hit = cube_clamp();
    if (hit & 1)
        cube_vx = -cube_vx; /* bounce */
    if (hit & 2)
        cube_vy = -cube_vy;
    cube_ax += 3 * cube_spin;
    cube_ay += 5 * cube_spin;
    cube_az += 2 * cube_spin;
}

static void thick_line(int x0, int y0, int x1, int y1, u32 c)
{
    int dx = x1 > x0 ? x1 - x0 : x0 - x1, sx = x0 < x1 ? 1 : -1;
    int dy = y1 > y0 ? y0 - y1 : y1 - y0, sy = y0 < y1 ? 1 : -1;
    int err = dx + dy;
    for (;;) {
        if (x0 > 0 && y0 > 0 && x0 < W - 2 && y0 < H - 2) {
            u32 *p = fb + (y0 - 1) * W + x0 - 1;
            p[0] = p[1] = p[2] = c;
            p[W] = p[W + 1] = p[W + 2] = c;
            p[2 * W] = p[2 * W + 1] = p[2 * W + 2] = c;
        }
        if (x0 == x1 && y0 == y1)
            break;
        int e2 = 2 * err;
        if (e2 >= dy) {
            err += dy;
            x0 += sx;
        }
        if (e2 <= dx) {
            err += dx;
            y0 += sy;
        }
    }
}

static void cube_draw(void)
{
    int S = H / 9, D = 5 * S;
    int cx = cube_x >> 8, cy = cube_y >> 8;
    int px[8], py[8];
    int minx = W, miny = H, maxx = 0, maxy = 0;
    int sa = isin(cube_ax), ca = icos(cube_ax), sb = isin(cube_ay), cb = icos(cube_ay),
        sc = isin(cube_az), cc = icos(cube_az);
    for (int i = 0; i < 8; i++) {
        int x = cube_v[i][0] * S, y = cube_v[i][1] * S, z = cube_v[i][2] * S;
        int t;
        t = (y * ca - z * sa) >> 14; z = (y * sa + z * ca) >> 14; y = t; /* about X */
        t = (x * cb + z * sb) >> 14; z = (z * cb - x * sb) >> 14; x = t; /* about Y */
        t = (x * cc - y * sc) >> 14; y = (x * sc + y * cc) >> 14; x = t; /* about Z */
        px[i] = cx + x * D / (z + D);
        py[i] = cy + y * D / (z + D);
        minx = px[i] < minx ? px[i] : minx;
        maxx = px[i] > maxx ? px[i] : maxx;
        miny = py[i] < miny ? py[i] : miny;
        maxy = py[i] > maxy ? py[i] : maxy;
    }
    for (int e = 0; e < 12; e++) {
        int a = cube_e[e][0], b = cube_e[e][1];
        thick_line(px[a], py[a], px[b], py[b], palette[(cube_hue + e * 21) & 255]);
    }
    for (int i = 0; i < 8; i++)
        fill(px[i] - 3, py[i] - 3, 7, 7, 0xffffff);
    remember(minx - 4, miny - 4, maxx - minx + 9, maxy - miny + 9);
}

/* Sparks: thrown by clicks and the space bar. */
#define NSPARKS 512
#define SPARK_LIFE 75
static struct {
    s32 x, y, vx, vy;
    s16 life;
    u8 hue;
} sparks[NSPARKS];
static int spark_next;

static void burst(int x, int y, int n, int hue)
{
    for (int i = 0; i < n; i++) {
        int a = i * 1024 / n + (int)(rnd() % 16);
        int v = 768 + (int)(rnd() % 1280); /* Q8 pixels per tick */
        int k = spark_next++ % NSPARKS;
        sparks[k].x = x << 8;
        sparks[k].y = y << 8;
        sparks[k].vx = icos(a) * v >> 14;
        sparks[k].vy = isin(a) * v >> 14;
        sparks[k].life = SPARK_LIFE;
        sparks[k].hue = (u8)(hue + i * 2);
    }
}

static void sparks_step(void)
{
    for (int i = 0; i < NSPARKS; i++) {
        if (sparks[i].life <= 0)
            continue;
        sparks[i].x += sparks[i].vx;
        sparks[i].y += sparks[i].vy;
        sparks[i].vy += 12; /* gravity */
        sparks[i].vx -= sparks[i].vx / 32;
        sparks[i].life--;
    }
}

static void sparks_draw(void)
{
    for (int i = 0; i < NSPARKS; i++) {
        if (sparks[i].life <= 0)
            continue;
        u32 c = palette[sparks[i].hue];
        int l = sparks[i].life;
        int k = l * 2 > SPARK_LIFE ? SPARK_LIFE : l * 2; /* full, then fading */
        u32 r = ((c >> 16) & 255) * k / SPARK_LIFE, g = ((c >> 8) & 255) * k / SPARK_LIFE,
            b = (c & 255) * k / SPARK_LIFE;
        int s = l > SPARK_LIFE / 2 ? 5 : 4;
        int x = (sparks[i].x >> 8) - s / 2, y = (sparks[i].y >> 8) - s / 2;
        fill(x, y, s, s, r << 16 | g << 8 | b);
        remember(x, y, s, s);
    }
}

/* The banner: "MIMIC" in the 5x7 font, each letter bobbing, filled with
 * a moving plasma. */
static void banner_draw(int tick)
{
    static const char word[] = "MIMIC";
    int scale = H / 56;
    if (scale < 2)
        scale = 2;
    int cell = 6 * scale;
    int w = 5 * cell - scale;
    int x0 = (W - w) / 2, y0 = H / 7;
    int sh = scale / 2 + 1;
    int bob = 2 * scale;
    int t = tick;
    for (int l = 0; l < 5; l++) {
        const u8 *g = glyph(word[l]);
        int lx = x0 + l * cell;
        int ly = y0 + bob + (isin(t * 10 + l * 160) * bob >> 14);
        for (int r = 0; r < 7; r++)
            for (int c = 0; c < 5; c++)
                if (g[r] & (0x10 >> c))
                    fill(lx + c * scale + sh, ly + r * scale + sh, scale, scale, 0x05030c);
        for (int r = 0; r < 7; r++) {
            for (int c = 0; c < 5; c++) {
                if (!(g[r] & (0x10 >> c)))
                    continue;
                int bx = lx + c * scale, by = ly + r * scale;
                for (int y = by; y < by + scale; y++) {
                    if ((unsigned)y >= (unsigned)H)
                        continue;
                    u32 *p = fb + y * W;
                    int sy = isin(y * 6 - t * 9) + isin(y * 3 + t * 4);
                    for (int x = bx; x < bx + scale; x++) {
                        if ((unsigned)x >= (unsigned)W)
                            continue;
                        int v = sy + isin(x * 5 + t * 7) + isin((x + y) * 2 - t * 5);
                        p[x] = palette[(v >> 8) & 255];
                    }
                }
            }
        }
    }
    remember(x0, y0, w + sh, 7 * scale + 2 * bob + sh + 1);
}

/* The pointer. */
static int ptr_x, ptr_y, ptr_seen, ptr_down;
static const char *const cursor_img[] = {
    "X",           "XX",          "XoX",         "XooX",        "XoooX",
    "XooooX",      "XoooooX",     "XooooooX",    "XoooooooX",   "XooooooooX",
    "XoooooXXXXX", "XooXooX",     "XoX XooX",    "XX  XooX",    "X    XooX",
    "     XooX",   "      XX",
};

static void cursor_draw(void)
{
    if (!ptr_seen)
        return;
    int n = sizeof cursor_img / sizeof cursor_img[0];
    int s = H >= 600 ? 2 : 1;
    u32 fg = ptr_down ? 0xffd040 : 0xffffff;
    for (int r = 0; r < n; r++)
        for (int c = 0; cursor_img[r][c]; c++) {
            char ch = cursor_img[r][c];
            if (ch == 'X')
                fill(ptr_x + c * s, ptr_y + r * s, s, s, 0x000000);
            else if (ch == 'o')
                fill(ptr_x + c * s, ptr_y + r * s, s, s, fg);
        }
    remember(ptr_x, ptr_y, 11 * s, n * s);
}

static u32 frames_shown, frames_skipped;

static void hud_draw(int tick)
{
    static char buf[40];
    char *p = utoa((u32)tick, buf + sizeof buf);
    const char *label = "FRAME";
    int s = H >= 600 ? 2 : 1;
    int x = 8 * s;
    x += text(x, 8 * s, s, label, 0x8090c0) + 6 * s;
    text(x, 8 * s, s, p, 0xc0d0ff);

    static char devs[48];
    int n = 0;
    const char *parts[4] = {gpu.present ? "GPU " : "RAMFB ", have_kbd ? "KBD " : "", have_pointer ? "PTR " : "",
                            snd.present ? "SND" : ""};
    for (int i = 0; i < 4; i++)
        for (const char *q = parts[i]; *q; q++)
            devs[n++] = *q;
    devs[n] = 0;
    text(W - text_width(devs, s) - 8 * s, 8 * s, s, devs, 0x8090c0);

    const char *sub = "A FULL-SYSTEM ARM EMULATOR IN GO";
    int ss = H >= 600 ? 3 : 2;
    int sy = H / 7 + 7 * (H / 56) + 5 * (H / 56) + 4 * s;
    text((W - text_width(sub, ss)) / 2, sy, ss, sub, 0xd8d0f0);

    const char *help = "ARROWS: MOVE THE CUBE   SPACE: BURST   CLICK: SPARKS   ESC: QUIT";
    text((W - text_width(help, s)) / 2, H - 16 * s, s, help, 0xa0a8d0);
}

/* render draws frame tick; again: the same frame once more, after input
 * while halted (nothing has moved but what the input moved). */
static void render(int tick, int again)
{
    erase_old();
    stars_draw(again);
    banner_draw(tick);
    hud_draw(tick);
    cube_draw();
    sparks_draw();
    cursor_draw();
}

static void present_rect(int x, int y, int w, int h) { gpu_update(&gpu, (u32)x, (u32)y, (u32)w, (u32)h); }
static void present_none(int x, int y, int w, int h) { (void)x, (void)y, (void)w, (void)h; }

/* ---- input ---- */

#define KEY_ESC 1
#define KEY_SPACE 57
#define KEY_UP 103
#define KEY_LEFT 105
#define KEY_RIGHT 106
#define KEY_DOWN 108
#define BTN_MOUSE 0x110
#define BTN_TASK 0x117
#define ABS_X 0
#define ABS_Y 1
#define REL_X 0
#define REL_Y 1

#define HALT_STEP 40 /* pixels an arrow key moves the cube while halted */

static int quit, halted;
static u32 keys_pressed, clicks, events;

static void handle_event(struct inputdev *d, const struct input_event_v *e)
{
    events++;
    if (e->type == EV_KEY) {
        int down = e->value != 0;
        if (e->code >= BTN_MOUSE && e->code <= BTN_TASK) {
            ptr_down = down;
            if (e->value == 1) {
                clicks++;
                ptr_seen = 1;
                burst(ptr_x, ptr_y, 64, (int)(clicks * 40));
                beep(e->code == BTN_MOUSE ? 1 : 2);
            }
            return;
        }
        switch (e->code) {
        case KEY_LEFT: key_left = down; break;
        case KEY_RIGHT: key_right = down; break;
        case KEY_UP: key_up = down; break;
        case KEY_DOWN: key_down = down; break;
        }
        if (e->value != 1)
            return;
        keys_pressed++;
        if (e->code == KEY_ESC) {
            quit = 1;
            return;
        }
        if (e->code == KEY_SPACE) {
            burst(cube_x >> 8, cube_y >> 8, 96, cube_hue);
            cube_spin = -cube_spin;
            beep(2);
            return;
        }
        if (halted) {
            int dx = 0, dy = 0;
            switch (e->code) {
            case KEY_LEFT: dx = -HALT_STEP; break;
            case KEY_RIGHT: dx = HALT_STEP; break;
            case KEY_UP: dy = -HALT_STEP; break;
            case KEY_DOWN: dy = HALT_STEP; break;
            }
            cube_x += dx << 8;
            cube_y += dy << 8;
            cube_clamp();
        }
        cube_hue += 37;
        beep(0);
    } else if (e->type == EV_ABS && (e->code == ABS_X || e->code == ABS_Y)) {
        u32 max = d->absmax[e->code] ? d->absmax[e->code] : 0x7fff;
        int size = e->code == ABS_X ? W : H;
        int v = (int)((u64)e->value * (u32)(size - 1) / max);
        if (e->code == ABS_X)
            ptr_x = v;
        else
            ptr_y = v;
        ptr_seen = 1;
    } else if (e->type == EV_REL && (e->code == REL_X || e->code == REL_Y)) {
        int v = (int)e->value;
        if (e->code == REL_X)
            ptr_x += v;
        else
            ptr_y += v;
        ptr_x = ptr_x < 0 ? 0 : ptr_x >= W ? W - 1 : ptr_x;
        ptr_y = ptr_y < 0 ? 0 : ptr_y >= H ? H - 1 : ptr_y;
        ptr_seen = 1;
    }
}

static void poll_input(void)
{
    struct input_event_v e;
    for (int i = 0; i < ninputs; i++)
        while (input_poll(&inputs[i], &e))
            handle_event(&inputs[i], &e);
    /* The virt board's power button (PL061 line 3, gpio-keys): the
     * window's close button presses it. GPIODATA is read through the
     * address mask (bit 3 -> offset 4 << 3). */
    if (*(volatile u32 *)(0x09030000 + (4u << 3)) & 8)
        quit = 1;
}

static void show(int tick, int again)
{
    render(tick, again);
    if (gpu.present) {
        present(present_rect);
        gpu_sync(&gpu);
    } else {
        present(present_none); /* ramfb scans RAM itself */
    }
}

/* halt keeps frame tick on screen until Esc (or the power button), polling
 * the input every 10 ms of virtual time; nothing animates. Input draws the
 * frame again: an arrow key press has moved the cube a fixed step, so the
 * picture depends on the presses, not on their timing. */
static void halt(int tick)
{
    uart_puts("  halted\n");
    halted = 1;
    for (;;) {
        u32 seen = events;
        poll_input();
        if (quit)
            return;
        if (events != seen)
            show(tick, 1);
        sound_poll(&snd);
        wait_until(cntvct() + freq / 100);
    }
}

/* ---- main ---- */

/* stop returns the exit status for ../lib's start-up code, which leaves
 * through semihosting; without semihosting the program idles instead. */
static int stop(int status)
{
    if (!have_semi) {
        uart_puts("  no semihosting: cannot exit, idling\n");
        cntv_ctl(0);
        for (;;)
            wfi();
    }
    return status;
}

int main(void)
{
    uart_init();
    uart_puts("\nMimic graphical demo: probing virtio-mmio\n");
    u32 max_frames = parse_frames();
    trig_init();
    tones_init();
    palette_init();
    probe();
    if (gpu.present) {
        W = (int)gpu.width > FB_MAXW ? FB_MAXW : (int)gpu.width;
        H = (int)gpu.height > FB_MAXH ? FB_MAXH : (int)gpu.height;
        int err = gpu_setup(&gpu, framebuf, (u32)W, (u32)H);
        if (err) {
            uart_puts("virtio-gpu setup failed: step ");
            uart_dec((u32)-err);
            uart_puts("\n");
            return stop(1);
        }
    } else {
        W = 1024;
        H = 768;
        if (ramfb_setup(framebuf, (u32)W, (u32)H)) {
            uart_puts("No display: add -device virtio-gpu-device (or -device ramfb). Stopping.\n");
            return stop(1);
        }
        uart_puts("  no virtio-gpu: using ramfb\n");
    }
    gfx_init(framebuf, W, H);
    uart_puts("  display ");
    uart_dec((u32)W);
    uart_puts("x");
    uart_dec((u32)H);
    if (max_frames) {
        uart_puts(", stopping after frame ");
        uart_dec(max_frames);
    }
    uart_puts("\n");

    background_init();
    for (int i = 0; i < NSTARS; i++)
        star_spawn(i, 0);
    ptr_x = W / 2;
    ptr_y = H / 2;
    cube_x = (W / 2) << 8;
    cube_y = (H * 3 / 5) << 8;
    cube_vx = 3 << 8;
    cube_vy = -(1 << 8);
    timer_init();

    u32 tick = 0;
    for (;;) {
        poll_input();
        if (quit)
            break;
        show((int)tick, 0);
        sound_poll(&snd);
        frames_shown++;
        if (max_frames && tick + 1 >= max_frames) {
            if (halt_at_end)
                halt((int)tick);
            break;
        }
        /* The next frame is due at the next 1/60 s boundary; if that
         * has passed already, skip to the current one. */
        u32 next = tick + 1;
        u32 due = (u32)((cntvct() - t0) * 60 / freq);
        if (due > next) {
            frames_skipped += due - next;
            next = due;
        }
        wait_until(tick_time(next));
        for (; tick < next; tick++) {
            stars_step();
            cube_step();
            sparks_step();
            cube_hue++;
        }
    }
    uart_puts("  frames shown ");
    uart_dec(frames_shown);
    uart_puts(", skipped ");
    uart_dec(frames_skipped);
    uart_puts(", keys ");
    uart_dec(keys_pressed);
    uart_puts(", clicks ");
    uart_dec(clicks);
    uart_puts(", tones ");
    uart_dec(beeps);
    uart_puts(", gpu errors ");
    uart_dec(gpu.errors);
    uart_puts(", sound errors ");
    uart_dec(snd.errors);
    uart_puts("\n");
    while (snd.present && snd.inflight) { /* let the last tone finish */
        wait_until(cntvct() + freq / 100);
        sound_poll(&snd);
    }
    return stop(0);
}
