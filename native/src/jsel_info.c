/* Facts the Java layer reads from C rather than hard-coding: struct layouts, constants, strerror. */
#define _GNU_SOURCE
#include "jsel.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>

int jsel_layout(int which)
{
    switch (which) {
    /* 12 bytes on x86_64, where the struct is packed; 16 on aarch64 and most others. */
    case JSEL_EPOLL_EVENT_SIZE: return (int)sizeof(struct epoll_event);
    case JSEL_EPOLL_EVENT_EVENTS_OFFSET: return (int)offsetof(struct epoll_event, events);
    case JSEL_EPOLL_EVENT_DATA_OFFSET: return (int)offsetof(struct epoll_event, data);
    case JSEL_POLLFD_SIZE: return (int)sizeof(struct pollfd);
    case JSEL_POLLFD_FD_OFFSET: return (int)offsetof(struct pollfd, fd);
    case JSEL_POLLFD_EVENTS_OFFSET: return (int)offsetof(struct pollfd, events);
    case JSEL_POLLFD_REVENTS_OFFSET: return (int)offsetof(struct pollfd, revents);
    case JSEL_SOCKADDR_STORAGE_SIZE: return (int)sizeof(struct sockaddr_storage);
    case JSEL_SOCKADDR_FAMILY_OFFSET: return (int)offsetof(struct sockaddr, sa_family);
    case JSEL_SOCKADDR_IN_SIZE: return (int)sizeof(struct sockaddr_in);
    case JSEL_SOCKADDR_IN_PORT_OFFSET: return (int)offsetof(struct sockaddr_in, sin_port);
    case JSEL_SOCKADDR_IN_ADDR_OFFSET: return (int)offsetof(struct sockaddr_in, sin_addr);
    case JSEL_SOCKADDR_IN6_SIZE: return (int)sizeof(struct sockaddr_in6);
    case JSEL_SOCKADDR_IN6_PORT_OFFSET: return (int)offsetof(struct sockaddr_in6, sin6_port);
    case JSEL_SOCKADDR_IN6_FLOWINFO_OFFSET: return (int)offsetof(struct sockaddr_in6, sin6_flowinfo);
    case JSEL_SOCKADDR_IN6_ADDR_OFFSET: return (int)offsetof(struct sockaddr_in6, sin6_addr);
    case JSEL_SOCKADDR_IN6_SCOPE_ID_OFFSET: return (int)offsetof(struct sockaddr_in6, sin6_scope_id);
    case JSEL_SOCKADDR_UN_SIZE: return (int)sizeof(struct sockaddr_un);
    case JSEL_SOCKADDR_UN_PATH_OFFSET: return (int)offsetof(struct sockaddr_un, sun_path);
    case JSEL_LINGER_SIZE: return (int)sizeof(struct linger);
    case JSEL_LINGER_ONOFF_OFFSET: return (int)offsetof(struct linger, l_onoff);
    case JSEL_LINGER_LINGER_OFFSET: return (int)offsetof(struct linger, l_linger);
    default: return -EINVAL;
    }
}

#define C(name) { #name, (int32_t)(name) }
static const struct { const char *name; int32_t value; } constants[] = {
    C(EPERM), C(ENOENT), C(EINTR), C(EIO), C(EBADF), C(EAGAIN), C(EWOULDBLOCK), C(ENOMEM), C(EACCES),
    C(EEXIST), C(EINVAL), C(ENFILE), C(EMFILE), C(EPIPE), C(ENOSYS), C(ELOOP), C(ENOTSOCK),
    C(EADDRINUSE), C(EADDRNOTAVAIL), C(ENETUNREACH), C(ECONNABORTED), C(ECONNRESET), C(ENOTCONN),
    C(ETIMEDOUT), C(ECONNREFUSED), C(EHOSTUNREACH), C(EALREADY), C(EINPROGRESS), C(ENOBUFS),
    C(EAFNOSUPPORT), C(EPROTONOSUPPORT), C(EOPNOTSUPP), C(EISCONN), C(EDESTADDRREQ), C(EMSGSIZE),
    C(POLLIN), C(POLLPRI), C(POLLOUT), C(POLLERR), C(POLLHUP), C(POLLNVAL), C(POLLRDHUP),
    C(POLLRDNORM), C(POLLRDBAND), C(POLLWRNORM), C(POLLWRBAND), C(POLLMSG),
    C(EPOLLIN), C(EPOLLPRI), C(EPOLLOUT), C(EPOLLERR), C(EPOLLHUP), C(EPOLLRDHUP), C(EPOLLRDNORM),
    C(EPOLLRDBAND), C(EPOLLWRNORM), C(EPOLLWRBAND), C(EPOLLMSG), C(EPOLLET), C(EPOLLONESHOT),
    C(EPOLLEXCLUSIVE), C(EPOLLWAKEUP), C(EPOLL_CLOEXEC), C(EPOLL_CTL_ADD), C(EPOLL_CTL_MOD),
    C(EPOLL_CTL_DEL), C(EFD_CLOEXEC), C(EFD_NONBLOCK), C(EFD_SEMAPHORE), C(O_CLOEXEC), C(O_NONBLOCK),
    C(F_GETFD), C(F_GETFL), C(F_SETFL), C(F_DUPFD_CLOEXEC),
    C(AF_UNIX), C(AF_INET), C(AF_INET6), C(SOCK_STREAM), C(SOCK_DGRAM), C(SOCK_CLOEXEC), C(SOCK_NONBLOCK),
    C(SOL_SOCKET), C(SO_REUSEADDR), C(SO_REUSEPORT), C(SO_KEEPALIVE), C(SO_RCVBUF), C(SO_SNDBUF),
    C(SO_LINGER), C(SO_ERROR), C(SO_TYPE), C(SO_DOMAIN), C(SO_ACCEPTCONN), C(IPPROTO_TCP), C(IPPROTO_UDP),
    C(IPPROTO_IPV6), C(TCP_NODELAY), C(IPV6_V6ONLY), C(SHUT_RD), C(SHUT_WR), C(SHUT_RDWR), C(MSG_OOB),
    C(MSG_PEEK), C(MSG_DONTWAIT), C(MSG_WAITALL), C(MSG_TRUNC), C(MSG_NOSIGNAL),
};
#undef C

int32_t jsel_constant(const char *name)
{
    for (size_t i = 0; i < sizeof constants / sizeof constants[0]; i++)
        if (strcmp(constants[i].name, name) == 0)
            return constants[i].value;
    return INT32_MIN;
}

void jsel_strerror(int errnum, char *buf, size_t len)
{
    if (len == 0)
        return;
#ifdef __GLIBC__
    /* GNU strerror_r may return a static string instead of filling buf. */
    const char *msg = strerror_r(errnum, buf, len);
    if (msg != buf) {
        strncpy(buf, msg, len - 1);
        buf[len - 1] = '\0';
    }
#else
    /* Elsewhere (musl) strerror_r is POSIX's: it fills buf, truncating with ERANGE, and returns 0 even
     * for an unknown number ("No error information"); any other failure leaves buf unspecified. */
    int rc = strerror_r(errnum, buf, len);
    if (rc != 0 && rc != ERANGE)
        snprintf(buf, len, "Unknown error %d", errnum);
#endif
}
