package io.circles.circle;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Singleton;

import io.circles.config.CirclesConfig;

/**
 * Optional per-circle member lists ({@code circles.members."<circle pk>"=pk1,pk2}). A circle with a list lets
 * only its members and its own key play; a circle without one lets any authenticated key play and leaves
 * the decision to scripts ({@code caller_pk()}).
 */
@Singleton
public class Membership {
    private final Map<String, Set<String>> members = new HashMap<>();

    public Membership(CirclesConfig config) {
        config.members().forEach((circle, keys) -> members.put(canonical(circle), canonicalAll(keys)));
    }

    /** Whether {@code callerKey} (canonical) may play in {@code circle} (canonical). */
    public boolean mayPlay(String circle, String callerKey) {
        Set<String> list = members.get(circle);
        return list == null || circle.equals(callerKey) || list.contains(callerKey);
    }

    private static Set<String> canonicalAll(List<String> keys) {
        return keys.stream().map(String::strip).filter(k -> !k.isEmpty()).map(Membership::canonical).collect(Collectors.toUnmodifiableSet());
    }

    private static String canonical(String key) {
        String canonical = CircleKeys.canonicalOrNull(key.strip().replace("\"", ""));
        if (canonical == null) {
            throw new IllegalArgumentException("circles.members: not a secp256k1 public key: " + key);
        }
        return canonical;
    }
}
