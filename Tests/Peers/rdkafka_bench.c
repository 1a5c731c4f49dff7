/* A small load generator over librdkafka, like rdkafka_performance, for the side-by-side benchmark with
 * `kafka-architect bench` (scripts/bench-load). Built against Debian's librdkafka headers and linked with the
 * librdkafka 2.16 inside the confluent-kafka wheel (as the 2.16 mock cluster is).
 *
 * usage: rdkafka_bench produce BOOTSTRAP TOPIC RECORDS VALUE_SIZE RATE CODEC   (RATE 0 = as fast as possible)
 *        rdkafka_bench consume BOOTSTRAP TOPIC PARTITIONS RECORDS
 * prints one JSON line: records, seconds, recordsPerSecond and, for produce, latency percentiles (µs) from each
 * record's due time (start + i/RATE) to its delivery report.
 */
#include <librdkafka/rdkafka.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static uint64_t *lat;
static long delivered, failed;
static uint64_t last_ack;

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
    (void)rk;
    (void)opaque;
    uint64_t t = now_ns();
    if (m->err) { failed++; return; }
    uint64_t due = (uint64_t)(uintptr_t)m->_private;
    lat[delivered++] = (t - due) / 1000;
    last_ack = t;
}

static int cmp(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void set(rd_kafka_conf_t *c, const char *k, const char *v) {
    char err[256];
    if (rd_kafka_conf_set(c, k, v, err, sizeof err) != RD_KAFKA_CONF_OK) { fprintf(stderr, "%s: %s\n", k, err); exit(2); }
}

static int produce(char **argv) {
    long n = atol(argv[4]), size = atol(argv[5]);
    double rate = atof(argv[6]);
    rd_kafka_conf_t *c = rd_kafka_conf_new();
    set(c, "bootstrap.servers", argv[2]);
    set(c, "acks", "all");
    set(c, "enable.idempotence", "true");
    set(c, "compression.type", argv[7]);
    set(c, "linger.ms", "5");
    set(c, "log_level", "3");
    rd_kafka_conf_set_dr_msg_cb(c, on_delivery);
    char err[256];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, c, err, sizeof err);
    if (!rk) { fprintf(stderr, "%s\n", err); return 3; }
    rd_kafka_topic_t *t = rd_kafka_topic_new(rk, argv[3], NULL);
    lat = calloc((size_t)n, sizeof *lat);
    char *value = malloc((size_t)size);
    /* As bench's default values: a pool of 1024 distinct values (1 MB, beyond lz4's 64 KB window, so records
     * do not compress against each other), each half pattern, half pseudo-random (compressibility 0.5). */
    enum { POOL = 1024 };
    char *pool = malloc((size_t)size * POOL);
    uint64_t x = 88172645463325252ull;
    for (long k = 0; k < POOL; k++) {
        for (long i = 0; i < size; i++) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            pool[k * size + i] = i < size / 2 ? (char)('a' + i % 16) : (char)x;
        }
    }
    /* Wait for the metadata so the first records do not count the connection set-up. */
    const struct rd_kafka_metadata *md;
    rd_kafka_metadata(rk, 0, t, &md, 10000);
    rd_kafka_metadata_destroy(md);
    /* And for the idempotent producer's id (bench gets it before its clock starts too): one warm-up record,
     * delivered before the clock starts and not counted. */
    rd_kafka_produce(t, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, value, (size_t)size, NULL, 0, NULL);
    rd_kafka_flush(rk, 10000);
    delivered = 0;
    failed = 0;
    uint64_t start = now_ns();
    for (long i = 0; i < n; i++) {
        uint64_t due = rate > 0 ? start + (uint64_t)((double)i / rate * 1e9) : now_ns();
        if (rate > 0 && now_ns() < due) {
            /* Sleep until the record is due, as bench's timer does: a spinning wait would keep a core awake
             * and make this side's wake-ups cheaper than bench's (on these VMs ~0.3 ms at the median). */
            struct timespec at = {(time_t)(due / 1000000000ull), (long)(due % 1000000000ull)};
            clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL);
            rd_kafka_poll(rk, 0);
        }
        memcpy(value, pool + (i % POOL) * size, (size_t)size);
        memcpy(value, &i, sizeof i < (size_t)size ? sizeof i : (size_t)size);
        while (rd_kafka_produce(t, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, value, (size_t)size, NULL, 0,
                                (void *)(uintptr_t)due) == -1) {
            rd_kafka_poll(rk, 1);
        }
        if (i % 1000 == 0) rd_kafka_poll(rk, 0);
    }
    rd_kafka_flush(rk, 120000);
    double seconds = (double)(last_ack - start) / 1e9;
    qsort(lat, (size_t)delivered, sizeof *lat, cmp);
#define P(q) (delivered ? lat[(long)((delivered - 1) * (q))] : 0)
    printf("{\"tool\":\"librdkafka %s\",\"mode\":\"produce\",\"records\":%ld,\"failed\":%ld,\"seconds\":%.4f,"
           "\"recordsPerSecond\":%.1f,\"p50Us\":%llu,\"p99Us\":%llu,\"p999Us\":%llu,\"maxUs\":%llu}\n",
           rd_kafka_version_str(), delivered, failed, seconds, delivered / seconds, (unsigned long long)P(0.5),
           (unsigned long long)P(0.99), (unsigned long long)P(0.999), (unsigned long long)P(1.0));
    rd_kafka_topic_destroy(t);
    rd_kafka_destroy(rk);
    return failed ? 1 : 0;
}

static int consume(char **argv) {
    int partitions = atoi(argv[4]);
    long n = atol(argv[5]), got = 0;
    rd_kafka_conf_t *c = rd_kafka_conf_new();
    set(c, "bootstrap.servers", argv[2]);
    set(c, "group.id", "rdkafka-bench");
    set(c, "enable.auto.commit", "false");
    set(c, "enable.partition.eof", "true");
    set(c, "log_level", "3");
    char err[256];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, c, err, sizeof err);
    if (!rk) { fprintf(stderr, "%s\n", err); return 3; }
    /* The clock starts before connecting and the offset lookup (assign from the beginning), as bench's does. */
    uint64_t start = now_ns(), last = start;
    const struct rd_kafka_metadata *md;
    if (rd_kafka_metadata(rk, 1, NULL, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR) rd_kafka_metadata_destroy(md);
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(partitions);
    for (int p = 0; p < partitions; p++) rd_kafka_topic_partition_list_add(l, argv[3], p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_assign(rk, l);
    /* Messages in batches of up to 10,000 (as confluent_bench.py's consume(10000)), not one poll per message. */
    rd_kafka_queue_t *q = rd_kafka_queue_get_consumer(rk);
    static rd_kafka_message_t *batch[10000];
    int eof = 0;
    while (got < n && eof < partitions && now_ns() - start < 120000000000ull) {
        ssize_t k = rd_kafka_consume_batch_queue(q, 10, batch, 10000);
        for (ssize_t i = 0; i < k; i++) {
            rd_kafka_message_t *m = batch[i];
            if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) eof++;
            else if (!m->err) got++;
            rd_kafka_message_destroy(m);
        }
        if (k > 0) last = now_ns();
    }
    rd_kafka_queue_destroy(q);
    double seconds = (double)(last - start) / 1e9;
    printf("{\"tool\":\"librdkafka %s\",\"mode\":\"consume\",\"records\":%ld,\"seconds\":%.4f,\"recordsPerSecond\":%.1f}\n",
           rd_kafka_version_str(), got, seconds, got / seconds);
    rd_kafka_topic_partition_list_destroy(l);
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 8 && !strcmp(argv[1], "produce")) return produce(argv);
    if (argc == 6 && !strcmp(argv[1], "consume")) return consume(argv);
    fprintf(stderr, "usage: rdkafka_bench produce BOOTSTRAP TOPIC RECORDS VALUE_SIZE RATE CODEC | consume BOOTSTRAP TOPIC PARTITIONS RECORDS\n");
    return 2;
}
