package example.app;

import io.jselect.Epoll;
import io.jselect.FdEvent;
import io.jselect.JSelect;
import io.jselect.Os;
import io.jselect.Select;
import java.util.List;

/**
 * An application that embeds jselect in its uber jar, where io.jselect is relocated. Prints which class
 * it runs (so the relocation shows), the backend and where it came from, and checks a select and an
 * epoll round trip on a pipe; exits 1 when anything fails.
 */
public final class ShadedApp {
    private ShadedApp() {
    }

    public static void main(String[] args) throws Exception {
        String name = JSelect.class.getName();
        if (!JSelect.isAvailable()) {
            System.out.println(name + ": unavailable: " + JSelect.unavailabilityCause());
            System.exit(1);
        }
        System.out.println(name + ": backend " + JSelect.backend() + " (" + JSelect.loadedFrom() + ")");
        int[] pipe = Os.pipe();
        try (Epoll epoll = Epoll.create()) {
            Os.write(pipe[1], new byte[] {'x'});
            boolean select = Select.select(List.of(pipe[0]), List.of(), List.of(), 1.0).readable()
                    .equals(List.of(pipe[0]));
            epoll.register(pipe[0], Epoll.EPOLLIN);
            boolean epolled = epoll.poll(1.0).equals(List.of(new FdEvent(pipe[0], Epoll.EPOLLIN)));
            System.out.println(name + ": select " + (select ? "ok" : "FAILED") + ", epoll "
                    + (epolled ? "ok" : "FAILED"));
            if (!select || !epolled) {
                System.exit(1);
            }
        } finally {
            Os.close(pipe[0]);
            Os.close(pipe[1]);
        }
    }
}
