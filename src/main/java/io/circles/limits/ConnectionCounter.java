package io.circles.limits;

import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Singleton;

/**
 * Open WebSocket connections on this instance, in total and per client address. A place is reserved when the
 * upgrade is admitted (so concurrent upgrades cannot overshoot a cap) and given back when the connection closes,
 * or when an admitted upgrade never becomes a connection ({@link ConnectionGuards} sees to that). Synchronized:
 * upgrades are rare next to frames, and both counts must move together.
 */
@Singleton
public class ConnectionCounter {
    /** Why a connection is refused. */
    public enum Refusal { GLOBAL, ADDRESS }

    private final Map<String, Integer> perAddress = new HashMap<>();
    private final LimitsConfig config;
    private int total;

    public ConnectionCounter(LimitsConfig config) {
        this.config = config;
    }

    /** Takes a place for a connection from {@code address}; null when taken, else which cap is full. */
    public synchronized Refusal reserve(String address) {
        if (total >= config.maxConnections()) {
            return Refusal.GLOBAL;
        }
        int mine = perAddress.getOrDefault(address, 0);
        if (mine >= config.maxConnectionsPerAddress()) {
            return Refusal.ADDRESS;
        }
        total++;
        perAddress.put(address, mine + 1);
        return null;
    }

    /** Gives back a place taken by {@link #reserve}. */
    public synchronized void release(String address) {
        total--;
        perAddress.computeIfPresent(address, (a, count) -> count <= 1 ? null : count - 1);
    }

    public synchronized int total() {
        return total;
    }

    public synchronized int from(String address) {
        return perAddress.getOrDefault(address, 0);
    }

    /** Client addresses with open connections (bounded by the global cap). */
    public synchronized int addresses() {
        return perAddress.size();
    }
}
