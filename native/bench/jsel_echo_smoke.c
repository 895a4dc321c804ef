/*
 * jsel_echo_smoke: ctest's check of jsel_echo_server, so that the floor of the echo comparison cannot
 * rot. Starts the server on a free port, then:
 *   - two connections ping-pong 1000 64-byte messages each, every byte verified;
 *   - one connection streams 8 MiB while reading the echo, so the server's writes come up short and
 *     its pending-reply and backpressure path runs; every byte verified, in order;
 *   - SIGTERM, and the server must exit 0, having served 3 connections without an error.
 * Usage: jsel_echo_smoke PATH-TO-jsel_echo_server. Exits 0 on success; gives up after 60 s.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define MESSAGE 64
#define PINGS 1000
#define STREAM_BYTES (8 * 1024 * 1024)

static void fail(const char *what, int err)
{
    fprintf(stderr, "jsel_echo_smoke: %s%s%s\n", what, err ? ": " : "", err ? strerror(err) : "");
    exit(1);
}

static char pattern(size_t i, int salt)
{
    return (char)('a' + (i * 7 + (size_t)salt * 13) % 26);
}

static int connect_to(int port)
{
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
        fail("connect", errno);
    return fd;
}

static void read_fully(int fd, char *buf, size_t len)
{
    for (size_t got = 0; got < len;) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n <= 0)
            fail(n == 0 ? "the server closed a connection" : "read", n == 0 ? 0 : errno);
        got += (size_t)n;
    }
}

static void ping_pong(int a, int b)
{
    char out[MESSAGE], in[MESSAGE];
    for (int round = 0; round < PINGS; round++) {
        int fds[2] = { a, b };
        for (int k = 0; k < 2; k++) {
            for (size_t i = 0; i < MESSAGE; i++)
                out[i] = pattern(i, round * 2 + k);
            if (write(fds[k], out, MESSAGE) != MESSAGE)
                fail("write", errno);
            read_fully(fds[k], in, MESSAGE);
            if (memcmp(in, out, MESSAGE) != 0)
                fail("a ping came back wrong", 0);
        }
    }
}

/* Writes and reads at once on a non-blocking socket, with a small receive buffer, until all is back. */
static void stream(int fd)
{
    int small = 16 * 1024;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0)
        fail("fcntl", errno);
    static char buf[64 * 1024];
    size_t sent = 0, received = 0;
    while (received < STREAM_BYTES) {
        struct pollfd p = { .fd = fd, .events = POLLIN | (sent < STREAM_BYTES ? POLLOUT : 0) };
        if (poll(&p, 1, 10000) <= 0)
            fail("the stream stalled", 0);
        if ((p.revents & POLLOUT) && sent < STREAM_BYTES) {
            size_t len = STREAM_BYTES - sent < sizeof(buf) ? STREAM_BYTES - sent : sizeof(buf);
            for (size_t i = 0; i < len; i++)
                buf[i] = pattern(sent + i, 7);
            ssize_t n = write(fd, buf, len);
            if (n < 0 && errno != EAGAIN)
                fail("write", errno);
            sent += n > 0 ? (size_t)n : 0;
        }
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = read(fd, buf, sizeof(buf));
            if (n == 0)
                fail("the server closed the stream", 0);
            if (n < 0 && errno != EAGAIN)
                fail("read", errno);
            for (ssize_t i = 0; i < n; i++)
                if (buf[i] != pattern(received + (size_t)i, 7))
                    fail("a streamed byte came back wrong", 0);
            received += n > 0 ? (size_t)n : 0;
        }
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: jsel_echo_smoke PATH-TO-jsel_echo_server\n");
        return 64;
    }
    alarm(60); /* whatever hangs, the test ends */
    signal(SIGPIPE, SIG_IGN);
    int out[2];
    if (pipe(out) < 0)
        fail("pipe", errno);
    pid_t server = fork();
    if (server < 0)
        fail("fork", errno);
    if (server == 0) {
        dup2(out[1], STDOUT_FILENO);
        dup2(out[1], STDERR_FILENO);
        close(out[0]);
        close(out[1]);
        execl(argv[1], argv[1], "--port", "0", (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    char line[256] = { 0 };
    for (size_t got = 0; got < sizeof(line) - 1 && memchr(line, '\n', got) == NULL;) {
        ssize_t n = read(out[0], line + got, sizeof(line) - 1 - got);
        if (n <= 0)
            fail("the server printed no listening line", 0);
        got += (size_t)n;
    }
    const char *colon = strstr(line, "127.0.0.1:");
    int port = colon == NULL ? 0 : atoi(colon + strlen("127.0.0.1:"));
    if (port <= 0)
        fail("no port in the server's listening line", 0);

    int a = connect_to(port), b = connect_to(port), c = connect_to(port);
    ping_pong(a, b);
    stream(c);
    close(a);
    close(b);
    close(c);

    kill(server, SIGTERM);
    int status;
    if (waitpid(server, &status, 0) < 0)
        fail("waitpid", errno);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail("the server did not exit 0 on SIGTERM", 0);
    char summary[512] = { 0 };
    for (size_t got = 0; got < sizeof(summary) - 1;) {
        ssize_t n = read(out[0], summary + got, sizeof(summary) - 1 - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    if (strstr(summary, "3 connections") == NULL || strstr(summary, " 0 errors") == NULL) {
        fprintf(stderr, "jsel_echo_smoke: the server's summary is not 3 connections and 0 errors: %s\n", summary);
        return 1;
    }
    printf("jsel_echo_smoke: ok (2 x %d pings, %d bytes streamed)\n", PINGS, STREAM_BYTES);
    return 0;
}
