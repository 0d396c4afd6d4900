/*
 * lo_latency: one liblo client that times control latency against latentkit and scsynth alike
 * (perf-tests/compare, part 3). Compare compiles it at run time:  cc -O2 -o lo_latency lo_latency.c -llo
 *
 *   lo_latency latentkit PORT COUNT OUT          /hit ,ifi pad 0.8 id          -> /started ,iihh id pad frame target
 *   lo_latency scsynth   PORT COUNT OUT DEFNAME  /s_new DEFNAME id 0 0 buf b amp 1 dur 0.1 -> /n_go id (after /notify 1)
 *
 * It sends WARMUP untimed triggers, then COUNT immediate triggers and COUNT triggers in a bundle
 * timetagged 20 ms ahead, one at a time, 3-5 ms apart (random phase against the server's block
 * clock), each from its own liblo server socket (so replies come back to it), and waits up to 1 s
 * for each reply. Times come from clock_gettime(CLOCK_MONOTONIC): just before the send, and on
 * entry to the liblo handler that receives the reply. One line per timed trigger goes to OUT:
 *
 *   mode seq status send_to_reply_us reply_after_target_us frame target
 *
 * mode: imm | ts; status: ok | lost | fail; reply_after_target_us (ts only, signed) is the reply
 * time minus the target instant (send time + 20 ms); frame and target are /started's engine
 * frames (latentkit only; target is the frame the server mapped the timetag to, -1 immediate).
 * Fields that do not apply are "-". The timetag is liblo's lo_timetag_now (the system clock)
 * plus 20 ms: client and server share that clock on one host.
 */
#define _POSIX_C_SOURCE 200809L
#include <lo/lo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WARMUP 50
#define AHEAD_NS 20000000LL

static int want_id;
static int got;
static int failed;
static int done;
static int64_t reply_ns;
static int64_t reply_frame;
static int64_t reply_target;
static char fail_reason[256];

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t) t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void on_error(int num, const char *msg, const char *where) {
    fprintf(stderr, "lo_latency: liblo error %d: %s (%s)\n", num, msg, where ? where : "");
}

/* Every reply comes here; the time is taken first, before anything else is looked at. */
static int on_message(const char *path, const char *types, lo_arg **argv, int argc, lo_message msg, void *user) {
    int64_t t = now_ns();
    (void) msg;
    (void) user;
    if (strcmp(path, "/started") == 0 && argc >= 4 && strcmp(types, "iihh") == 0) {
        if (argv[0]->i == want_id) {
            got = 1;
            reply_ns = t;
            reply_frame = argv[2]->h;
            reply_target = argv[3]->h;
        }
    } else if (strcmp(path, "/n_go") == 0 && argc >= 1 && types[0] == 'i') {
        if (argv[0]->i == want_id) {
            got = 1;
            reply_ns = t;
        }
    } else if (strcmp(path, "/fail") == 0 && argc >= 3 && strncmp(types, "sis", 3) == 0) {
        if (argv[1]->i == want_id) {
            failed = 1;
            snprintf(fail_reason, sizeof fail_reason, "%s", &argv[2]->s);
        }
    } else if (strcmp(path, "/done") == 0) {
        done = 1;
    }
    return 0;
}

static lo_timetag ahead(lo_timetag tt, int64_t ns) {
    uint64_t frac = tt.frac + (uint64_t) ((ns % 1000000000LL) * 4294967296.0 / 1e9);
    tt.sec += (uint32_t) (ns / 1000000000LL) + (uint32_t) (frac >> 32);
    tt.frac = (uint32_t) frac;
    return tt;
}

static void pause_ns(int64_t ns) {
    struct timespec t = {ns / 1000000000LL, ns % 1000000000LL};
    while (nanosleep(&t, &t) != 0) {
    }
}

/* Waits up to timeout_ms for got or failed. */
static void await_reply(lo_server s, int timeout_ms) {
    int64_t end = now_ns() + timeout_ms * 1000000LL;
    while (!got && !failed) {
        int64_t left = (end - now_ns()) / 1000000LL;
        if (left <= 0) {
            return;
        }
        lo_server_recv_noblock(s, (int) left);
    }
}

int main(int argc, char **argv) {
    if (argc < 5 || (strcmp(argv[1], "latentkit") != 0 && strcmp(argv[1], "scsynth") != 0)
            || (strcmp(argv[1], "scsynth") == 0 && argc < 6)) {
        fprintf(stderr, "usage: lo_latency latentkit PORT COUNT OUT | lo_latency scsynth PORT COUNT OUT DEFNAME\n");
        return 2;
    }
    int sc = strcmp(argv[1], "scsynth") == 0;
    int count = atoi(argv[3]);
    FILE *out = fopen(argv[4], "w");
    if (out == NULL || count <= 0) {
        fprintf(stderr, "lo_latency: bad COUNT or cannot write %s\n", argv[4]);
        return 2;
    }
    lo_server s = lo_server_new_with_proto(NULL, LO_UDP, on_error);
    lo_address a = lo_address_new("127.0.0.1", argv[2]);
    if (s == NULL || a == NULL) {
        fprintf(stderr, "lo_latency: cannot open a liblo server socket\n");
        return 1;
    }
    lo_server_add_method(s, NULL, NULL, on_message, NULL);
    if (sc) {
        lo_send_from(a, s, LO_TT_IMMEDIATE, "/notify", "i", 1);
        int64_t end = now_ns() + 2000000000LL;
        while (!done && now_ns() < end) {
            lo_server_recv_noblock(s, 100);
        }
        if (!done) {
            fprintf(stderr, "lo_latency: scsynth did not answer /notify 1\n");
            return 1;
        }
    }
    srand(5);
    long lost = 0, fails = 0;
    for (int i = 0; i < WARMUP + 2 * count; i++) {
        pause_ns(3000000LL + (int64_t) (rand() % 2000000));
        int timed = i >= WARMUP + count;
        int id = (sc ? 100000 : 1) + i;
        lo_message m = lo_message_new();
        if (sc) {
            lo_message_add(m, "siiisisfsf", argv[5], id, 0, 0, "buf", i % 12, "amp", 1.0f, "dur", 0.1f);
        } else {
            lo_message_add(m, "ifi", i % 12, 0.8f, id);
        }
        const char *path = sc ? "/s_new" : "/hit";
        want_id = id;
        got = failed = 0;
        int64_t t0 = now_ns();
        int64_t target = t0 + AHEAD_NS;
        if (timed) {
            lo_timetag tt;
            lo_timetag_now(&tt);
            lo_bundle b = lo_bundle_new(ahead(tt, AHEAD_NS));
            lo_bundle_add_message(b, path, m);
            lo_send_bundle_from(a, s, b);
            lo_bundle_free_recursive(b);
        } else {
            lo_send_message_from(a, s, path, m);
            lo_message_free(m);
        }
        await_reply(s, 1000);
        if (i < WARMUP) {
            continue;
        }
        const char *mode = timed ? "ts" : "imm";
        int seq = i - WARMUP - (timed ? count : 0);
        if (got) {
            fprintf(out, "%s %d ok %.1f ", mode, seq, (reply_ns - t0) / 1000.0);
            if (timed) {
                fprintf(out, "%.1f ", (reply_ns - target) / 1000.0);
            } else {
                fprintf(out, "- ");
            }
            if (sc) {
                fprintf(out, "- -\n");
            } else {
                fprintf(out, "%lld %lld\n", (long long) reply_frame, (long long) reply_target);
            }
        } else if (failed) {
            fails++;
            fprintf(out, "%s %d fail - - - - %s\n", mode, seq, fail_reason);
        } else {
            lost++;
            fprintf(out, "%s %d lost - - - -\n", mode, seq);
        }
    }
    fclose(out);
    printf("lo_latency: %d immediate + %d timestamped triggers to %s on port %s; %ld lost, %ld failed\n",
            count, count, argv[1], argv[2], lost, fails);
    lo_address_free(a);
    lo_server_free(s);
    return 0;
}
