package io.circles.limits;

import java.time.Duration;

/**
 * Failed-authentication state of one connection or one key: after {@code free} failures each further failure
 * locks out for {@code initial}, doubling up to {@code max}. Success forgets everything. Thread-safe.
 */
final class Backoff {
    private int failures;
    private long lockedUntilNanos;
    private long lastNanos;

    /** Milliseconds still locked out (0 when an attempt may go ahead). */
    synchronized long waitMillis(long nowNanos) {
        long left = lockedUntilNanos - nowNanos;
        return left <= 0 ? 0 : Math.max(1, left / 1_000_000);
    }

    synchronized void failed(long nowNanos, int free, Duration initial, Duration max) {
        failures++;
        lastNanos = nowNanos;
        int over = failures - free;
        if (over > 0) {
            long wait = initial.toNanos() << Math.min(over - 1, 30);
            lockedUntilNanos = nowNanos + Math.min(wait <= 0 ? max.toNanos() : wait, max.toNanos());
        }
    }

    /** Whether this state has lapsed: no lockout and no failure within {@code max}, so forgetting it is safe. */
    synchronized boolean lapsed(long nowNanos, Duration max) {
        return nowNanos - lockedUntilNanos >= 0 && nowNanos - lastNanos >= max.toNanos();
    }
}
