/* Sockets: socket, socketpair, bind, listen, accept4, connect, recv, recvfrom, send, sendto, shutdown,
 * setsockopt, getsockopt, getsockname, getpeername, and fcntl for the descriptor flags. */
#define _GNU_SOURCE
#include "jsel.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>

/* The Java layer reads a socklen_t as a 32-bit int and sa_family_t as a 16-bit short: true of every
 * Linux ABI, and checked here rather than assumed. */
_Static_assert(sizeof(socklen_t) == sizeof(uint32_t), "socklen_t is not 32 bits");
_Static_assert(sizeof(sa_family_t) == 2, "sa_family_t is not 16 bits");

int jsel_socket(int domain, int type, int protocol)
{
    int rc = socket(domain, type, protocol);
    return rc < 0 ? -errno : rc;
}

int jsel_socketpair(int domain, int type, int protocol, int fds[2])
{
    int rc = socketpair(domain, type, protocol, fds);
    return rc < 0 ? -errno : 0;
}

int jsel_bind(int fd, const void *addr, uint32_t addrlen)
{
    int rc = bind(fd, (const struct sockaddr *)addr, addrlen);
    return rc < 0 ? -errno : 0;
}

int jsel_listen(int fd, int backlog)
{
    int rc = listen(fd, backlog);
    return rc < 0 ? -errno : 0;
}

int jsel_accept4(int fd, void *addr, uint32_t *addrlen, int flags)
{
    int rc = accept4(fd, (struct sockaddr *)addr, addrlen, flags);
    return rc < 0 ? -errno : rc;
}

int jsel_connect(int fd, const void *addr, uint32_t addrlen)
{
    int rc = connect(fd, (const struct sockaddr *)addr, addrlen);
    return rc < 0 ? -errno : 0;
}

int64_t jsel_recv(int fd, void *buf, size_t len, int flags)
{
    ssize_t n = recv(fd, buf, len, flags);
    return n < 0 ? -errno : (int64_t)n;
}

int64_t jsel_recvfrom(int fd, void *buf, size_t len, int flags, void *addr, uint32_t *addrlen)
{
    ssize_t n = recvfrom(fd, buf, len, flags, (struct sockaddr *)addr, addrlen);
    return n < 0 ? -errno : (int64_t)n;
}

int64_t jsel_send(int fd, const void *buf, size_t len, int flags)
{
    ssize_t n = send(fd, buf, len, flags);
    return n < 0 ? -errno : (int64_t)n;
}

int64_t jsel_sendto(int fd, const void *buf, size_t len, int flags, const void *addr, uint32_t addrlen)
{
    ssize_t n = sendto(fd, buf, len, flags, (const struct sockaddr *)addr, addrlen);
    return n < 0 ? -errno : (int64_t)n;
}

int jsel_shutdown(int fd, int how)
{
    int rc = shutdown(fd, how);
    return rc < 0 ? -errno : 0;
}

int jsel_setsockopt(int fd, int level, int name, const void *value, uint32_t len)
{
    int rc = setsockopt(fd, level, name, value, len);
    return rc < 0 ? -errno : 0;
}

int jsel_getsockopt(int fd, int level, int name, void *value, uint32_t *len)
{
    int rc = getsockopt(fd, level, name, value, len);
    return rc < 0 ? -errno : 0;
}

int jsel_getsockname(int fd, void *addr, uint32_t *addrlen)
{
    int rc = getsockname(fd, (struct sockaddr *)addr, addrlen);
    return rc < 0 ? -errno : 0;
}

int jsel_getpeername(int fd, void *addr, uint32_t *addrlen)
{
    int rc = getpeername(fd, (struct sockaddr *)addr, addrlen);
    return rc < 0 ? -errno : 0;
}

int jsel_fcntl(int fd, int cmd, int arg)
{
    int rc = fcntl(fd, cmd, arg);
    return rc < 0 ? -errno : rc;
}
