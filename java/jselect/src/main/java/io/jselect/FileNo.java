package io.jselect;

/**
 * An object that owns a file descriptor, like a Python object with a {@code fileno()} method. Anything
 * implementing it can be passed to {@link Select#select}, {@link Poll} and {@link Epoll}.
 */
@FunctionalInterface
public interface FileNo {
    /**
     * Returns the descriptor.
     *
     * @return the descriptor, {@code >= 0} while the object is open; a negative value (Python returns
     *     -1 for a closed socket) is rejected by every call that receives it
     */
    int fileno();
}
