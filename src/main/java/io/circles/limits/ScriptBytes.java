package io.circles.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

/**
 * Bytes of scripts played from one client address that are not answered yet, on this instance. The dispatcher caps
 * tasks per caller and circle; this caps their bytes per address, so fresh keys from one address cannot park
 * hundreds of megabytes of scripts in Redis queues.
 */
@Singleton
public class ScriptBytes {
    private final Map<String, Long> perAddress = new ConcurrentHashMap<>();
    private final LimitsConfig config;

    public ScriptBytes(LimitsConfig config) {
        this.config = config;
    }

    /** Takes {@code bytes} for {@code address}; false (nothing taken) when that would pass the quota. */
    public boolean take(String address, long bytes) {
        long max = config.maxQueuedScriptBytesPerAddress().asLongValue();
        boolean[] taken = new boolean[1];
        perAddress.compute(address, (a, used) -> {
            long now = used == null ? 0 : used;
            taken[0] = now + bytes <= max;
            return taken[0] ? now + bytes : used;
        });
        return taken[0];
    }

    public void give(String address, long bytes) {
        perAddress.computeIfPresent(address, (a, used) -> used - bytes <= 0 ? null : used - bytes);
    }

    public long used(String address) {
        return perAddress.getOrDefault(address, 0L);
    }
}
