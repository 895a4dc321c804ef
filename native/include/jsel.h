/*
 * jselect core: one thin function per system call.
 *
 * Every function returns >= 0 on success or -errno on failure. None prints, retries on EINTR, or
 * allocates beyond what the call itself needs: retry, timeouts and error reporting are policy, and
 * policy lives once, in Java (io.jselect.internal.Syscalls), shared by every backend.
 */
#ifndef JSEL_H
#define JSEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* --- select(2) ------------------------------------------------------------------------------------
 * fds holds nread + nwrite + nexcept descriptors: the read list, then the write list, then the except
 * list, each in the caller's order, duplicates allowed. The fd sets are sized to the largest fd given,
 * so descriptors >= FD_SETSIZE work. timeout_us < 0 blocks; 0 polls. On success every entry that is not
 * ready is replaced by -1 and the number of ready entries is returned; on failure fds is untouched. */
int jsel_select(int *fds, int nread, int nwrite, int nexcept, int64_t timeout_us);

/* --- poll(2) -------------------------------------------------------------------------------------- */
/* fds points at nfds struct pollfd. timeout_ms < 0 blocks. */
int jsel_poll(void *fds, int nfds, int timeout_ms);

/* --- epoll(7) ------------------------------------------------------------------------------------- */
int jsel_epoll_create1(int flags);
/* events and data fill the struct epoll_event; both are ignored for EPOLL_CTL_DEL. */
int jsel_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data);
/* events points at maxevents struct epoll_event. timeout_ms < 0 blocks. */
int jsel_epoll_wait(int epfd, void *events, int maxevents, int timeout_ms);
/* Nanosecond timeout (timeout_ns < 0 blocks). -ENOSYS when the kernel (or the headers this was built
 * with) lacks epoll_pwait2(2), Linux 5.11+; the caller probes once and falls back to epoll_wait. */
int jsel_epoll_pwait2(int epfd, void *events, int maxevents, int64_t timeout_ns);

/* --- descriptors ---------------------------------------------------------------------------------- */
int jsel_eventfd(unsigned int initval, int flags);
/* Adds value to an eventfd counter (one write(2) of 8 bytes). */
int jsel_eventfd_write(int fd, uint64_t value);
/* Reads and resets an eventfd counter (one read(2) of 8 bytes); the value, or -errno. */
int64_t jsel_eventfd_read(int fd);
int jsel_close(int fd);
/* pipe2(2): fds[0] is the read end, fds[1] the write end. */
int jsel_pipe2(int fds[2], int flags);
/* read(2) and write(2); the byte count or -errno. */
int64_t jsel_read(int fd, void *buf, size_t len);
int64_t jsel_write(int fd, const void *buf, size_t len);

/* --- sockets ------------------------------------------------------------------------------------- *
 * Addresses are struct sockaddr_* bytes the caller built with the offsets of enum jsel_layout; addrlen
 * is a socklen_t (32 bits on Linux). Where the kernel fills an address, *addrlen holds the room at addr
 * on entry and the address's real length on return. None of these adds flags of its own: the caller
 * passes SOCK_CLOEXEC, MSG_NOSIGNAL and the like. */
int jsel_socket(int domain, int type, int protocol);
/* socketpair(2) into fds[0] and fds[1]. */
int jsel_socketpair(int domain, int type, int protocol, int fds[2]);
int jsel_bind(int fd, const void *addr, uint32_t addrlen);
int jsel_listen(int fd, int backlog);
/* The new descriptor; addr and addrlen may be NULL. */
int jsel_accept4(int fd, void *addr, uint32_t *addrlen, int flags);
int jsel_connect(int fd, const void *addr, uint32_t addrlen);
/* The byte counts, or -errno. */
int64_t jsel_recv(int fd, void *buf, size_t len, int flags);
int64_t jsel_recvfrom(int fd, void *buf, size_t len, int flags, void *addr, uint32_t *addrlen);
int64_t jsel_send(int fd, const void *buf, size_t len, int flags);
int64_t jsel_sendto(int fd, const void *buf, size_t len, int flags, const void *addr, uint32_t addrlen);
int jsel_shutdown(int fd, int how);
int jsel_setsockopt(int fd, int level, int name, const void *value, uint32_t len);
/* *len holds the room at value on entry and the option's length on return. */
int jsel_getsockopt(int fd, int level, int name, void *value, uint32_t *len);
int jsel_getsockname(int fd, void *addr, uint32_t *addrlen);
int jsel_getpeername(int fd, void *addr, uint32_t *addrlen);
/* fcntl(2) with an int argument (F_GETFL, F_SETFL, F_DUPFD_CLOEXEC, ...): the call's result. */
int jsel_fcntl(int fd, int cmd, int arg);

/* --- facts the Java layer reads instead of hard-coding -------------------------------------------- */
enum jsel_layout {
    JSEL_EPOLL_EVENT_SIZE,
    JSEL_EPOLL_EVENT_EVENTS_OFFSET,
    JSEL_EPOLL_EVENT_DATA_OFFSET,
    JSEL_POLLFD_SIZE,
    JSEL_POLLFD_FD_OFFSET,
    JSEL_POLLFD_EVENTS_OFFSET,
    JSEL_POLLFD_REVENTS_OFFSET,
    /* The family field sits where struct sockaddr has sa_family, in every sockaddr_* struct. */
    JSEL_SOCKADDR_STORAGE_SIZE,
    JSEL_SOCKADDR_FAMILY_OFFSET,
    JSEL_SOCKADDR_IN_SIZE,
    JSEL_SOCKADDR_IN_PORT_OFFSET,
    JSEL_SOCKADDR_IN_ADDR_OFFSET,
    JSEL_SOCKADDR_IN6_SIZE,
    JSEL_SOCKADDR_IN6_PORT_OFFSET,
    JSEL_SOCKADDR_IN6_FLOWINFO_OFFSET,
    JSEL_SOCKADDR_IN6_ADDR_OFFSET,
    JSEL_SOCKADDR_IN6_SCOPE_ID_OFFSET,
    JSEL_SOCKADDR_UN_SIZE,
    JSEL_SOCKADDR_UN_PATH_OFFSET,
    JSEL_LINGER_SIZE,
    JSEL_LINGER_ONOFF_OFFSET,
    JSEL_LINGER_LINGER_OFFSET,
    JSEL_LAYOUT_COUNT
};
int jsel_layout(int which);

/* The value of a named C constant (errno values, flags), or INT32_MIN when the name is unknown. Lets
 * the Java layer check its compile-time constants against the platform it runs on. */
int32_t jsel_constant(const char *name);

/* strerror(3) into buf, always NUL-terminated. */
void jsel_strerror(int errnum, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* JSEL_H */
