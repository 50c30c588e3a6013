/*
 * A small virtio driver core for the graphical demo: the virtio-mmio
 * transport in its version 2 (modern) form (virtio 1.2 §4.2) and split
 * virtqueues (§2.7), used by polling. Interrupts stay masked: the demo
 * looks at each used ring once a frame.
 */
#ifndef GDEMO_VIRTIO_H
#define GDEMO_VIRTIO_H

#include "hw.h"

#define VIRTIO_MMIO_BASE 0x0a000000u
#define VIRTIO_MMIO_SIZE 0x200u
#define VIRTIO_MMIO_SLOTS 32

/* Registers (§4.2.2). */
#define VMMIO_MAGIC 0x000
#define VMMIO_VERSION 0x004
#define VMMIO_DEVICE_ID 0x008
#define VMMIO_DEVICE_FEATURES 0x010
#define VMMIO_DEVICE_FEATURES_SEL 0x014
#define VMMIO_DRIVER_FEATURES 0x020
#define VMMIO_DRIVER_FEATURES_SEL 0x024
#define VMMIO_QUEUE_SEL 0x030
#define VMMIO_QUEUE_NUM_MAX 0x034
#define VMMIO_QUEUE_NUM 0x038
#define VMMIO_QUEUE_READY 0x044
#define VMMIO_QUEUE_NOTIFY 0x050
#define VMMIO_INTERRUPT_STATUS 0x060
#define VMMIO_INTERRUPT_ACK 0x064
#define VMMIO_STATUS 0x070
#define VMMIO_QUEUE_DESC_LOW 0x080
#define VMMIO_QUEUE_DESC_HIGH 0x084
#define VMMIO_QUEUE_DRIVER_LOW 0x090
#define VMMIO_QUEUE_DRIVER_HIGH 0x094
#define VMMIO_QUEUE_DEVICE_LOW 0x0a0
#define VMMIO_QUEUE_DEVICE_HIGH 0x0a4
#define VMMIO_CONFIG 0x100

#define VIRTIO_MAGIC 0x74726976u /* "virt" */

/* Device status bits (§2.1). */
#define VSTAT_ACKNOWLEDGE 1
#define VSTAT_DRIVER 2
#define VSTAT_DRIVER_OK 4
#define VSTAT_FEATURES_OK 8
#define VSTAT_NEEDS_RESET 64
#define VSTAT_FAILED 128

/* Device IDs (§5). */
#define VIRTIO_ID_GPU 16
#define VIRTIO_ID_INPUT 18
#define VIRTIO_ID_SOUND 25

/* Split virtqueue (§2.7). */
#define VQ_MAX 256
#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2

struct vring_desc {
    u64 addr;
    u32 len;
    u16 flags;
    u16 next;
};

struct vring_avail {
    u16 flags;
    u16 idx;
    u16 ring[VQ_MAX];
    u16 used_event;
};

struct vring_used_elem {
    u32 id;
    u32 len;
};

struct vring_used {
    u16 flags;
    u16 idx;
    struct vring_used_elem ring[VQ_MAX];
    u16 avail_event;
};

struct vq {
    struct vring_desc desc[VQ_MAX] __attribute__((aligned(16)));
    struct vring_avail avail __attribute__((aligned(2)));
    struct vring_used used __attribute__((aligned(4)));
    u32 base;       /* the transport */
    u16 index;      /* queue number */
    u16 num;        /* queue size (a power of two, <= VQ_MAX) */
    u16 avail_idx;  /* next avail.idx to publish */
    u16 last_used;  /* used.idx already consumed */
};

static inline u32 vmmio_read(u32 base, u32 off) { return REG32(base + off); }
static inline void vmmio_write(u32 base, u32 off, u32 v) { REG32(base + off) = v; }

/*
 * virtio_begin resets the device at base and negotiates VIRTIO_F_VERSION_1
 * and nothing else (§3.1.1 steps 1-6). It returns 0 on success.
 */
int virtio_begin(u32 base);
/* virtio_queue sets up queue index with up to want entries (step 7). */
int virtio_queue(u32 base, struct vq *q, u16 index, u16 want);
/* virtio_ready sets DRIVER_OK (step 8). */
void virtio_ready(u32 base);

/* vq_set fills descriptor i; next is used when flags has NEXT. */
static inline void vq_set(struct vq *q, u16 i, const void *addr, u32 len, u16 flags, u16 next)
{
    q->desc[i].addr = (u32)addr;
    q->desc[i].len = len;
    q->desc[i].flags = flags;
    q->desc[i].next = next;
}
/* vq_push offers the chain starting at descriptor head (not yet notified). */
void vq_push(struct vq *q, u16 head);
/* vq_kick notifies the device of new buffers. */
void vq_kick(struct vq *q);
/* vq_pop returns 1 and the next used element, or 0 if there is none. */
int vq_pop(struct vq *q, u32 *id, u32 *len);

/* Drivers. */
struct gpu {
    int present;
    u32 base;
    struct vq ctrl, cursor; /* cursorq is set up but unused */
    u32 width, height; /* scanout 0's preferred mode */
    u32 errors;        /* responses that were not OK */
};
int gpu_init(struct gpu *g, u32 base);
/* gpu_setup creates the XRGB8888 resource of w x h backed by fb (stride
 * w*4) and shows it on scanout 0. */
int gpu_setup(struct gpu *g, u32 *fb, u32 w, u32 h);
/* gpu_update transfers and flushes the rectangle (batched until gpu_sync). */
void gpu_update(struct gpu *g, u32 x, u32 y, u32 w, u32 h);
void gpu_sync(struct gpu *g);

/* ramfb (fw_cfg "etc/ramfb"): the fallback display, no flush needed. */
int ramfb_setup(u32 *fb, u32 w, u32 h);

/* Input: the events of the Linux evdev ABI. */
#define EV_SYN 0
#define EV_KEY 1
#define EV_REL 2
#define EV_ABS 3
#define INPUT_BUFS 64
struct input_event_v {
    u16 type;
    u16 code;
    u32 value;
};
struct inputdev {
    u32 base;
    struct vq evq;
    struct input_event_v ev[INPUT_BUFS];
    u32 absmax[2]; /* ABS_X, ABS_Y maxima (0: no absolute axes) */
    char name[32];
};
int input_init(struct inputdev *d, u32 base);
/* input_poll returns 1 and the next event, or 0. */
int input_poll(struct inputdev *d, struct input_event_v *out);

/* Sound: stream 0 plays S16 stereo at 48 kHz. */
#define SND_RATE 48000
#define SND_SLOTS 4
struct sound {
    int present;
    u32 base;
    struct vq ctrl, tx;
    struct vq event, rx; /* set up but unused */
    int started;
    u32 inflight;  /* bitmap of tx slots in use */
    u32 errors;
    u32 played;    /* buffers completed */
};
int sound_init(struct sound *s, u32 base);
/* sound_play queues len bytes of frames at pcm (which must stay valid);
 * returns 0 if queued. */
int sound_play(struct sound *s, const void *pcm, u32 len);
/* sound_poll reaps finished buffers and stops the stream once idle. */
void sound_poll(struct sound *s);

#endif
