package io.circles.rhai.ast;

/**
 * Thrown by {@link Node#evalLong} when the value is not an INT; carries the value, already computed, so the caller
 * continues on its generic path without evaluating anything twice. A node that catches it stops asking that child
 * for a {@code long} (its {@code generic} flag), so each node throws it at most a few times: it marks a
 * mis-speculation, not a control transfer. No stack trace (cheap to create).
 */
final class NotInt extends RuntimeException {
    final transient Object value;

    NotInt(Object value) {
        super(null, null, false, false);
        this.value = value;
    }

    /** The value as an INT, or a NotInt carrying it. */
    static long unbox(Object v) {
        if (v instanceof Long l) return l;
        throw new NotInt(v);
    }
}
