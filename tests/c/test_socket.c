/* jsel_socket and friends: every socket call, its error returns, and the layout facts of sockaddr_*. */
#include "check.h"
#include "jsel.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static struct sockaddr_in loopback(uint16_t port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

/* A listening TCP socket on 127.0.0.1 and an ephemeral port, written to *addr. */
static int listener(struct sockaddr_in *addr, int flags)
{
    int fd = jsel_socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | flags, 0);
    CHECK(fd >= 0);
    *addr = loopback(0);
    CHECK_EQ(jsel_bind(fd, addr, sizeof *addr), 0);
    uint32_t len = sizeof *addr;
    CHECK_EQ(jsel_getsockname(fd, addr, &len), 0);
    CHECK_EQ(jsel_listen(fd, 8), 0);
    return fd;
}

/* A connected TCP pair over loopback: fds[0] the client, fds[1] the accepted end. */
static void tcp_pair(int fds[2])
{
    struct sockaddr_in addr;
    int l = listener(&addr, 0);
    fds[0] = jsel_socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK_EQ(jsel_connect(fds[0], &addr, sizeof addr), 0);
    fds[1] = jsel_accept4(l, NULL, NULL, SOCK_CLOEXEC);
    CHECK(fds[1] >= 0);
    close(l);
}

static void socket_is_created_with_the_flags_asked(void)
{
    int fd = jsel_socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    CHECK(fd >= 0);
    CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK);
    close(fd);
    fd = jsel_socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK(fd >= 0);
    CHECK(!(fcntl(fd, F_GETFD) & FD_CLOEXEC)); /* no flag of its own */
    close(fd);
}

static void socket_errors(void)
{
    CHECK_EQ(jsel_socket(12345, SOCK_STREAM, 0), -EAFNOSUPPORT);
    /* Unknown flag bits over a type past SOCK_MAX: EINVAL from the kernel for either reason, and so
     * also under qemu-user, which drops unknown flag bits before the kernel sees them. */
    CHECK_EQ(jsel_socket(AF_INET, 0x3000 | 15, 0), -EINVAL);
    CHECK_EQ(jsel_socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), -EPROTONOSUPPORT);
}

static void socketpair_round_trip_and_errors(void)
{
    int sv[2];
    CHECK_EQ(jsel_socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    CHECK(fcntl(sv[1], F_GETFD) & FD_CLOEXEC);
    char buf[8];
    CHECK_EQ(jsel_send(sv[0], "ping", 4, MSG_NOSIGNAL), 4);
    CHECK_EQ(jsel_recv(sv[1], buf, sizeof buf, 0), 4);
    CHECK(memcmp(buf, "ping", 4) == 0);
    close(sv[0]);
    close(sv[1]);
    CHECK_EQ(jsel_socketpair(AF_INET, SOCK_STREAM, 0, sv), -EOPNOTSUPP);
}

static void bind_listen_accept_connect_tcp(void)
{
    struct sockaddr_in addr;
    int l = listener(&addr, 0);
    CHECK(ntohs(addr.sin_port) != 0);
    int c = jsel_socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK_EQ(jsel_connect(c, &addr, sizeof addr), 0);

    struct sockaddr_storage peer;
    uint32_t len = sizeof peer;
    int a = jsel_accept4(l, &peer, &len, SOCK_CLOEXEC | SOCK_NONBLOCK);
    CHECK(a >= 0);
    CHECK(fcntl(a, F_GETFD) & FD_CLOEXEC);
    CHECK(fcntl(a, F_GETFL) & O_NONBLOCK);
    CHECK_EQ(len, sizeof(struct sockaddr_in));
    CHECK_EQ(peer.ss_family, AF_INET);

    struct sockaddr_in mine, theirs;
    uint32_t mlen = sizeof mine, tlen = sizeof theirs;
    CHECK_EQ(jsel_getsockname(c, &mine, &mlen), 0);
    CHECK_EQ(jsel_getpeername(a, &theirs, &tlen), 0);
    CHECK_EQ(mine.sin_port, theirs.sin_port);
    CHECK_EQ(((struct sockaddr_in *)&peer)->sin_port, mine.sin_port);
    close(a);
    close(c);
    close(l);
}

static void bind_errors(void)
{
    struct sockaddr_in addr;
    int l = listener(&addr, 0);
    int again = jsel_socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK_EQ(jsel_bind(again, &addr, sizeof addr), -EADDRINUSE);
    CHECK_EQ(jsel_bind(l, &addr, sizeof addr), -EINVAL); /* already bound */
    CHECK_EQ(jsel_bind(again, &addr, 3), -EINVAL);       /* too short for the family */
    CHECK_EQ(jsel_bind(19000, &addr, sizeof addr), -EBADF);
    int p[2];
    CHECK_EQ(jsel_pipe2(p, O_CLOEXEC), 0);
    CHECK_EQ(jsel_bind(p[0], &addr, sizeof addr), -ENOTSOCK);
    close(p[0]);
    close(p[1]);
    close(again);
    close(l);
}

static void listen_and_accept_errors(void)
{
    int u = jsel_socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    CHECK_EQ(jsel_listen(u, 1), -EOPNOTSUPP);
    CHECK_EQ(jsel_listen(19000, 1), -EBADF);
    int t = jsel_socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK_EQ(jsel_accept4(t, NULL, NULL, SOCK_CLOEXEC), -EINVAL); /* not listening */
    CHECK_EQ(jsel_accept4(t, NULL, NULL, 0x7fff0000), -EINVAL);
    struct sockaddr_in addr;
    int l = listener(&addr, SOCK_NONBLOCK);
    CHECK_EQ(jsel_accept4(l, NULL, NULL, SOCK_CLOEXEC), -EAGAIN);
    close(l);
    close(t);
    close(u);
}

static void connect_errors(void)
{
    struct sockaddr_in addr;
    int l = listener(&addr, 0);
    close(l); /* nothing listens on that port any more */
    int c = jsel_socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK_EQ(jsel_connect(c, &addr, sizeof addr), -ECONNREFUSED);
    close(c);

    l = listener(&addr, 0);
    c = jsel_socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    int rc = jsel_connect(c, &addr, sizeof addr);
    CHECK(rc == 0 || rc == -EINPROGRESS);
    struct pollfd pfd = { .fd = c, .events = POLLOUT };
    CHECK_EQ(jsel_poll(&pfd, 1, 5000), 1);
    int err = -1;
    uint32_t len = sizeof err;
    CHECK_EQ(jsel_getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len), 0);
    CHECK_EQ(err, 0);
    /* Linux answers the first connect after completion with 0 (it marks the socket connected then),
     * only later ones with EISCONN. */
    CHECK_EQ(jsel_connect(c, &addr, sizeof addr), 0);
    CHECK_EQ(jsel_connect(c, &addr, sizeof addr), -EISCONN);
    close(c);
    close(l);

    int u = jsel_socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un un = { .sun_family = AF_UNIX, .sun_path = "/nonexistent/jselect.sock" };
    CHECK_EQ(jsel_connect(u, &un, sizeof un), -ENOENT);
    close(u);
    CHECK_EQ(jsel_connect(19000, &un, sizeof un), -EBADF);
}

static void recv_send_shutdown_tcp(void)
{
    int fds[2];
    tcp_pair(fds);
    char buf[16];
    CHECK_EQ(jsel_recv(fds[1], buf, sizeof buf, MSG_DONTWAIT), -EAGAIN);
    CHECK_EQ(jsel_send(fds[0], "hello", 5, MSG_NOSIGNAL), 5);
    CHECK_EQ(jsel_recv(fds[1], buf, 2, MSG_PEEK), 2);
    CHECK_EQ(jsel_recv(fds[1], buf, sizeof buf, 0), 5);
    CHECK(memcmp(buf, "hello", 5) == 0);
    CHECK_EQ(jsel_shutdown(fds[0], SHUT_WR), 0);
    CHECK_EQ(jsel_recv(fds[1], buf, sizeof buf, 0), 0); /* end of stream */
    CHECK_EQ(jsel_send(fds[0], "x", 1, MSG_NOSIGNAL), -EPIPE);
    CHECK_EQ(jsel_shutdown(fds[0], 7), -EINVAL);
    CHECK_EQ(jsel_recv(19000, buf, 1, 0), -EBADF);
    CHECK_EQ(jsel_send(19000, buf, 1, 0), -EBADF);
    int t = jsel_socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK_EQ(jsel_shutdown(t, SHUT_RDWR), -ENOTCONN);
    CHECK_EQ(jsel_send(t, "x", 1, MSG_NOSIGNAL), -EPIPE); /* never connected: EPIPE on Linux */
    close(t);
    close(fds[0]);
    close(fds[1]);
}

/* The peer closed with SO_LINGER {1, 0}: an RST instead of a FIN. MSG_NOSIGNAL keeps SIGPIPE away
 * (no handler is installed here: a signal would kill the test). */
static void reset_peer_is_econnreset_then_epipe(void)
{
    int fds[2];
    tcp_pair(fds);
    struct linger lg = { .l_onoff = 1, .l_linger = 0 };
    CHECK_EQ(jsel_setsockopt(fds[1], SOL_SOCKET, SO_LINGER, &lg, sizeof lg), 0);
    close(fds[1]);
    char buf[4];
    struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
    CHECK_EQ(jsel_poll(&pfd, 1, 5000), 1);
    CHECK_EQ(jsel_recv(fds[0], buf, sizeof buf, 0), -ECONNRESET);
    CHECK_EQ(jsel_send(fds[0], "x", 1, MSG_NOSIGNAL), -EPIPE);
    close(fds[0]);
}

static void udp_sendto_recvfrom(void)
{
    int a = jsel_socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int b = jsel_socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in addr = loopback(0);
    CHECK_EQ(jsel_bind(b, &addr, sizeof addr), 0);
    uint32_t len = sizeof addr;
    CHECK_EQ(jsel_getsockname(b, &addr, &len), 0);
    CHECK_EQ(jsel_sendto(a, "dgram", 5, MSG_NOSIGNAL, &addr, sizeof addr), 5);

    char buf[16];
    struct sockaddr_storage from;
    uint32_t flen = sizeof from;
    CHECK_EQ(jsel_recvfrom(b, buf, sizeof buf, 0, &from, &flen), 5);
    CHECK(memcmp(buf, "dgram", 5) == 0);
    CHECK_EQ(flen, sizeof(struct sockaddr_in));
    struct sockaddr_in mine;
    uint32_t mlen = sizeof mine;
    CHECK_EQ(jsel_getsockname(a, &mine, &mlen), 0); /* sendto bound it */
    CHECK_EQ(((struct sockaddr_in *)&from)->sin_port, mine.sin_port);

    CHECK_EQ(jsel_recvfrom(b, buf, sizeof buf, MSG_DONTWAIT, &from, &flen), -EAGAIN);
    CHECK_EQ(jsel_sendto(a, "x", 1, 0, NULL, 0), -EDESTADDRREQ);
    CHECK_EQ(jsel_sendto(a, "x", 1, 0, &addr, 3), -EINVAL);
    CHECK_EQ(jsel_recvfrom(19000, buf, 1, 0, NULL, NULL), -EBADF);
    close(a);
    close(b);
}

static void options_get_and_set(void)
{
    int fd = jsel_socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1, value = 0;
    uint32_t len = sizeof value;
    CHECK_EQ(jsel_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one), 0);
    CHECK_EQ(jsel_getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &value, &len), 0);
    CHECK_EQ(value, 1);
    CHECK_EQ(len, sizeof value);
    CHECK_EQ(jsel_setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one), 0);
    CHECK_EQ(jsel_getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &value, &len), 0);
    CHECK_EQ(value, 1);

    struct linger lg = { .l_onoff = 1, .l_linger = 7 }, got;
    uint32_t glen = sizeof got;
    CHECK_EQ(jsel_setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg), 0);
    CHECK_EQ(jsel_getsockopt(fd, SOL_SOCKET, SO_LINGER, &got, &glen), 0);
    CHECK_EQ(got.l_onoff, 1);
    CHECK_EQ(got.l_linger, 7);

    CHECK_EQ(jsel_setsockopt(fd, SOL_SOCKET, 9999, &one, sizeof one), -ENOPROTOOPT);
    CHECK_EQ(jsel_getsockopt(fd, SOL_SOCKET, 9999, &value, &len), -ENOPROTOOPT);
    CHECK_EQ(jsel_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, 1), -EINVAL); /* shorter than an int */
    CHECK_EQ(jsel_setsockopt(19000, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one), -EBADF);
    CHECK_EQ(jsel_getsockopt(19000, SOL_SOCKET, SO_REUSEADDR, &value, &len), -EBADF);
    close(fd);
}

static void names_and_their_errors(void)
{
    int fd = jsel_socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_storage ss;
    uint32_t len = sizeof ss;
    CHECK_EQ(jsel_getsockname(fd, &ss, &len), 0); /* unbound: 0.0.0.0:0 */
    CHECK_EQ(ss.ss_family, AF_INET);
    len = sizeof ss;
    CHECK_EQ(jsel_getpeername(fd, &ss, &len), -ENOTCONN);
    CHECK_EQ(jsel_getsockname(19000, &ss, &len), -EBADF);
    CHECK_EQ(jsel_getpeername(19000, &ss, &len), -EBADF);
    close(fd);

    /* AF_UNIX: a filesystem name and an abstract one; len tells how much of sun_path is the name. */
    int u = jsel_socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un un = { .sun_family = AF_UNIX };
    memcpy(un.sun_path, "\0jselect-test-abstract", 22);
    CHECK_EQ(jsel_bind(u, &un, (uint32_t)(offsetof(struct sockaddr_un, sun_path) + 22)), 0);
    struct sockaddr_un back;
    len = sizeof back;
    CHECK_EQ(jsel_getsockname(u, &back, &len), 0);
    CHECK_EQ(len, offsetof(struct sockaddr_un, sun_path) + 22);
    CHECK(memcmp(back.sun_path, un.sun_path, 22) == 0);
    close(u);
}

static void fcntl_flags_and_dup(void)
{
    int fd = jsel_socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int flags = jsel_fcntl(fd, F_GETFL, 0);
    CHECK(flags >= 0 && !(flags & O_NONBLOCK));
    CHECK_EQ(jsel_fcntl(fd, F_SETFL, flags | O_NONBLOCK), 0);
    CHECK(jsel_fcntl(fd, F_GETFL, 0) & O_NONBLOCK);
    int dup = jsel_fcntl(fd, F_DUPFD_CLOEXEC, 0);
    CHECK(dup >= 0 && dup != fd);
    CHECK(fcntl(dup, F_GETFD) & FD_CLOEXEC);
    close(dup);
    CHECK_EQ(jsel_fcntl(fd, 0x7fff, 0), -EINVAL);
    close(fd);
    CHECK_EQ(jsel_fcntl(fd, F_GETFL, 0), -EBADF);
}

struct blocked {
    int fd;
    int64_t rc;
};

static void *accept_main(void *arg)
{
    struct blocked *b = arg;
    b->rc = jsel_accept4(b->fd, NULL, NULL, SOCK_CLOEXEC);
    return NULL;
}

static void *recv_main(void *arg)
{
    struct blocked *b = arg;
    char buf[4];
    b->rc = jsel_recv(b->fd, buf, sizeof buf, 0);
    return NULL;
}

/* What Sock.close() relies on: close(2) does not wake a call blocked on the descriptor in another
 * thread, but shutdown(2) does, on a listener (accept4 fails with EINVAL) and even on an unconnected
 * UDP socket (shutdown reports ENOTCONN yet wakes recv, which returns 0). */
static void shutdown_wakes_blocked_calls(void)
{
    struct sockaddr_in addr;
    struct blocked b = { .fd = listener(&addr, 0), .rc = 1 };
    pthread_t t;
    pthread_create(&t, NULL, accept_main, &b);
    usleep(100000);
    CHECK_EQ(jsel_shutdown(b.fd, SHUT_RDWR), 0);
    pthread_join(t, NULL);
    CHECK_EQ(b.rc, -EINVAL);
    close(b.fd);

    b.fd = jsel_socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    addr = loopback(0);
    CHECK_EQ(jsel_bind(b.fd, &addr, sizeof addr), 0);
    b.rc = 1;
    pthread_create(&t, NULL, recv_main, &b);
    usleep(100000);
    CHECK_EQ(jsel_shutdown(b.fd, SHUT_RDWR), -ENOTCONN);
    pthread_join(t, NULL);
    CHECK_EQ(b.rc, 0);
    close(b.fd);
}

static void socket_layouts_match_the_headers(void)
{
    CHECK_EQ(jsel_layout(JSEL_SOCKADDR_STORAGE_SIZE), sizeof(struct sockaddr_storage));
    CHECK_EQ(jsel_layout(JSEL_SOCKADDR_FAMILY_OFFSET), offsetof(struct sockaddr_in, sin_family));
    CHECK_EQ(jsel_layout(JSEL_SOCKADDR_FAMILY_OFFSET), offsetof(struct sockaddr_in6, sin6_family));
    CHECK_EQ(jsel_layout(JSEL_SOCKADDR_FAMILY_OFFSET), offsetof(struct sockaddr_un, sun_family));
    CHECK_EQ(jsel_layout(JSEL_SOCKADDR_IN_SIZE), 16);
    CHECK_EQ(jsel_layout(JSEL_SOCKADDR_IN_PORT_OFFSET), 2);
    CHECK_EQ(jsel_layout(JSEL_SOCKADDR_IN_ADDR_OFFSET), 4);
    CHECK_EQ(jsel_layout(JSEL_SOCKADDR_IN6_SIZE), 28);
    CHECK_EQ(jsel_layout(JSEL_SOCKADDR_IN6_PORT_OFFSET), 2);
    CHECK_EQ(jsel_layout(JSEL_SOCKADDR_IN6_FLOWINFO_OFFSET), 4);
    CHECK_EQ(jsel_layout(JSEL_SOCKADDR_IN6_ADDR_OFFSET), 8);
    CHECK_EQ(jsel_layout(JSEL_SOCKADDR_IN6_SCOPE_ID_OFFSET), 24);
    CHECK_EQ(jsel_layout(JSEL_SOCKADDR_UN_SIZE), sizeof(struct sockaddr_un));
    CHECK_EQ(jsel_layout(JSEL_SOCKADDR_UN_PATH_OFFSET), 2);
    CHECK_EQ(jsel_layout(JSEL_LINGER_SIZE), sizeof(struct linger));
    CHECK_EQ(jsel_layout(JSEL_LINGER_ONOFF_OFFSET), offsetof(struct linger, l_onoff));
    CHECK_EQ(jsel_layout(JSEL_LINGER_LINGER_OFFSET), offsetof(struct linger, l_linger));
}

static void socket_constants_by_name(void)
{
    CHECK_EQ(jsel_constant("AF_INET6"), AF_INET6);
    CHECK_EQ(jsel_constant("SOCK_NONBLOCK"), SOCK_NONBLOCK);
    CHECK_EQ(jsel_constant("SO_LINGER"), SO_LINGER);
    CHECK_EQ(jsel_constant("MSG_NOSIGNAL"), MSG_NOSIGNAL);
    CHECK_EQ(jsel_constant("F_DUPFD_CLOEXEC"), F_DUPFD_CLOEXEC);
}

int main(void)
{
    RUN(socket_is_created_with_the_flags_asked);
    RUN(socket_errors);
    RUN(socketpair_round_trip_and_errors);
    RUN(bind_listen_accept_connect_tcp);
    RUN(bind_errors);
    RUN(listen_and_accept_errors);
    RUN(connect_errors);
    RUN(recv_send_shutdown_tcp);
    RUN(reset_peer_is_econnreset_then_epipe);
    RUN(udp_sendto_recvfrom);
    RUN(options_get_and_set);
    RUN(names_and_their_errors);
    RUN(fcntl_flags_and_dup);
    RUN(shutdown_wakes_blocked_calls);
    RUN(socket_layouts_match_the_headers);
    RUN(socket_constants_by_name);
    return CHECK_EXIT();
}
