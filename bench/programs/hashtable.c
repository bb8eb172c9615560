// Hash kernel: an open-addressing hash table (linear probing, power-of-two capacity, 64-bit keys mixed by a
// multiplicative hash) filled by inserts, queried by lookups that mostly hit and sometimes miss, and emptied by
// deletions that shift later entries back rather than leaving tombstones.
//   hashtable [N]   N (keys per round) defaults to 1,200,000
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct { uint64_t key; uint64_t value; } slot;

// Key 0 marks an empty slot; the keys used are never 0.
typedef struct { slot *slots; uint32_t mask; uint32_t count; uint64_t probes; } table;

static uint64_t rng_state = 88172645463325252ull;

static uint64_t next_random(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static uint32_t home(const table *t, uint64_t key) {
    key ^= key >> 31;
    key *= 0x9e3779b97f4a7c15ull;
    return (uint32_t)(key >> 32) & t->mask;
}

static void put(table *t, uint64_t key, uint64_t value) {
    uint32_t i = home(t, key);
    while (t->slots[i].key && t->slots[i].key != key) { i = (i + 1) & t->mask; t->probes++; }
    if (!t->slots[i].key) t->count++;
    t->slots[i].key = key;
    t->slots[i].value = value;
}

static slot *find(table *t, uint64_t key) {
    for (uint32_t i = home(t, key);; i = (i + 1) & t->mask) {
        t->probes++;
        if (t->slots[i].key == key) return &t->slots[i];
        if (!t->slots[i].key) return NULL;
    }
}

// Removes key, then moves back each following entry of the run that the hole would otherwise hide from its home.
static int removal(table *t, uint64_t key) {
    slot *s = find(t, key);
    if (!s) return 0;
    uint32_t hole = (uint32_t)(s - t->slots);
    for (uint32_t i = (hole + 1) & t->mask; t->slots[i].key; i = (i + 1) & t->mask) {
        uint32_t h = home(t, t->slots[i].key);
        // The entry may fill the hole unless its home lies cyclically in (hole, i].
        if (((i - h) & t->mask) >= ((i - hole) & t->mask)) {
            t->slots[hole] = t->slots[i];
            hole = i;
        }
    }
    t->slots[hole].key = 0;
    t->count--;
    return 1;
}

int main(int argc, char **argv) {
    uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 1200000u;
    if (n < 16) n = 16;
    uint32_t capacity = 16;
    // Keys come from [1, 2n], so at most 2n are present at once: a load factor of at most two thirds.
    while (capacity < 3 * n) capacity <<= 1;
    table t = {calloc(capacity, sizeof(slot)), capacity - 1, 0, 0};
    uint64_t *keys = malloc(n * sizeof *keys);
    uint64_t checksum = 0;
    for (int round = 0; round < 3; round++) {
        // Keys drawn from a range of about 2n, so some repeat and overwrite.
        for (uint32_t i = 0; i < n; i++) {
            keys[i] = next_random() % (2ull * n) + 1;
            put(&t, keys[i], (uint64_t)i * 2654435761u + (uint64_t)round);
        }
        uint32_t hits = 0;
        for (uint32_t i = 0; i < 2 * n; i++) {
            slot *s = find(&t, next_random() % (2ull * n) + 1);
            if (s) { hits++; checksum += s->value; }
        }
        uint32_t removed = 0;
        for (uint32_t i = 0; i < n; i += 2) removed += removal(&t, keys[i]);
        printf("hashtable round %d: %u entries left, %u of %u lookups hit, %u removed\n", round, t.count, hits, 2 * n, removed);
    }
    // Every entry left must still be found where probing looks for it.
    uint32_t found = 0;
    for (uint32_t i = 0; i <= t.mask; i++)
        if (t.slots[i].key && find(&t, t.slots[i].key) == &t.slots[i]) found++;
    printf("hashtable: %u of %u entries reachable, %llu probes, checksum %016llx\n", found, t.count,
           (unsigned long long)t.probes, (unsigned long long)checksum);
    free(keys);
    free(t.slots);
    return 0;
}
