/*
 * virtio-mmio transport (version 2) and split virtqueues, plus the three
 * device drivers the demo needs: GPU 2D (§5.7), input (§5.8) and sound
 * (§5.14). Everything is polled; all buffers are static.
 */
#include "virtio.h"

#define VIRTIO_F_VERSION_1_HI (1u << 0) /* feature bit 32 */

int virtio_begin(u32 base)
{
    vmmio_write(base, VMMIO_STATUS, 0);
    vmmio_write(base, VMMIO_STATUS, VSTAT_ACKNOWLEDGE);
    vmmio_write(base, VMMIO_STATUS, VSTAT_ACKNOWLEDGE | VSTAT_DRIVER);
    vmmio_write(base, VMMIO_DEVICE_FEATURES_SEL, 1);
    u32 hi = vmmio_read(base, VMMIO_DEVICE_FEATURES);
    if (!(hi & VIRTIO_F_VERSION_1_HI))
        return -1;
    vmmio_write(base, VMMIO_DRIVER_FEATURES_SEL, 0);
    vmmio_write(base, VMMIO_DRIVER_FEATURES, 0);
    vmmio_write(base, VMMIO_DRIVER_FEATURES_SEL, 1);
    vmmio_write(base, VMMIO_DRIVER_FEATURES, VIRTIO_F_VERSION_1_HI);
    vmmio_write(base, VMMIO_STATUS, VSTAT_ACKNOWLEDGE | VSTAT_DRIVER | VSTAT_FEATURES_OK);
    if (!(vmmio_read(base, VMMIO_STATUS) & VSTAT_FEATURES_OK)) {
        vmmio_write(base, VMMIO_STATUS, VSTAT_FAILED);
        return -1;
    }
    return 0;
}

int virtio_queue(u32 base, struct vq *q, u16 index, u16 want)
{
    vmmio_write(base, VMMIO_QUEUE_SEL, index);
    if (vmmio_read(base, VMMIO_QUEUE_READY))
        return -1;
    u32 max = vmmio_read(base, VMMIO_QUEUE_NUM_MAX);
    if (max == 0)
        return -1;
    u16 n = want;
    while (n > max)
        n >>= 1;
    q->base = base;
    q->index = index;
    q->num = n;
    q->avail_idx = 0;
    q->last_used = 0;
    q->avail.flags = 1; /* VIRTQ_AVAIL_F_NO_INTERRUPT: we poll */
    q->avail.idx = 0;
    q->used.idx = 0;
    vmmio_write(base, VMMIO_QUEUE_NUM, n);
    vmmio_write(base, VMMIO_QUEUE_DESC_LOW, (u32)q->desc);
    vmmio_write(base, VMMIO_QUEUE_DESC_HIGH, 0);
    vmmio_write(base, VMMIO_QUEUE_DRIVER_LOW, (u32)&q->avail);
    vmmio_write(base, VMMIO_QUEUE_DRIVER_HIGH, 0);
    vmmio_write(base, VMMIO_QUEUE_DEVICE_LOW, (u32)&q->used);
    vmmio_write(base, VMMIO_QUEUE_DEVICE_HIGH, 0);
    vmmio_write(base, VMMIO_QUEUE_READY, 1);
    return 0;
}

void virtio_ready(u32 base)
{
    vmmio_write(base, VMMIO_STATUS,
                VSTAT_ACKNOWLEDGE | VSTAT_DRIVER | VSTAT_FEATURES_OK | VSTAT_DRIVER_OK);
}

void vq_push(struct vq *q, u16 head)
{
    q->avail.ring[q->avail_idx & (q->num - 1)] = head;
    mb(); /* the ring entry before the index (§2.7.13.2) */
    q->avail_idx++;
    q->avail.idx = q->avail_idx;
}

void vq_kick(struct vq *q)
{
    mb();
    vmmio_write(q->base, VMMIO_QUEUE_NOTIFY, q->index);
}

int vq_pop(struct vq *q, u32 *id, u32 *len)
{
    if (*(volatile u16 *)&q->used.idx == q->last_used)
        return 0;
    mb();
    struct vring_used_elem *e = &q->used.ring[q->last_used & (q->num - 1)];
    *id = e->id;
    *len = e->len;
    q->last_used++;
    return 1;
}

/* Interrupts are not used, but acknowledge what the device raised so its
 * line does not stay high. */
static void virtio_ack(u32 base)
{
    u32 s = vmmio_read(base, VMMIO_INTERRUPT_STATUS);
    if (s)
        vmmio_write(base, VMMIO_INTERRUPT_ACK, s);
}

/* ---- virtio-gpu 2D (§5.7) ---- */

#define GPU_CMD_GET_DISPLAY_INFO 0x0100
#define GPU_CMD_RESOURCE_CREATE_2D 0x0101
#define GPU_CMD_SET_SCANOUT 0x0103
#define GPU_CMD_RESOURCE_FLUSH 0x0104
#define GPU_CMD_TRANSFER_TO_HOST_2D 0x0105
#define GPU_CMD_RESOURCE_ATTACH_BACKING 0x0106
#define GPU_RESP_OK_NODATA 0x1100
#define GPU_RESP_OK_DISPLAY_INFO 0x1101
#define GPU_FORMAT_B8G8R8X8 2 /* bytes B, G, R, X: a u32 of 0x00RRGGBB */
#define GPU_RESOURCE_ID 1

struct gpu_hdr {
    u32 type, flags;
    u64 fence_id;
    u32 ctx_id;
    u8 ring_idx, pad[3];
};
struct gpu_rect {
    u32 x, y, w, h;
};
struct gpu_display_info {
    struct gpu_hdr hdr;
    struct {
        struct gpu_rect r;
        u32 enabled, flags;
    } pmodes[16];
};
struct gpu_create_2d {
    struct gpu_hdr hdr;
    u32 resource_id, format, width, height;
};
struct gpu_attach_backing {
    struct gpu_hdr hdr;
    u32 resource_id, nr_entries;
    u64 addr;
    u32 length, padding;
};
struct gpu_set_scanout {
    struct gpu_hdr hdr;
    struct gpu_rect r;
    u32 scanout_id, resource_id;
};
struct gpu_transfer {
    struct gpu_hdr hdr;
    struct gpu_rect r;
    u64 offset;
    u32 resource_id, padding;
};
struct gpu_flush {
    struct gpu_hdr hdr;
    struct gpu_rect r;
    u32 resource_id, padding;
};

/* One batch of commands in flight: a request and a response header each,
 * two descriptors per command. */
#define GPU_BATCH 100
union gpu_req {
    struct gpu_hdr hdr;
    struct gpu_transfer transfer;
    struct gpu_flush flush;
};
static union gpu_req gpu_reqs[GPU_BATCH];
static struct gpu_hdr gpu_resps[GPU_BATCH];
static int gpu_nreq;
static u32 gpu_stride;

static void gpu_submit(struct gpu *g, const void *req, u32 reqlen, void *resp, u32 resplen)
{
    u16 d = (u16)(2 * gpu_nreq);
    vq_set(&g->ctrl, d, req, reqlen, VRING_DESC_F_NEXT, d + 1);
    vq_set(&g->ctrl, d + 1, resp, resplen, VRING_DESC_F_WRITE, 0);
    vq_push(&g->ctrl, d);
}

/* gpu_wait kicks the control queue and waits until n commands are back.
 * Mimic serves them during the notify; a real device may take longer. */
static void gpu_wait(struct gpu *g, int n)
{
    vq_kick(&g->ctrl);
    u32 id, len;
    while (n > 0) {
        if (vq_pop(&g->ctrl, &id, &len))
            n--;
    }
    virtio_ack(g->base);
}

static u32 gpu_cmd1(struct gpu *g, void *req, u32 reqlen, void *resp, u32 resplen)
{
    gpu_nreq = 0;
    gpu_submit(g, req, reqlen, resp, resplen);
    gpu_wait(g, 1);
    return ((struct gpu_hdr *)resp)->type;
}

static struct gpu_display_info gpu_info;

int gpu_init(struct gpu *g, u32 base)
{
    g->base = base;
    /* Every queue is set up, the unused cursorq too: Mimic's devices
     * (as of this writing) fail a device whose unused queue is kicked
     * internally while not ready (see README). */
    if (virtio_begin(base) || virtio_queue(base, &g->ctrl, 0, VQ_MAX) ||
        virtio_queue(base, &g->cursor, 1, 16))
        return -1;
    virtio_ready(base);
    struct gpu_hdr req = {.type = GPU_CMD_GET_DISPLAY_INFO};
    g->width = 1280;
    g->height = 800;
    if (gpu_cmd1(g, &req, sizeof req, &gpu_info, sizeof gpu_info) == GPU_RESP_OK_DISPLAY_INFO &&
        gpu_info.pmodes[0].enabled && gpu_info.pmodes[0].r.w >= 64 && gpu_info.pmodes[0].r.h >= 64) {
        g->width = gpu_info.pmodes[0].r.w;
        g->height = gpu_info.pmodes[0].r.h;
    }
    g->present = 1;
    return 0;
}

int gpu_setup(struct gpu *g, u32 *fb, u32 w, u32 h)
{
    static struct gpu_hdr resp;
    static struct gpu_create_2d create;
    static struct gpu_attach_backing attach;
    static struct gpu_set_scanout scanout;
    gpu_stride = w * 4;
    create = (struct gpu_create_2d){.hdr.type = GPU_CMD_RESOURCE_CREATE_2D,
                                    .resource_id = GPU_RESOURCE_ID,
                                    .format = GPU_FORMAT_B8G8R8X8, .width = w, .height = h};
    if (gpu_cmd1(g, &create, sizeof create, &resp, sizeof resp) != GPU_RESP_OK_NODATA)
        return -1;
    attach = (struct gpu_attach_backing){.hdr.type = GPU_CMD_RESOURCE_ATTACH_BACKING,
                                         .resource_id = GPU_RESOURCE_ID, .nr_entries = 1,
                                         .addr = (u32)fb, .length = w * h * 4};
    if (gpu_cmd1(g, &attach, sizeof attach, &resp, sizeof resp) != GPU_RESP_OK_NODATA)
        return -2;
    scanout = (struct gpu_set_scanout){.hdr.type = GPU_CMD_SET_SCANOUT,
                                       .r = {0, 0, w, h}, .scanout_id = 0,
                                       .resource_id = GPU_RESOURCE_ID};
    if (gpu_cmd1(g, &scanout, sizeof scanout, &resp, sizeof resp) != GPU_RESP_OK_NODATA)
        return -3;
    gpu_nreq = 0;
    return 0;
}

void gpu_sync(struct gpu *g)
{
    if (gpu_nreq == 0)
        return;
    gpu_wait(g, gpu_nreq);
    for (int i = 0; i < gpu_nreq; i++)
        if (gpu_resps[i].type != GPU_RESP_OK_NODATA)
            g->errors++;
    gpu_nreq = 0;
}

void gpu_update(struct gpu *g, u32 x, u32 y, u32 w, u32 h)
{
    if (2 * (gpu_nreq + 2) > g->ctrl.num || gpu_nreq + 2 > GPU_BATCH)
        gpu_sync(g);
    struct gpu_rect r = {x, y, w, h};
    union gpu_req *t = &gpu_reqs[gpu_nreq];
    t->transfer = (struct gpu_transfer){.hdr.type = GPU_CMD_TRANSFER_TO_HOST_2D, .r = r,
                                        .offset = (u64)y * gpu_stride + x * 4,
                                        .resource_id = GPU_RESOURCE_ID};
    gpu_submit(g, t, sizeof t->transfer, &gpu_resps[gpu_nreq], sizeof(struct gpu_hdr));
    gpu_nreq++;
    union gpu_req *f = &gpu_reqs[gpu_nreq];
    f->flush = (struct gpu_flush){.hdr.type = GPU_CMD_RESOURCE_FLUSH, .r = r,
                                  .resource_id = GPU_RESOURCE_ID};
    gpu_submit(g, f, sizeof f->flush, &gpu_resps[gpu_nreq], sizeof(struct gpu_hdr));
    gpu_nreq++;
}

/* ---- virtio-input (§5.8) ---- */

#define INPUT_CFG_SELECT 0x00
#define INPUT_CFG_SUBSEL 0x01
#define INPUT_CFG_SIZE 0x02
#define INPUT_CFG_U 0x08
#define VIRTIO_INPUT_CFG_ID_NAME 0x01
#define VIRTIO_INPUT_CFG_ABS_INFO 0x12

static u32 input_cfg(struct inputdev *d, u8 sel, u8 subsel)
{
    REG8(d->base + VMMIO_CONFIG + INPUT_CFG_SELECT) = sel;
    REG8(d->base + VMMIO_CONFIG + INPUT_CFG_SUBSEL) = subsel;
    return REG8(d->base + VMMIO_CONFIG + INPUT_CFG_SIZE);
}

int input_init(struct inputdev *d, u32 base)
{
    d->base = base;
    if (virtio_begin(base))
        return -1;
    u32 n = input_cfg(d, VIRTIO_INPUT_CFG_ID_NAME, 0);
    if (n > sizeof d->name - 1)
        n = sizeof d->name - 1;
    for (u32 i = 0; i < n; i++)
        d->name[i] = (char)REG8(base + VMMIO_CONFIG + INPUT_CFG_U + i);
    d->name[n] = 0;
    for (int axis = 0; axis < 2; axis++) {
        d->absmax[axis] = 0;
        if (input_cfg(d, VIRTIO_INPUT_CFG_ABS_INFO, (u8)axis) >= 8)
            d->absmax[axis] = REG32(base + VMMIO_CONFIG + INPUT_CFG_U + 4); /* max */
    }
    input_cfg(d, 0, 0);
    if (virtio_queue(base, &d->evq, 0, INPUT_BUFS))
        return -1;
    for (u16 i = 0; i < d->evq.num; i++) {
        vq_set(&d->evq, i, &d->ev[i], sizeof d->ev[i], VRING_DESC_F_WRITE, 0);
        vq_push(&d->evq, i);
    }
    virtio_ready(base);
    vq_kick(&d->evq);
    return 0;
}

int input_poll(struct inputdev *d, struct input_event_v *out)
{
    u32 id, len;
    for (;;) {
        if (!vq_pop(&d->evq, &id, &len)) {
            virtio_ack(d->base);
            return 0;
        }
        if (id >= d->evq.num)
            continue;
        int ok = len >= sizeof *out;
        if (ok)
            *out = *(volatile struct input_event_v *)&d->ev[id];
        vq_push(&d->evq, (u16)id); /* give the buffer back */
        vq_kick(&d->evq);
        if (ok)
            return 1;
    }
}

/* ---- virtio-sound (§5.14) ---- */

#define SND_R_PCM_SET_PARAMS 0x0101
#define SND_R_PCM_PREPARE 0x0102
#define SND_R_PCM_START 0x0104
#define SND_R_PCM_STOP 0x0105
#define SND_S_OK 0x8000
#define SND_PCM_FMT_S16 5
#define SND_PCM_RATE_48000 7
#define SND_Q_CONTROL 0
#define SND_Q_TX 2

struct snd_set_params {
    u32 code, stream_id;
    u32 buffer_bytes, period_bytes, features;
    u8 channels, format, rate, padding;
};
struct snd_pcm_hdr {
    u32 code, stream_id;
};
struct snd_xfer {
    u32 stream_id;
};
struct snd_status {
    u32 status, latency_bytes;
};

static struct snd_xfer snd_xfers[SND_SLOTS];
static struct snd_status snd_statuses[SND_SLOTS];

static u32 snd_cmd(struct sound *s, const void *req, u32 len)
{
    static u32 resp;
    resp = 0;
    vq_set(&s->ctrl, 0, req, len, VRING_DESC_F_NEXT, 1);
    vq_set(&s->ctrl, 1, &resp, sizeof resp, VRING_DESC_F_WRITE, 0);
    vq_push(&s->ctrl, 0);
    vq_kick(&s->ctrl);
    u32 id, n;
    while (!vq_pop(&s->ctrl, &id, &n))
        ;
    virtio_ack(s->base);
    if (resp != SND_S_OK)
        s->errors++;
    return resp;
}

static u32 snd_pcm(struct sound *s, u32 code)
{
    static struct snd_pcm_hdr h;
    h = (struct snd_pcm_hdr){code, 0};
    return snd_cmd(s, &h, sizeof h);
}

int sound_init(struct sound *s, u32 base)
{
    s->base = base;
    if (virtio_begin(base) || virtio_queue(base, &s->ctrl, SND_Q_CONTROL, 16) ||
        virtio_queue(base, &s->tx, SND_Q_TX, 4 * SND_SLOTS) ||
        virtio_queue(base, &s->event, 1, 16) || virtio_queue(base, &s->rx, 3, 16))
        return -1;
    virtio_ready(base);
    static struct snd_set_params p;
    p = (struct snd_set_params){.code = SND_R_PCM_SET_PARAMS, .stream_id = 0,
                                .buffer_bytes = 4 * 4800, .period_bytes = 4800,
                                .channels = 2, .format = SND_PCM_FMT_S16,
                                .rate = SND_PCM_RATE_48000};
    if (snd_cmd(s, &p, sizeof p) != SND_S_OK || snd_pcm(s, SND_R_PCM_PREPARE) != SND_S_OK)
        return -1;
    s->present = 1;
    return 0;
}

int sound_play(struct sound *s, const void *pcm, u32 len)
{
    if (!s->present)
        return -1;
    int k;
    for (k = 0; k < SND_SLOTS; k++)
        if (!(s->inflight & (1u << k)))
            break;
    if (k == SND_SLOTS)
        return -1;
    u16 d = (u16)(3 * k);
    snd_xfers[k].stream_id = 0;
    vq_set(&s->tx, d, &snd_xfers[k], sizeof snd_xfers[k], VRING_DESC_F_NEXT, d + 1);
    vq_set(&s->tx, d + 1, pcm, len, VRING_DESC_F_NEXT, d + 2);
    vq_set(&s->tx, d + 2, &snd_statuses[k], sizeof snd_statuses[k], VRING_DESC_F_WRITE, 0);
    vq_push(&s->tx, d);
    vq_kick(&s->tx);
    s->inflight |= 1u << k;
    if (!s->started) {
        snd_pcm(s, SND_R_PCM_START);
        s->started = 1;
    }
    return 0;
}

void sound_poll(struct sound *s)
{
    if (!s->present)
        return;
    u32 id, len;
    while (vq_pop(&s->tx, &id, &len)) {
        u32 k = id / 3;
        if (k < SND_SLOTS) {
            s->inflight &= ~(1u << k);
            s->played++;
            if (snd_statuses[k].status != SND_S_OK)
                s->errors++;
        }
    }
    virtio_ack(s->base);
    if (s->started && s->inflight == 0) {
        snd_pcm(s, SND_R_PCM_STOP);
        s->started = 0;
    }
}
