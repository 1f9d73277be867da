package io.circles.limits;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

/**
 * Per-address token buckets for the methods an anonymous client can call in a loop ({@code fetch_nonce},
 * {@code authenticate}) and for {@code play}. The table is bounded by {@code max-tracked-addresses}: when it is
 * full, buckets that have refilled are forgotten first (forgetting them loses nothing), then arbitrary ones.
 */
@Singleton
public class RateLimiter {
    /** The rate-limited methods. */
    public enum Action { FETCH_NONCE, AUTHENTICATE, PLAY }

    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final LimitsConfig config;

    public RateLimiter(LimitsConfig config) {
        this.config = config;
    }

    /** Takes one call's token; 0 when allowed, else the milliseconds to wait. */
    public long take(Action action, String address) {
        long now = System.nanoTime();
        String key = action.ordinal() + "|" + address;
        TokenBucket bucket = buckets.get(key);
        if (bucket == null) {
            makeRoom(now);
            bucket = buckets.computeIfAbsent(key, k -> newBucket(action, now));
        }
        return bucket.take(now);
    }

    private TokenBucket newBucket(Action action, long now) {
        return switch (action) {
            case FETCH_NONCE -> new TokenBucket(config.fetchNoncePerSecond(), config.fetchNonceBurst(), now);
            case AUTHENTICATE -> new TokenBucket(config.authenticatePerSecond(), config.authenticateBurst(), now);
            case PLAY -> new TokenBucket(config.playPerSecond(), config.playBurst(), now);
        };
    }

    private void makeRoom(long now) {
        int cap = config.maxTrackedAddresses() * Action.values().length;
        if (buckets.size() < cap) {
            return;
        }
        buckets.values().removeIf(bucket -> bucket.full(now));
        for (Iterator<String> it = buckets.keySet().iterator(); buckets.size() >= cap && it.hasNext();) {
            it.next();
            it.remove();
        }
    }

    int tracked() {
        return buckets.size();
    }
}
