package io.circles.worker;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * <p>
 * Tasks claimed ahead for a circle whose scripts run fast wait in that circle's backlog: a thread that ends a
 * task of the circle takes the next one of the same circle before giving its booking back, so a busy circle of
 * quick scripts costs one claim per batch rather than one per task, and still never holds more than its share
 * of threads.
 */
final class ScriptThreads {
    private final int size;
    private final int perCircle;
    private final ExecutorService pool;
    private final AtomicInteger free;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    /** Circles holding threads now, with their bookings and backlog (guarded by {@code lock}). */
    private final Map<String, Occupancy> byCircle = new HashMap<>();
    /** Bookings returned so far (guarded by {@code lock}). */
    private long releases;

    /** One circle's booked threads and the tasks claimed ahead for them. */
    private static final class Occupancy {
        int booked;
        final ArrayDeque<Runnable> backlog = new ArrayDeque<>();
    }

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
        lock.lock();
        try {
            Occupancy occupancy = byCircle.get(circle);
            return Math.max(0, Math.min(free.get(), perCircle - (occupancy == null ? 0 : occupancy.booked)));
        } finally {
            lock.unlock();
        }
    }

    /** Books {@code count} threads for {@code circle}; call only with count ≤ {@link #room}, from the one intake thread. */
    void reserve(String circle, int count) {
        lock.lock();
        try {
            free.addAndGet(-count);
            byCircle.computeIfAbsent(circle, c -> new Occupancy()).booked += count;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs claimed tasks of {@code circle}: the first {@code booked} start on booked threads at once, the rest
     * wait in the circle's backlog for those threads. Each booking is returned when its thread finds the
     * backlog empty, however its tasks end.
     */
    void run(String circle, List<Runnable> tasks, int booked) {
        if (tasks.size() > booked) {
            queueBehind(circle, tasks.subList(booked, tasks.size()));
        }
        for (Runnable first : tasks.subList(0, booked)) {
            pool.execute(() -> drain(circle, first));
        }
    }

    /** Backlogs tasks of a circle that holds bookings now, so one of its threads is bound to take them. */
    private void queueBehind(String circle, List<Runnable> waiting) {
        lock.lock();
        try {
            byCircle.get(circle).backlog.addAll(waiting);
        } finally {
            lock.unlock();
        }
    }

    private void drain(String circle, Runnable first) {
        Runnable task = first;
        while (task != null) {
            try {
                task.run();
            } finally {
                task = nextOrRelease(circle);
            }
        }
    }

    /** The circle's next waiting task, or null after giving the booking back (atomically, so none is stranded). */
    private Runnable nextOrRelease(String circle) {
        lock.lock();
        try {
            Occupancy occupancy = byCircle.get(circle);
            Runnable next = occupancy == null ? null : occupancy.backlog.poll();
            if (next == null) {
                releaseLocked(circle);
            }
            return next;
        } finally {
            lock.unlock();
        }
    }

    /** Returns a booking that will not run (the task could not be started). */
    void release(String circle) {
        lock.lock();
        try {
            releaseLocked(circle);
        } finally {
            lock.unlock();
        }
    }

    private void releaseLocked(String circle) {
        Occupancy occupancy = byCircle.get(circle);
        if (occupancy != null && --occupancy.booked <= 0 && occupancy.backlog.isEmpty()) {
            byCircle.remove(circle);
        }
        free.incrementAndGet();
        releases++;
        freed.signalAll();
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

    /** Stops taking work and waits up to {@code millis} for running scripts (and the backlogs they drain). */
    boolean shutdown(long millis) throws InterruptedException {
        pool.shutdown();
        return pool.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }
}
