package io.jselect.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The mechanism behind "close() never releases a descriptor a call is still using". */
class CloseGuardTest {
    @Test
    void entersUntilClosed() {
        CloseGuard guard = new CloseGuard();
        assertFalse(guard.busy());
        assertTrue(guard.enter());
        assertTrue(guard.busy());
        guard.exit();
        assertFalse(guard.busy());
        assertFalse(guard.isClosed());
        assertTrue(guard.close());
        assertFalse(guard.close(), "only the first close closes");
        assertTrue(guard.isClosed());
        assertFalse(guard.enter());
        guard.awaitIdle(); // nobody inside: returns at once
    }

    @Test
    void closeWaitsForCallsInside() throws Exception {
        CloseGuard guard = new CloseGuard();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            assertTrue(guard.enter());
            assertTrue(guard.enter());
            assertTrue(guard.close());
            assertTrue(guard.busy(), "closed with calls inside");
            CountDownLatch waiting = new CountDownLatch(1);
            Future<?> closer = pool.submit(() -> {
                waiting.countDown();
                guard.awaitIdle();
            });
            waiting.await();
            assertThrows(closer, 200);
            guard.exit();
            assertThrows(closer, 200);
            guard.exit();
            closer.get(5, TimeUnit.SECONDS);
            assertEquals(true, closer.isDone());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertThrows(Future<?> stillWaiting, long millis) throws Exception {
        try {
            stillWaiting.get(millis, TimeUnit.MILLISECONDS);
            throw new AssertionError("awaitIdle returned while a call was inside");
        } catch (TimeoutException expected) {
            // still waiting, as it must
        }
    }
}
