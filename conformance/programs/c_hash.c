/* c_hash: an open-addressing hash table (linear probing, tombstones,
 * resize) keyed by strings with MurmurHash3 (x86_32), used for word
 * frequencies over a generated text, plus integer-keyed inserts/deletes and
 * xorshift/PCG style generators. */
#include "rt.h"

static u32 murmur3(const void *key, int len, u32 seed)
{
    const u8 *d = key;
    int nb = len / 4;
    u32 h = seed, c1 = 0xcc9e2d51, c2 = 0x1b873593;
    for (int i = 0; i < nb; i++) {
        u32 k = (u32)d[4 * i] | (u32)d[4 * i + 1] << 8 | (u32)d[4 * i + 2] << 16 |
                (u32)d[4 * i + 3] << 24;
        k *= c1;
        k = (k << 15) | (k >> 17);
        k *= c2;
        h ^= k;
        h = (h << 13) | (h >> 19);
        h = h * 5 + 0xe6546b64;
    }
    const u8 *t = d + nb * 4;
    u32 k = 0;
    switch (len & 3) {
    case 3: k ^= (u32)t[2] << 16; /* fall through */
    case 2: k ^= (u32)t[1] << 8;  /* fall through */
    case 1:
        k ^= t[0];
        k *= c1;
        k = (k << 15) | (k >> 17);
        k *= c2;
        h ^= k;
    }
    h ^= (u32)len;
    h ^= h >> 16;
    h *= 0x85ebca6b;
    h ^= h >> 13;
    h *= 0xc2b2ae35;
    h ^= h >> 16;
    return h;
}

struct ent {
    char key[12];
    u32 count;
    u8 state; /* 0 empty, 1 used, 2 deleted */
};

static struct ent tab[1024];
static int cap = 64, used;
static u32 probes;

static struct ent *find(const char *k, int insert)
{
    u32 h = murmur3(k, (int)strlen(k), 0x9747b28c);
    struct ent *tomb = 0;
    for (int i = 0; i < cap; i++) {
        struct ent *e = &tab[(h + (u32)i) & (u32)(cap - 1)];
        probes++;
        if (e->state == 0) {
            if (!insert)
                return 0;
            if (tomb)
                e = tomb;
            memcpy(e->key, k, strlen(k) + 1);
            e->count = 0;
            e->state = 1;
            used++;
            return e;
        }
        if (e->state == 2) {
            if (!tomb)
                tomb = e;
            continue;
        }
        if (strcmp(e->key, k) == 0)
            return e;
    }
    return 0;
}

static void grow(void)
{
    static struct ent old[1024];
    memcpy(old, tab, sizeof(tab));
    int oc = cap;
    cap *= 2;
    memset(tab, 0, sizeof(tab));
    used = 0;
    for (int i = 0; i < oc; i++)
        if (old[i].state == 1)
            find(old[i].key, 1)->count = old[i].count;
}

int main(void)
{
    static const char *const mur[] = {"", "a", "ab", "abc", "abcd", "hello world"};
    for (int i = 0; i < ARRAY_LEN(mur); i++)
        P("murmur3(\"%s\")=%08x\n", mur[i], murmur3(mur[i], (int)strlen(mur[i]), 0));
    static const char *const syl[] = {"ka", "lo", "mi", "nu", "pe", "ri", "so", "ta"};
    u32 seed = 77;
    for (int w = 0; w < 4000; w++) {
        char word[12];
        int n = 0, ns = 1 + (int)(rt_rand(&seed) % 3);
        for (int s = 0; s < ns; s++) {
            const char *x = syl[rt_rand(&seed) % 8];
            word[n++] = x[0];
            word[n++] = x[1];
        }
        word[n] = 0;
        if (used * 4 >= cap * 3)
            grow();
        find(word, 1)->count++;
    }
    u32 total = 0, maxc = 0, chk = 0;
    const char *maxw = "";
    for (int i = 0; i < cap; i++)
        if (tab[i].state == 1) {
            total += tab[i].count;
            chk += tab[i].count * murmur3(tab[i].key, (int)strlen(tab[i].key), 1);
            if (tab[i].count > maxc) {
                maxc = tab[i].count;
                maxw = tab[i].key;
            }
        }
    P("distinct=%d cap=%d total=%u top=%s(%u) chk=%08x probes=%u\n", used, cap, total, maxw, maxc,
      chk, probes);
    /* Delete every word with an odd count, then look them up again. */
    int deleted = 0;
    for (int i = 0; i < cap; i++)
        if (tab[i].state == 1 && (tab[i].count & 1)) {
            tab[i].state = 2;
            deleted++;
        }
    int found = 0;
    seed = 77;
    for (int w = 0; w < 4000; w++) {
        char word[12];
        int n = 0, ns = 1 + (int)(rt_rand(&seed) % 3);
        for (int s = 0; s < ns; s++) {
            const char *x = syl[rt_rand(&seed) % 8];
            word[n++] = x[0];
            word[n++] = x[1];
        }
        word[n] = 0;
        if (find(word, 0))
            found++;
    }
    P("deleted=%d found-after=%d probes=%u\n", deleted, found, probes);
    u64 pcg = 0x853c49e6748fea9bull;
    u32 x = 0;
    for (int i = 0; i < 1000; i++) {
        u64 old = pcg;
        pcg = old * 6364136223846793005ull + 1442695040888963407ull;
        u32 xs = (u32)(((old >> 18) ^ old) >> 27), rot = (u32)(old >> 59);
        x ^= (xs >> rot) | (xs << ((-rot) & 31));
    }
    P("pcg32 xor of 1000 outputs: %08x\n", x);
    return 0;
}
