package io.jselect.internal;

/** The sizes and offsets of {@link Layout}, read once from the backend in use. */
public final class Structs {
    public static final int EPOLL_EVENT_SIZE = Syscalls.layout(Layout.EPOLL_EVENT_SIZE);
    public static final int EPOLL_EVENT_EVENTS = Syscalls.layout(Layout.EPOLL_EVENT_EVENTS_OFFSET);
    public static final int EPOLL_EVENT_DATA = Syscalls.layout(Layout.EPOLL_EVENT_DATA_OFFSET);
    public static final int POLLFD_SIZE = Syscalls.layout(Layout.POLLFD_SIZE);
    public static final int POLLFD_FD = Syscalls.layout(Layout.POLLFD_FD_OFFSET);
    public static final int POLLFD_EVENTS = Syscalls.layout(Layout.POLLFD_EVENTS_OFFSET);
    public static final int POLLFD_REVENTS = Syscalls.layout(Layout.POLLFD_REVENTS_OFFSET);
    public static final int SOCKADDR_STORAGE_SIZE = Syscalls.layout(Layout.SOCKADDR_STORAGE_SIZE);
    public static final int SOCKADDR_FAMILY = Syscalls.layout(Layout.SOCKADDR_FAMILY_OFFSET);
    public static final int SOCKADDR_IN_SIZE = Syscalls.layout(Layout.SOCKADDR_IN_SIZE);
    public static final int SOCKADDR_IN_PORT = Syscalls.layout(Layout.SOCKADDR_IN_PORT_OFFSET);
    public static final int SOCKADDR_IN_ADDR = Syscalls.layout(Layout.SOCKADDR_IN_ADDR_OFFSET);
    public static final int SOCKADDR_IN6_SIZE = Syscalls.layout(Layout.SOCKADDR_IN6_SIZE);
    public static final int SOCKADDR_IN6_PORT = Syscalls.layout(Layout.SOCKADDR_IN6_PORT_OFFSET);
    public static final int SOCKADDR_IN6_FLOWINFO = Syscalls.layout(Layout.SOCKADDR_IN6_FLOWINFO_OFFSET);
    public static final int SOCKADDR_IN6_ADDR = Syscalls.layout(Layout.SOCKADDR_IN6_ADDR_OFFSET);
    public static final int SOCKADDR_IN6_SCOPE_ID = Syscalls.layout(Layout.SOCKADDR_IN6_SCOPE_ID_OFFSET);
    public static final int SOCKADDR_UN_SIZE = Syscalls.layout(Layout.SOCKADDR_UN_SIZE);
    public static final int SOCKADDR_UN_PATH = Syscalls.layout(Layout.SOCKADDR_UN_PATH_OFFSET);
    public static final int LINGER_SIZE = Syscalls.layout(Layout.LINGER_SIZE);
    public static final int LINGER_ONOFF = Syscalls.layout(Layout.LINGER_ONOFF_OFFSET);
    public static final int LINGER_LINGER = Syscalls.layout(Layout.LINGER_LINGER_OFFSET);

    private Structs() {
    }
}
