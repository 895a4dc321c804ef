package io.jselect.lab.grading;

import java.util.ArrayList;
import java.util.List;

/** Exercise 5's own checks: a thread per client, and no thread left behind. */
final class ThreadChecks {
    private static final int CLIENTS = 20;

    private ThreadChecks() {
    }

    static void threadPerClient(Target t) throws Exception {
        t.greeted("warm-up").close();
        Thread.sleep(300);
        int before = t.threads();
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            try {
                clients.add(t.greeted("C" + i));
            } catch (CheckFailed f) {
                throw new CheckFailed("while " + i + " other clients stayed connected, client C" + i + " got no greeting:\n  "
                        + f.getMessage() + "\n  look at: is one thread serving the clients one after another? Start a "
                        + "thread for each accepted client and go straight back to accept");
            }
        }
        int with = awaitThreads(t, n -> n >= before + CLIENTS, 3);
        if (with < before + CLIENTS) {
            throw new CheckFailed("your server had " + before + " threads; with " + CLIENTS + " more clients connected it "
                    + "had " + with + "\n  expected: at least " + (before + CLIENTS) + ", a thread for each client\n"
                    + "  look at: the accepting thread should start a new thread per accepted socket and go straight "
                    + "back to accept");
        }
    }

    static void threadsEnd(Target t) throws Exception {
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(t.greeted("C" + i));
        }
        Thread.sleep(200);
        int with = t.threads();
        for (int i = 0; i < CLIENTS; i++) {
            if (i % 2 == 0) {
                clients.get(i).reset();
            } else {
                clients.get(i).close();
            }
        }
        int target = with - CLIENTS + 2;
        int after = awaitThreads(t, n -> n <= target, 5);
        if (after > target) {
            throw new CheckFailed(CLIENTS + " clients left (half closed, half reset); your server had " + with
                    + " threads with them and " + after + " five seconds after they left\n  expected: at most " + target
                    + "\n  look at: a client's thread must end when recv returns end of stream (an empty array) or "
                    + "fails (ConnectionResetException): close the socket in a finally block and return");
        }
    }

    private static int awaitThreads(Target t, java.util.function.IntPredicate done, double seconds) throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        int n = t.threads();
        while (!done.test(n) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            n = t.threads();
        }
        return n;
    }
}
