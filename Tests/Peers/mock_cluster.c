/* cc -O2 -o .build-peers/mock_cluster Tests/Peers/mock_cluster.c -lrdkafka
 *
 * librdkafka's in-process mock cluster as a test peer for our own protocol client.
 *
 * usage: mock_cluster --brokers N [--rack ID=NAME ...] [--topic NAME:PARTITIONS:RF ...] [--seconds S]
 *
 * Prints one JSON line describing the cluster, then reads commands from stdin, one per line,
 * answering each with one line ("ok ..." / "error ..."):
 *   down ID | up ID | rtt ID MS | leader TOPIC PARTITION ID | produce TOPIC PARTITION COUNT
 *   | errors APIKEY CODE COUNT (the next COUNT such requests fail with CODE) | quit
 * Exits 0 on quit, EOF, SIGTERM/SIGINT or after S seconds (default 600); 2 on bad arguments. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#define MAX_ITEMS 64

struct topic { const char *name; int partitions, rf; };

static volatile sig_atomic_t stop_signal;
static rd_kafka_mock_cluster_t *mc;
static rd_kafka_t *rk, *producer; /* rk owns the mock cluster; producer is a client of it */
static int delivered, failed;
static char first_error[256];

static void on_signal(int sig) { stop_signal = sig; }
static void quiet_log(const rd_kafka_t *r, int l, const char *f, const char *b) { (void)r; (void)l; (void)f; (void)b; }

static void usage(const char *why) {
    fprintf(stderr, "mock_cluster: %s (usage: mock_cluster --brokers N [--rack ID=NAME ...] "
                    "[--topic NAME:PARTITIONS:RF ...] [--seconds S])\n", why);
    exit(2);
}

/* Parses a whole decimal integer in [lo, hi]; returns 0 on failure. */
static int parse_int(const char *s, long lo, long hi, long *out) {
    char *end;
    if (!s || !*s) return 0;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi) return 0;
    *out = v;
    return 1;
}

static void json_string(const char *s) {
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') printf("\\%c", c);
        else if (c < 0x20) printf("\\u%04x", c);
        else putchar(c);
    }
    putchar('"');
}

static void on_delivery(rd_kafka_t *r, const rd_kafka_message_t *m, void *opaque) {
    (void)r; (void)opaque;
    if (!m->err) { delivered++; return; }
    if (!failed++) snprintf(first_error, sizeof first_error, "%s", rd_kafka_err2str(m->err));
}

/* A producer handle with logging off; with a bootstrap it is a client of the mock cluster. */
static rd_kafka_t *new_handle(const char *bootstrap) {
    char err[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "0", err, sizeof err);
    rd_kafka_conf_set_log_cb(conf, quiet_log);
    if (bootstrap) {
        rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, err, sizeof err);
        rd_kafka_conf_set(conf, "message.timeout.ms", "4000", err, sizeof err);
        rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    }
    rd_kafka_t *h = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (!h) { fprintf(stderr, "mock_cluster: rd_kafka_new: %s\n", err); exit(1); }
    return h;
}

static void produce(const char *topic, int32_t partition, int count) {
    if (!producer) producer = new_handle(rd_kafka_mock_cluster_bootstraps(mc));
    delivered = failed = 0;
    for (int i = 0; i < count; i++) {
        char key[32], value[32];
        snprintf(key, sizeof key, "k%d", i);
        snprintf(value, sizeof value, "v%d", i);
        rd_kafka_resp_err_t e = rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(topic),
            RD_KAFKA_V_PARTITION(partition), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
            RD_KAFKA_V_KEY(key, strlen(key)), RD_KAFKA_V_VALUE(value, strlen(value)), RD_KAFKA_V_END);
        if (e && !failed++) snprintf(first_error, sizeof first_error, "%s", rd_kafka_err2str(e));
    }
    /* With the leader down, records can stay queued past message.timeout.ms; purge them so no
     * stale delivery report leaks into the next produce command. */
    int timed_out = rd_kafka_flush(producer, 5000) != RD_KAFKA_RESP_ERR_NO_ERROR;
    if (timed_out) {
        rd_kafka_purge(producer, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
        rd_kafka_flush(producer, 5000);
    }
    if (delivered == count) printf("ok produced %d\n", count);
    else printf("error produced %d of %d: %s\n", delivered, count, timed_out ? "timed out after 5 s" : first_error);
}

/* Runs one command line; returns 0 when the program should exit. */
static int run_command(char *line) {
    char *argv[5] = {0};
    int argc = 0;
    for (char *tok = strtok(line, " \t\r"); tok && argc < 5; tok = strtok(NULL, " \t\r")) argv[argc++] = tok;
    if (argc == 0) { printf("error empty command\n"); return 1; }
    const char *cmd = argv[0];
    long id, n, part;
    rd_kafka_resp_err_t e;
    if (!strcmp(cmd, "quit") && argc == 1) { printf("ok quit\n"); return 0; }
    if ((!strcmp(cmd, "down") || !strcmp(cmd, "up")) && argc == 2 && parse_int(argv[1], 1, INT32_MAX, &id))
        e = cmd[0] == 'd' ? rd_kafka_mock_broker_set_down(mc, (int32_t)id) : rd_kafka_mock_broker_set_up(mc, (int32_t)id);
    else if (!strcmp(cmd, "rtt") && argc == 3 && parse_int(argv[1], 1, INT32_MAX, &id) && parse_int(argv[2], 0, INT32_MAX, &n))
        e = rd_kafka_mock_broker_set_rtt(mc, (int32_t)id, (int)n);
    else if (!strcmp(cmd, "leader") && argc == 4 && parse_int(argv[2], 0, INT32_MAX, &part) && parse_int(argv[3], -1, INT32_MAX, &id))
        e = rd_kafka_mock_partition_set_leader(mc, argv[1], (int32_t)part, (int32_t)id);
    else if (!strcmp(cmd, "errors") && argc == 4 && parse_int(argv[1], 0, 100, &id) && parse_int(argv[2], 1, 1000, &part) && parse_int(argv[3], 1, 1000, &n)) {
        /* errors APIKEY CODE COUNT: the next COUNT requests of APIKEY are answered with error CODE (not applied). */
        rd_kafka_resp_err_t codes[1000];
        for (long i = 0; i < n; i++) codes[i] = (rd_kafka_resp_err_t)part;
        rd_kafka_mock_push_request_errors_array(mc, (int16_t)id, (size_t)n, codes);
        e = RD_KAFKA_RESP_ERR_NO_ERROR;
    } else if (!strcmp(cmd, "produce") && argc == 4 && parse_int(argv[2], 0, INT32_MAX, &part) && parse_int(argv[3], 1, 1000000, &n)) {
        produce(argv[1], (int32_t)part, (int)n);
        return 1;
    } else { printf("error bad command: %s\n", cmd); return 1; }
    if (e) printf("error %s\n", rd_kafka_err2str(e));
    else {
        printf("ok");
        for (int i = 0; i < argc; i++) printf(" %s", argv[i]);
        printf("\n");
    }
    return 1;
}

int main(int argc, char **argv) {
    long brokers = 0, seconds = 600, n;
    struct topic topics[MAX_ITEMS];
    const char *racks[MAX_ITEMS + 1] = {0}; /* indexed by broker id */
    int ntopics = 0;
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i];
        char *val = i + 1 < argc ? strdup(argv[++i]) : NULL; /* a copy: we cut it at ':' and '=' */
        if (!val) usage("missing value");
        if (!strcmp(opt, "--brokers")) {
            if (!parse_int(val, 1, MAX_ITEMS, &brokers)) usage("--brokers must be 1..64");
        } else if (!strcmp(opt, "--seconds")) {
            if (!parse_int(val, 1, 86400, &seconds)) usage("--seconds must be 1..86400");
        } else if (!strcmp(opt, "--rack")) {
            char *eq = strchr(val, '=');
            if (!eq || !eq[1]) usage("--rack wants ID=NAME");
            *eq = '\0';
            if (!parse_int(val, 1, MAX_ITEMS, &n)) usage("--rack broker id must be 1..64");
            racks[n] = eq + 1;
        } else if (!strcmp(opt, "--topic")) {
            char *c2 = strrchr(val, ':'), *c1;
            if (!c2 || c2 == val || ntopics == MAX_ITEMS) usage("--topic wants NAME:PARTITIONS:RF");
            *c2 = '\0';
            if (!(c1 = strrchr(val, ':')) || c1 == val) usage("--topic wants NAME:PARTITIONS:RF");
            *c1 = '\0';
            long p, rf;
            if (!parse_int(c1 + 1, 1, 100000, &p) || !parse_int(c2 + 1, 1, MAX_ITEMS, &rf))
                usage("--topic wants NAME:PARTITIONS:RF with positive numbers");
            topics[ntopics++] = (struct topic){val, (int)p, (int)rf};
        } else usage("unknown option");
    }
    if (!brokers) usage("--brokers is required");
    for (long id = brokers + 1; id <= MAX_ITEMS; id++)
        if (racks[id]) usage("--rack names a broker id above --brokers");
    for (int t = 0; t < ntopics; t++)
        if (topics[t].rf > brokers) usage("--topic replication factor exceeds --brokers");

    /* librdkafka's threads inherit this mask, so SIGTERM/SIGINT reach the main thread only. */
    sigset_t sigs, old;
    sigemptyset(&sigs); sigaddset(&sigs, SIGTERM); sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, &old);
    rk = new_handle(NULL);
    if (!(mc = rd_kafka_mock_cluster_new(rk, (int)brokers))) { fprintf(stderr, "mock_cluster: cluster_new failed\n"); return 1; }
    for (long id = 1; id <= brokers; id++)
        if (racks[id] && rd_kafka_mock_broker_set_rack(mc, (int32_t)id, racks[id])) { fprintf(stderr, "mock_cluster: set_rack failed\n"); return 1; }
    for (int t = 0; t < ntopics; t++) {
        rd_kafka_resp_err_t e = rd_kafka_mock_topic_create(mc, topics[t].name, topics[t].partitions, topics[t].rf);
        if (e) { fprintf(stderr, "mock_cluster: topic %s: %s\n", topics[t].name, rd_kafka_err2str(e)); return 1; }
    }
    struct sigaction sa = {0};
    sa.sa_handler = on_signal; /* no SA_RESTART: poll() returns EINTR */
    sigaction(SIGTERM, &sa, NULL); sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    pthread_sigmask(SIG_SETMASK, &old, NULL);

    /* Bootstrap list is "host:port,..." for brokers 1..N in id order. */
    const char *bootstrap = rd_kafka_mock_cluster_bootstraps(mc);
    printf("{\"bootstrap\":"); json_string(bootstrap); printf(",\"brokers\":[");
    char *list = strdup(bootstrap), *save = NULL;
    int id = 0;
    for (char *hp = strtok_r(list, ",", &save); hp; hp = strtok_r(NULL, ",", &save)) {
        char *colon = strrchr(hp, ':');
        if (!colon) continue;
        *colon = '\0';
        id++;
        printf("%s{\"id\":%d,\"host\":", id > 1 ? "," : "", id); json_string(hp);
        printf(",\"port\":%s,\"rack\":", colon + 1);
        if (racks[id]) json_string(racks[id]); else printf("null");
        printf("}");
    }
    free(list);
    printf("],\"topics\":[");
    for (int t = 0; t < ntopics; t++) {
        printf("%s{\"name\":", t ? "," : ""); json_string(topics[t].name);
        printf(",\"partitions\":%d,\"replicationFactor\":%d}", topics[t].partitions, topics[t].rf);
    }
    printf("]}\n");
    fflush(stdout);

    time_t deadline = time(NULL) + seconds;
    char buf[4096];
    size_t len = 0;
    int running = 1;
    while (running && !stop_signal) {
        long left = (long)(deadline - time(NULL));
        if (left <= 0) { fprintf(stderr, "mock_cluster: %ld seconds elapsed, exiting\n", seconds); break; }
        struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
        int r = poll(&pfd, 1, 1000);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) continue;
        ssize_t got = read(STDIN_FILENO, buf + len, sizeof buf - 1 - len);
        if (got <= 0) { /* EOF or error: run an unterminated last line, then exit */
            if (len) { buf[len] = '\0'; run_command(buf); fflush(stdout); }
            break;
        }
        len += (size_t)got;
        char *nl;
        while (running && (nl = memchr(buf, '\n', len))) {
            *nl = '\0';
            running = run_command(buf);
            fflush(stdout);
            len -= (size_t)(nl + 1 - buf);
            memmove(buf, nl + 1, len);
        }
        if (len == sizeof buf - 1) { printf("error line too long\n"); fflush(stdout); len = 0; }
    }
    if (producer) rd_kafka_destroy(producer);
    rd_kafka_mock_cluster_destroy(mc);
    rd_kafka_destroy(rk);
    return 0;
}
