/*
 * jsel_echo_server: the C floor of the echo comparison (java/jselect-benchmarks/run-echo.sh). A plain
 * echo server on level-triggered epoll, written as a careful C programmer would, so that what the
 * Java servers spend beyond it is what Java, the binding and their own code add:
 *
 *   - one epoll_wait per batch of up to 256 events (EpollEchoLoop's EventBuffer holds as many);
 *   - per readable event one read(2) into a 64 KiB buffer (as jselect's EchoLoop), and no second read
 *     just to see EAGAIN, unless the read filled the buffer: level-triggered epoll reports the rest;
 *   - the bytes written straight back; what the kernel does not take is kept, the connection then
 *     watched for EPOLLOUT only (backpressure: it is not read until its reply is out), and the
 *     epoll_ctl calls are only those that change a mask;
 *   - up to 64 accept4 per readable event on the listener (as jselect's EchoLoop: one starves the
 *     listener behind thousands of busy connections), TCP_NODELAY on each connection, as the other
 *     servers set it.
 *
 * Like with like: a JVM always runs many threads, so its descriptor table is shared, and the kernel
 * then takes a reference on every file a system call looks up (fdget's slow path) where a
 * single-threaded process skips it. So a second thread stays alive, blocked, by default, as in
 * jsel_floor; --threads 1 shows the single-threaded figure.
 *
 * Prints "jsel_echo_server: listening on 127.0.0.1:PORT" on stdout once it listens (--port 0: any free
 * port), runs until SIGINT or SIGTERM, then prints a summary on stderr and exits 0.
 */
#define _GNU_SOURCE
#include "bench_args.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUFFER_SIZE (64 * 1024)
#define MAX_EVENTS 256
/* Level-triggered, the listener fires again while more wait; one per event was too few under load. */
#define ACCEPTS_PER_EVENT 64

struct options {
    const char *host;
    int port;
    int backlog;
    int threads;
};

struct conn {
    struct conn *prev, *next; /* every open connection, so that a stop frees them all */
    int fd;
    char *pending;       /* reply bytes the kernel did not take, or NULL */
    size_t pending_len;
    size_t pending_off;
};

struct stats {
    unsigned long long accepted;
    unsigned long long reads;
    unsigned long long bytes;
    unsigned long long resets;   /* ECONNRESET or EPIPE: a client gone with a reply in flight */
    unsigned long long errors;
};

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void die(const char *what, int err)
{
    fprintf(stderr, "jsel_echo_server: %s: %s\n", what, strerror(err));
    exit(1);
}

static long parse_long(const char *flag, const char *value, long min, long max)
{
    return bench_parse_long("jsel_echo_server", flag, value, min, max);
}

static void usage(FILE *out)
{
    fprintf(out, "usage: jsel_echo_server [--host ADDR] [--port PORT] [--backlog N] [--threads 1|2]\n"
                 "  --host ADDR     IPv4 address to bind (default 127.0.0.1)\n"
                 "  --port PORT     0 for any free port (default 8888)\n"
                 "  --backlog N     listen(2)'s backlog (default 1024, as the nio and Netty servers)\n"
                 "  --threads 1|2   2 (default) keeps a second thread alive, as in any JVM\n");
}

static struct options parse_options(int argc, char **argv)
{
    struct options o = { .host = "127.0.0.1", .port = 8888, .backlog = 1024, .threads = 2 };
    for (int i = 1; i < argc; i++) {
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--host") == 0 && value != NULL)
            o.host = value;
        else if (strcmp(argv[i], "--port") == 0)
            o.port = (int)parse_long(argv[i], value, 0, 65535);
        else if (strcmp(argv[i], "--backlog") == 0)
            o.backlog = (int)parse_long(argv[i], value, 1, 65535);
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

/* Only alive, never busy; signals go to the main thread, which blocked them before creating this one. */
static void *idle_thread(void *arg)
{
    (void)arg;
    for (;;)
        pause();
    return NULL;
}

static int listen_on(const struct options *o)
{
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)o->port) };
    if (inet_pton(AF_INET, o->host, &addr.sin_addr) != 1) {
        fprintf(stderr, "jsel_echo_server: --host must be an IPv4 address, got '%s'\n", o->host);
        exit(64);
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0)
        die("socket", errno);
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
        die("setsockopt(SO_REUSEADDR)", errno);
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
        die("bind", errno);
    if (listen(fd, o->backlog) < 0)
        die("listen", errno);
    socklen_t len = sizeof(addr);
    if (getsockname(fd, (struct sockaddr *)&addr, &len) < 0)
        die("getsockname", errno);
    printf("jsel_echo_server: listening on %s:%d (pid %d, %d threads)\n", o->host, ntohs(addr.sin_port),
           (int)getpid(), o->threads);
    fflush(stdout);
    return fd;
}

static struct conn *open_conns;

static void drop(int epfd, struct conn *c)
{
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        open_conns = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c->pending);
    free(c);
}

/* Returns 0 when nothing more is pending (or accepting failed), 1 when it accepted one. */
static int accept_one(int epfd, int listener, struct stats *st)
{
    int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
        if (errno == ECONNABORTED || errno == EINTR)
            return 1; /* that one is lost; others may wait */
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            st->errors++;
            fprintf(stderr, "jsel_echo_server: accept4: %s\n", strerror(errno));
            if (errno == EMFILE || errno == ENFILE)
                usleep(50 * 1000); /* the listener stays readable: do not spin while out of descriptors */
        }
        return 0;
    }
    int one = 1;
    struct conn *c = calloc(1, sizeof(*c));
    if (c == NULL || setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0) {
        st->errors++;
        free(c);
        close(fd);
        return 1;
    }
    c->fd = fd;
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
        st->errors++;
        close(fd);
        free(c);
        return 1;
    }
    c->next = open_conns;
    if (open_conns != NULL)
        open_conns->prev = c;
    open_conns = c;
    st->accepted++;
    return 1;
}

static void on_acceptable(int epfd, int listener, struct stats *st)
{
    for (int budget = ACCEPTS_PER_EVENT; budget > 0 && accept_one(epfd, listener, st); budget--)
        ;
}

/* Watches c for reading only (nothing pending) or for writing only (a reply waits). */
static int watch(int epfd, struct conn *c, uint32_t events)
{
    struct epoll_event ev = { .events = events, .data.ptr = c };
    return epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

/* What a failed read or write means: 0 try later, 1 the client is gone, -1 an error. */
static int failure(int err, struct stats *st)
{
    if (err == EAGAIN || err == EWOULDBLOCK || err == EINTR)
        return 0;
    if (err == ECONNRESET || err == EPIPE) {
        st->resets++;
        return 1;
    }
    return -1;
}

/* Returns 0, 1 when the client is gone, or -1 when c must be dropped for an error. */
static int on_writable(int epfd, struct conn *c, struct stats *st)
{
    ssize_t n = write(c->fd, c->pending + c->pending_off, c->pending_len - c->pending_off);
    if (n < 0)
        return failure(errno, st);
    c->pending_off += (size_t)n;
    if (c->pending_off < c->pending_len)
        return 0;
    free(c->pending);
    c->pending = NULL;
    c->pending_len = c->pending_off = 0;
    return watch(epfd, c, EPOLLIN);
}

/* Returns 0, 1 when the client is gone, or -1 when c must be dropped for an error. */
static int on_readable(int epfd, struct conn *c, char *buffer, struct stats *st)
{
    for (;;) {
        ssize_t n = read(c->fd, buffer, BUFFER_SIZE);
        if (n == 0)
            return 1;
        if (n < 0)
            return failure(errno, st);
        st->reads++;
        st->bytes += (unsigned long long)n;
        ssize_t sent = write(c->fd, buffer, (size_t)n);
        if (sent < 0) {
            int rc = failure(errno, st);
            if (rc != 0)
                return rc;
            sent = 0;
        }
        if (sent < n) {
            c->pending_len = (size_t)(n - sent);
            c->pending_off = 0;
            c->pending = malloc(c->pending_len);
            if (c->pending == NULL)
                return -1;
            memcpy(c->pending, buffer + sent, c->pending_len);
            return watch(epfd, c, EPOLLOUT);
        }
        if (n < BUFFER_SIZE)
            return 0; /* level-triggered: whatever arrives later is reported again */
    }
}

static void serve(int listener, struct stats *st)
{
    int epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0)
        die("epoll_create1", errno);
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, listener, &ev) < 0)
        die("epoll_ctl(listener)", errno);
    static char buffer[BUFFER_SIZE];
    struct epoll_event events[MAX_EVENTS];
    while (!stop_requested) {
        int n = epoll_wait(epfd, events, MAX_EVENTS, -1);
        if (n < 0) {
            if (errno == EINTR)
                continue; /* a stop signal: the loop condition says */
            die("epoll_wait", errno);
        }
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            if (c == NULL) {
                on_acceptable(epfd, listener, st);
                continue;
            }
            int rc = 0;
            if (c->pending != NULL)
                rc = events[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP) ? on_writable(epfd, c, st) : 0;
            else if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
                rc = on_readable(epfd, c, buffer, st);
            if (rc < 0)
                st->errors++;
            if (rc != 0)
                drop(epfd, c);
        }
    }
    /* Clients that had not hung up yet when the stop came: freed, so that LeakSanitizer sees none. */
    while (open_conns != NULL)
        drop(epfd, open_conns);
    close(epfd);
}

int main(int argc, char **argv)
{
    struct options o = parse_options(argc, argv);
    struct sigaction sa = { .sa_handler = on_stop_signal };
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0)
        die("sigaction", errno);
    signal(SIGPIPE, SIG_IGN); /* a client gone mid-reply is an EPIPE from write, not a death */

    if (o.threads == 2) {
        sigset_t all, old;
        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, &old);
        pthread_t thread;
        int rc = pthread_create(&thread, NULL, idle_thread, NULL);
        if (rc != 0)
            die("pthread_create", rc);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }

    int listener = listen_on(&o);
    struct stats st = { 0 };
    serve(listener, &st);
    close(listener);
    fprintf(stderr, "jsel_echo_server: stopped: %llu connections, %llu reads, %llu bytes echoed, %llu resets, "
            "%llu errors\n", st.accepted, st.reads, st.bytes, st.resets, st.errors);
    return 0;
}
