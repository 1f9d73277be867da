package io.circles.limits;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

/**
 * Backoff after failed authentications, per public key across connections (the per-connection state lives in
 * {@link ConnectionGuard}). Bounded by {@code max-tracked-addresses} entries; lapsed ones are dropped first.
 * A stranger can make a key wait by failing on its behalf, but never longer than {@code auth-backoff-max}.
 */
@Singleton
public class AuthBackoff {
    private final Map<String, Backoff> keys = new ConcurrentHashMap<>();
    private final LimitsConfig config;

    public AuthBackoff(LimitsConfig config) {
        this.config = config;
    }

    /** Milliseconds the key must still wait, 0 when it may try. */
    public long waitMillis(String key) {
        Backoff backoff = keys.get(key);
        return backoff == null ? 0 : backoff.waitMillis(System.nanoTime());
    }

    public void failed(String key) {
        long now = System.nanoTime();
        if (!keys.containsKey(key)) {
            makeRoom(now);
        }
        keys.computeIfAbsent(key, k -> new Backoff()).failed(now, config.authFreeFailures(), config.authBackoffInitial(),
                config.authBackoffMax());
    }

    public void succeeded(String key) {
        keys.remove(key);
    }

    private void makeRoom(long now) {
        if (keys.size() < config.maxTrackedAddresses()) {
            return;
        }
        keys.values().removeIf(backoff -> backoff.lapsed(now, config.authBackoffMax()));
        for (Iterator<String> it = keys.keySet().iterator(); keys.size() >= config.maxTrackedAddresses() && it.hasNext();) {
            it.next();
            it.remove();
        }
    }
}
