package io.circles.circle;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.circles.config.CirclesConfig;

/**
 * Which circles this server serves, from {@code circles.keys}. Keys are stored canonically so that the
 * compressed and uncompressed encodings of one point name the same circle. An entry may carry an init
 * script after a colon ({@code <pk>:init.rhai}), as the original launcher allowed.
 */
@Singleton
public class CircleRegistry {
    private static final Logger LOG = Logger.getLogger(CircleRegistry.class);

    private final Map<String, Optional<String>> circles;

    public CircleRegistry(CirclesConfig config) {
        this.circles = parse(config.keys().orElse(List.of()));
        if (circles.isEmpty()) {
            LOG.info("No circles configured (circles.keys / -k): serving every well-formed secp256k1 key");
        } else {
            LOG.infof("Serving %d circle(s): %s", circles.size(), circles.keySet());
        }
    }

    static Map<String, Optional<String>> parse(List<String> entries) {
        Map<String, Optional<String>> parsed = new LinkedHashMap<>();
        for (String raw : entries) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.indexOf(':');
            String key = colon < 0 ? entry : entry.substring(0, colon);
            String canonical = CircleKeys.canonicalOrNull(key);
            if (canonical == null) {
                throw new IllegalArgumentException("circles.keys: not a secp256k1 public key: " + key);
            }
            parsed.put(canonical, colon < 0 ? Optional.empty() : Optional.of(entry.substring(colon + 1)));
        }
        return Collections.unmodifiableMap(parsed);
    }

    /** True when every well-formed key is served (no explicit list). */
    public boolean servesAll() {
        return circles.isEmpty();
    }

    /** Whether the canonical key is served. */
    public boolean serves(String canonicalKey) {
        return circles.isEmpty() || circles.containsKey(canonicalKey);
    }

    /** The explicitly configured circles (canonical keys), empty when every key is served. */
    public Set<String> configured() {
        return circles.keySet();
    }

    /** The init script path configured for a circle, if any. */
    public Optional<String> initScript(String canonicalKey) {
        return circles.getOrDefault(canonicalKey, Optional.empty());
    }
}
