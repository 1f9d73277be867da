package io.circles.worker;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Compiled scripts kept for reuse, bounded by estimated bytes rather than entries (one large array literal
 * compiles to megabytes). Entries are per circle, and a circle may fill at most an eighth of the budget, so one
 * member sending many distinct scripts evicts only its own circle's entries, never other circles' hot scripts.
 * Scripts longer than the cacheable length are compiled each time and never held.
 *
 * @param <T> the compiled form
 */
final class CompileCache<T> {
    /** Estimated bytes of a compiled script per source character (an AST is about ten to fifteen times its source). */
    static final int BYTES_PER_CHAR = 16;
    private static final int CIRCLE_SHARE = 8;

    private record Key(String circle, String script) {
    }

    private final long budget;
    private final long perCircle;
    private final int maxScriptLength;
    private final LinkedHashMap<Key, T> entries = new LinkedHashMap<>(64, 0.75f, true);
    private final Map<String, Long> circleBytes = new HashMap<>();
    private long bytes;

    CompileCache(long budgetBytes, int maxScriptLength) {
        this.budget = budgetBytes;
        this.perCircle = budgetBytes / CIRCLE_SHARE;
        this.maxScriptLength = maxScriptLength;
    }

    /** The cached compiled form of {@code script} in {@code circle}, compiling (outside the lock) on a miss. */
    T get(String circle, String script, Supplier<T> compile) {
        if (script.length() > maxScriptLength) {
            return compile.get();
        }
        Key key = new Key(circle, script);
        synchronized (this) {
            T hit = entries.get(key);
            if (hit != null) {
                return hit;
            }
        }
        T compiled = compile.get();
        put(key, compiled);
        return compiled;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return entries.size();
    }

    private synchronized void put(Key key, T compiled) {
        long weight = weight(key);
        if (weight > perCircle || entries.containsKey(key)) {
            return;
        }
        entries.put(key, compiled);
        add(key.circle(), weight);
        evictWhile(key.circle());
    }

    /** First the circle's own oldest entries while it is over its share, then the oldest of all while over budget. */
    private void evictWhile(String circle) {
        for (Iterator<Key> it = entries.keySet().iterator(); it.hasNext() && circleBytes.getOrDefault(circle, 0L) > perCircle;) {
            Key oldest = it.next();
            if (oldest.circle().equals(circle)) {
                it.remove();
                add(circle, -weight(oldest));
            }
        }
        for (Iterator<Key> it = entries.keySet().iterator(); it.hasNext() && bytes > budget;) {
            Key oldest = it.next();
            it.remove();
            add(oldest.circle(), -weight(oldest));
        }
    }

    private void add(String circle, long delta) {
        bytes += delta;
        circleBytes.merge(circle, delta, Long::sum);
        if (circleBytes.get(circle) <= 0) {
            circleBytes.remove(circle);
        }
    }

    private static long weight(Key key) {
        return (long) key.script().length() * BYTES_PER_CHAR + key.circle().length() * 2L + 64;
    }
}
