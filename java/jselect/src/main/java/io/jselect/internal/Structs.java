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

    private Structs() {
    }
}
