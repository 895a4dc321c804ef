package io.jselect.internal;

/**
 * Sizes and offsets of the C structures the Java layer reads and writes. The JNI backend reads them
 * from the C headers; no Java code hard-codes them ({@code struct epoll_event} is 12 bytes on x86_64,
 * where it is packed, and 16 on aarch64). The order matches {@code enum jsel_layout} in jsel.h.
 */
public enum Layout {
    EPOLL_EVENT_SIZE,
    EPOLL_EVENT_EVENTS_OFFSET,
    EPOLL_EVENT_DATA_OFFSET,
    POLLFD_SIZE,
    POLLFD_FD_OFFSET,
    POLLFD_EVENTS_OFFSET,
    POLLFD_REVENTS_OFFSET,
    SOCKADDR_STORAGE_SIZE,
    SOCKADDR_FAMILY_OFFSET,
    SOCKADDR_IN_SIZE,
    SOCKADDR_IN_PORT_OFFSET,
    SOCKADDR_IN_ADDR_OFFSET,
    SOCKADDR_IN6_SIZE,
    SOCKADDR_IN6_PORT_OFFSET,
    SOCKADDR_IN6_FLOWINFO_OFFSET,
    SOCKADDR_IN6_ADDR_OFFSET,
    SOCKADDR_IN6_SCOPE_ID_OFFSET,
    SOCKADDR_UN_SIZE,
    SOCKADDR_UN_PATH_OFFSET,
    LINGER_SIZE,
    LINGER_ONOFF_OFFSET,
    LINGER_LINGER_OFFSET;
}
