/*
 * jsel_floor: the C floor of jselect's per-call benchmarks (java/jselect-benchmarks). It times, in a
 * loop, the calls the JMH benchmarks make through Java: epoll_wait with timeout 0 on an empty set and
 * with registered descriptors one of which is ready, and select and poll over idle descriptors plus
 * one ready. What Java adds on top of these numbers is the cost of jselect (JNI or JNA, and policy).
 *
 * Like with like: a JVM always runs many threads, so its descriptor table is shared, and the kernel
 * then takes a reference on every file it looks up (fdget's slow path) instead of skipping it as it
 * does in a single-threaded process. So a second thread stays alive, blocked, while timing
 * (--threads 1 shows the single-threaded figure, for curiosity, not for the comparison).
 *
 * Every call's result is checked (the ready descriptor must be reported, no other), so a broken
 * fixture fails loudly instead of timing the wrong thing. Output: one JSON object per line,
 *   {"bench":"poll","idle":100,"threads":2,"ns_per_call":1234.5,"min_ns":...,"max_ns":...,"reps":5,"calls":...}
 * where ns_per_call is the median of the repetitions; "keys" (registered descriptors, one ready;
 * 0 = empty set) is the parameter of epoll_wait, "idle" (idle descriptors, plus one ready) that of
 * select and poll, the same parameters as the JMH benchmarks.
 */
#define _GNU_SOURCE
#include "jsel.h"
#include "bench_args.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#define MAX_REPS 100
/* Calls between two clock reads: the clock costs ~20 ns, so it adds < 1 ns per call. */
#define BATCH 64
/* epoll_wait's maxevents; the Java benchmarks use the same capacity. */
#define MAX_EVENTS 16
#define BITS_PER_WORD (CHAR_BIT * sizeof(unsigned long))

struct options {
    int reps;
    long rep_ms;
    long warmup_ms;
    int threads;
};

/* The descriptors of one case: idle pipes, then the ready one (a byte written, never read). The
 * ready descriptor comes last so that select and poll scan every idle one before finding it. */
struct fixture {
    int npipes;
    int (*pipes)[2];
    int *fds;                 /* the read ends, in order */
    int expected;             /* the ready count every call must return */
    int ready_fd;             /* the ready descriptor, -1 when none is */
    int epfd;
    struct epoll_event events[MAX_EVENTS];
    struct pollfd *pollfds;
    int *work_fds;            /* jsel_select's scratch copy: it overwrites the entries not ready */
    size_t words;             /* of a select fd set sized to the largest descriptor */
    unsigned long *set;       /* the read set, built once */
    unsigned long *work_set;  /* select overwrites its sets: a copy per call, as any C caller does */
    int maxfd;
};

typedef int (*call_fn)(struct fixture *f);

static void die(const char *what, int err)
{
    fprintf(stderr, "jsel_floor: %s: %s\n", what, strerror(err));
    exit(1);
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n == 0 ? 1 : n, size);
    if (p == NULL)
        die("calloc", ENOMEM);
    return p;
}

static void fixture_open(struct fixture *f, int idle, int ready)
{
    memset(f, 0, sizeof(*f));
    f->npipes = idle + ready;
    f->expected = ready;
    f->epfd = -1;
    f->pipes = xcalloc((size_t)f->npipes, sizeof(*f->pipes));
    f->fds = xcalloc((size_t)f->npipes, sizeof(int));
    f->work_fds = xcalloc((size_t)f->npipes, sizeof(int));
    f->pollfds = xcalloc((size_t)f->npipes, sizeof(struct pollfd));
    f->maxfd = -1;
    f->ready_fd = -1;
    for (int i = 0; i < f->npipes; i++) {
        int rc = jsel_pipe2(f->pipes[i], O_CLOEXEC | O_NONBLOCK);
        if (rc < 0)
            die("pipe2 (is the open-file limit high enough?)", -rc);
        f->fds[i] = f->pipes[i][0];
        if (i >= idle)
            f->ready_fd = f->fds[i];
        f->pollfds[i] = (struct pollfd){ .fd = f->fds[i], .events = POLLIN };
        if (f->fds[i] > f->maxfd)
            f->maxfd = f->fds[i];
        if (i >= idle && (rc = (int)jsel_write(f->pipes[i][1], "x", 1)) != 1)
            die("write", rc < 0 ? -rc : EIO);
    }
    f->words = f->maxfd < 0 ? 1 : (size_t)f->maxfd / BITS_PER_WORD + 1;
    f->set = xcalloc(f->words, sizeof(unsigned long));
    f->work_set = xcalloc(f->words, sizeof(unsigned long));
    for (int i = 0; i < f->npipes; i++)
        f->set[(unsigned)f->fds[i] / BITS_PER_WORD] |= 1UL << ((unsigned)f->fds[i] % BITS_PER_WORD);
    f->epfd = jsel_epoll_create1(EPOLL_CLOEXEC);
    if (f->epfd < 0)
        die("epoll_create1", -f->epfd);
    for (int i = 0; i < f->npipes; i++) {
        int rc = jsel_epoll_ctl(f->epfd, EPOLL_CTL_ADD, f->fds[i], EPOLLIN, (uint64_t)f->fds[i]);
        if (rc < 0)
            die("epoll_ctl", -rc);
    }
}

static void fixture_close(struct fixture *f)
{
    for (int i = 0; i < f->npipes; i++) {
        close(f->pipes[i][0]);
        close(f->pipes[i][1]);
    }
    if (f->epfd >= 0)
        close(f->epfd);
    free(f->pipes);
    free(f->fds);
    free(f->work_fds);
    free(f->pollfds);
    free(f->set);
    free(f->work_set);
}

/* ---------------------------------------------------------------------------------- the calls */
/* Each returns how many descriptors it found ready, reading the results as a caller must. */

static int call_epoll_wait(struct fixture *f)
{
    int n = jsel_epoll_wait(f->epfd, f->events, MAX_EVENTS, 0);
    int ready = 0;
    for (int i = 0; i < n; i++)
        ready += (f->events[i].events & EPOLLIN) && (int)f->events[i].data.u64 == f->ready_fd;
    return n < 0 ? n : ready;
}

static int call_poll(struct fixture *f)
{
    int n = jsel_poll(f->pollfds, f->npipes, 0);
    int ready = 0;
    for (int i = 0; i < f->npipes && ready < n; i++)
        ready += f->pollfds[i].revents != 0;
    return n < 0 ? n : ready;
}

/* select(2) as a C program calls it: a prebuilt set copied (select overwrites it), then scanned. */
static int call_select(struct fixture *f)
{
    memcpy(f->work_set, f->set, f->words * sizeof(unsigned long));
    struct timeval zero = { 0, 0 };
    int n = select(f->maxfd + 1, (fd_set *)f->work_set, NULL, NULL, &zero);
    if (n < 0)
        return -errno;
    int ready = 0;
    for (int i = 0; i < f->npipes && ready < n; i++)
        ready += (int)((f->work_set[(unsigned)f->fds[i] / BITS_PER_WORD]
                        >> ((unsigned)f->fds[i] % BITS_PER_WORD)) & 1UL);
    return ready;
}

/* jselect's own C core, as the JNI binding calls it: builds the sets from the list on every call. */
static int call_jsel_select(struct fixture *f)
{
    memcpy(f->work_fds, f->fds, (size_t)f->npipes * sizeof(int));
    return jsel_select(f->work_fds, f->npipes, 0, 0, 0);
}

/* ----------------------------------------------------------------------------------- timing */

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void check_result(const char *bench, int got, int expected)
{
    if (got != expected) {
        fprintf(stderr, "jsel_floor: %s found %d ready descriptors, expected %d%s%s\n", bench, got, expected,
                got < 0 ? ": " : "", got < 0 ? strerror(-got) : "");
        exit(2);
    }
}

/* Calls in batches for at least ms milliseconds (one batch when ms is 0): the nanoseconds per call. */
static double run_for(const char *bench, call_fn call, struct fixture *f, long ms, long long *calls)
{
    long long start = now_ns(), deadline = start + ms * 1000000LL, t, n = 0;
    do {
        for (int i = 0; i < BATCH; i++)
            check_result(bench, call(f), f->expected);
        n += BATCH;
        t = now_ns();
    } while (t < deadline);
    *calls += n;
    return (double)(t - start) / (double)n;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void run_case(const struct options *o, const char *bench, const char *param, int n, call_fn call,
                     int idle, int ready)
{
    struct fixture f;
    fixture_open(&f, idle, ready);
    long long calls = 0, warmup_calls = 0;
    run_for(bench, call, &f, o->warmup_ms, &warmup_calls);
    double per_rep[MAX_REPS];
    for (int r = 0; r < o->reps; r++)
        per_rep[r] = run_for(bench, call, &f, o->rep_ms, &calls);
    fixture_close(&f);
    qsort(per_rep, (size_t)o->reps, sizeof(double), compare_doubles);
    double median = o->reps % 2 ? per_rep[o->reps / 2]
                                : (per_rep[o->reps / 2 - 1] + per_rep[o->reps / 2]) / 2;
    printf("{\"bench\":\"%s\",\"%s\":%d,\"threads\":%d,\"ns_per_call\":%.1f,\"min_ns\":%.1f,"
           "\"max_ns\":%.1f,\"reps\":%d,\"calls\":%lld}\n",
           bench, param, n, o->threads, median, per_rep[0], per_rep[o->reps - 1], o->reps, calls);
    fflush(stdout);
}

/* ------------------------------------------------------------------- the second thread, setup */

static int idle_thread_pipe[2];

/* Only alive, never busy: blocked in read(2) until main closes the write end. */
static void *idle_thread(void *arg)
{
    (void)arg;
    char c;
    while (read(idle_thread_pipe[0], &c, 1) < 0 && errno == EINTR) {
    }
    return NULL;
}

/* The biggest case holds 2 * 1001 pipe ends: raise the soft open-file limit to the hard one. */
static void raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static long parse_long(const char *flag, const char *value, long min, long max)
{
    return bench_parse_long("jsel_floor", flag, value, min, max);
}

static void usage(FILE *out)
{
    fprintf(out, "usage: jsel_floor [--reps N] [--rep-ms MS] [--warmup-ms MS] [--threads 1|2]\n"
                 "  times epoll_wait, poll, select and jsel_select with timeout 0; one JSON line per case.\n"
                 "  --reps N        repetitions per case, the median is reported (default 5, max %d)\n"
                 "  --rep-ms MS     length of a repetition (default 200; 0: one batch of %d calls)\n"
                 "  --warmup-ms MS  untimed calls before the repetitions (default 200)\n"
                 "  --threads 1|2   2 (default) keeps a second thread alive, as in any JVM\n",
            MAX_REPS, BATCH);
}

static struct options parse_options(int argc, char **argv)
{
    struct options o = { .reps = 5, .rep_ms = 200, .warmup_ms = 200, .threads = 2 };
    for (int i = 1; i < argc; i++) {
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--reps") == 0)
            o.reps = (int)parse_long(argv[i], value, 1, MAX_REPS);
        else if (strcmp(argv[i], "--rep-ms") == 0)
            o.rep_ms = parse_long(argv[i], value, 0, 60000);
        else if (strcmp(argv[i], "--warmup-ms") == 0)
            o.warmup_ms = parse_long(argv[i], value, 0, 60000);
        else if (strcmp(argv[i], "--threads") == 0)
            o.threads = (int)parse_long(argv[i], value, 1, 2);
        else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            exit(0);
        } else {
            usage(stderr);
            exit(64);
        }
        i++;
    }
    return o;
}

int main(int argc, char **argv)
{
    struct options o = parse_options(argc, argv);
    raise_fd_limit();

    pthread_t thread;
    if (o.threads == 2) {
        if (pipe(idle_thread_pipe) != 0)
            die("pipe", errno);
        int rc = pthread_create(&thread, NULL, idle_thread, NULL);
        if (rc != 0)
            die("pthread_create", rc);
    }

    static const int keys[] = { 0, 1, 100, 1000 };
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        run_case(&o, "epoll_wait", "keys", keys[i], call_epoll_wait, keys[i] > 0 ? keys[i] - 1 : 0,
                 keys[i] > 0);
    static const int idle[] = { 1, 100, 1000 };
    for (size_t i = 0; i < sizeof(idle) / sizeof(idle[0]); i++)
        run_case(&o, "poll", "idle", idle[i], call_poll, idle[i], 1);
    for (size_t i = 0; i < sizeof(idle) / sizeof(idle[0]); i++)
        run_case(&o, "select", "idle", idle[i], call_select, idle[i], 1);
    for (size_t i = 0; i < sizeof(idle) / sizeof(idle[0]); i++)
        run_case(&o, "jsel_select", "idle", idle[i], call_jsel_select, idle[i], 1);

    if (o.threads == 2) {
        close(idle_thread_pipe[1]);
        pthread_join(thread, NULL);
        close(idle_thread_pipe[0]);
    }
    return 0;
}
