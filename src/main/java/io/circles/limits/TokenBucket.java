package io.circles.limits;

/** A token bucket: {@code burst} tokens, refilled at {@code perSecond}. Thread-safe; times are nanoTime values. */
final class TokenBucket {
    private final double perSecond;
    private final double burst;
    private double tokens;
    private long updatedNanos;

    TokenBucket(double perSecond, int burst, long nowNanos) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
        this.updatedNanos = nowNanos;
    }

    /** Takes one token; returns 0 when granted, else how many milliseconds until one is available. */
    synchronized long take(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond * 1000));
    }

    /** Whether the bucket has refilled completely, so forgetting it changes nothing. */
    synchronized boolean full(long nowNanos) {
        refill(nowNanos);
        return tokens >= burst;
    }

    private void refill(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - updatedNanos) / 1e9 * perSecond);
        updatedNanos = nowNanos;
    }
}
