package io.circles.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The worker's thread bookings and per-circle backlogs, with real threads (pure logic, no Redis). */
class ScriptThreadsTest {

    @Test
    void tasks_claimed_ahead_run_on_the_circles_own_threads_and_the_booking_returns_when_they_are_done() throws Exception {
        ScriptThreads threads = new ScriptThreads(8, 2, 1 << 20);
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Set<String> threadNames = ConcurrentHashMap.newKeySet();
        List<Runnable> tasks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tasks.add(() -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                threadNames.add(Thread.currentThread().getName());
                awaitQuietly(gate);
                running.decrementAndGet();
                done.incrementAndGet();
            });
        }
        threads.reserve("a", 2);
        threads.run("a", tasks, 2);
        assertEquals(0, threads.room("a"), "the circle holds its share while its backlog waits");
        assertEquals(6, threads.free());
        await().atMost(Duration.ofSeconds(10)).until(() -> running.get() == 2);
        gate.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> done.get() == 10 && threads.free() == 8);
        assertEquals(2, most.get(), "never more than the booked threads at once (ten tasks, two bookings)");
        assertTrue(threadNames.size() <= 2, "the backlog ran on the circle's booked threads: " + threadNames);
        assertEquals(2, threads.room("a"));
        threads.shutdown(1000);
    }

    @Test
    void a_claim_that_found_nothing_books_nothing_and_starts_nothing() throws Exception {
        ScriptThreads threads = new ScriptThreads(4, 2, 1 << 20);
        threads.reserve("a", 2);
        threads.release("a");
        threads.release("a");
        threads.run("a", List.of(), 0);
        assertEquals(4, threads.free());
        assertEquals(2, threads.room("a"));
        threads.shutdown(1000);
    }

    @Test
    void another_circle_gets_threads_while_one_circle_works_through_its_backlog() throws Exception {
        ScriptThreads threads = new ScriptThreads(4, 2, 1 << 20);
        CountDownLatch gate = new CountDownLatch(1);
        List<Runnable> slow = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            slow.add(() -> awaitQuietly(gate));
        }
        threads.reserve("busy", 2);
        threads.run("busy", slow, 2);
        assertEquals(2, threads.room("other"), "the backlog does not take threads beyond the circle's share");
        CountDownLatch otherRan = new CountDownLatch(1);
        threads.reserve("other", 1);
        threads.run("other", List.of(otherRan::countDown), 1);
        assertTrue(otherRan.await(10, TimeUnit.SECONDS));
        gate.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> threads.free() == 4);
        threads.shutdown(1000);
    }

    private static void awaitQuietly(CountDownLatch gate) {
        try {
            gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
