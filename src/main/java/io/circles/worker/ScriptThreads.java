package io.circles.worker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The worker's script threads and who occupies them. The intake claims tasks only for threads that are free
 * ({@link #reserve}), so a claimed task starts at once, and never gives one circle more than its share of
 * threads. A thread that finishes wakes the intake if it was waiting for room.
 */
final class ScriptThreads {
    private final int size;
    private final int perCircle;
    private final ExecutorService pool;
    private final AtomicInteger free;
    private final Map<String, AtomicInteger> byCircle = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();

    ScriptThreads(int size, int perCircle, long stackBytes) {
        this.size = size;
        this.perCircle = perCircle;
        this.free = new AtomicInteger(size);
        AtomicInteger number = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(size, size, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), body -> {
            Thread thread = new Thread(null, body, "rhai-script-" + number.incrementAndGet(), stackBytes);
            thread.setDaemon(true);
            return thread;
        });
        executor.prestartAllCoreThreads(); // a fixed set from the start: the thread count never depends on the load
        this.pool = executor;
    }

    /** Bookings returned so far (guarded by {@code lock}). */
    private long releases;

    int size() {
        return size;
    }

    int free() {
        return free.get();
    }

    int busy() {
        return size - free.get();
    }

    /** Threads {@code circle} may still take now: bounded by free threads and by its share. */
    int room(String circle) {
        AtomicInteger used = byCircle.get(circle);
        return Math.max(0, Math.min(free.get(), perCircle - (used == null ? 0 : used.get())));
    }

    /** Books {@code count} threads for {@code circle}; call only with count ≤ {@link #room}, from the one intake thread. */
    void reserve(String circle, int count) {
        free.addAndGet(-count);
        byCircle.computeIfAbsent(circle, c -> new AtomicInteger()).addAndGet(count);
    }

    /** Runs a booked task; the booking is returned when it ends, however it ends. */
    void run(String circle, Runnable task) {
        pool.execute(() -> {
            try {
                task.run();
            } finally {
                release(circle);
            }
        });
    }

    /** Returns a booking that will not run (the task could not be started). */
    void release(String circle) {
        byCircle.computeIfPresent(circle, (c, used) -> used.decrementAndGet() <= 0 ? null : used);
        free.incrementAndGet();
        lock.lock();
        try {
            releases++;
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** How many bookings have been returned so far: read it before looking at {@link #room}, pass it to {@link #awaitFreedSince}. */
    long releases() {
        lock.lock();
        try {
            return releases;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until a thread has been freed since {@code seen} was read, at most {@code millis}. Counting releases
     * (rather than waiting for the next signal) means a thread that finished between the caller's check and this
     * wait is not missed: with scripts that take microseconds, a missed signal cost the whole timeout per task.
     */
    void awaitFreedSince(long seen, long millis) throws InterruptedException {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
            while (releases == seen && nanos > 0) {
                nanos = freed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops taking work and waits up to {@code millis} for running scripts. */
    boolean shutdown(long millis) throws InterruptedException {
        pool.shutdown();
        return pool.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }
}
