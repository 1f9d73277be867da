package io.circles.rhai.eval;

/**
 * Thrown by {@link Executable#evalLong} (the nodes' {@code evalLong}) when the value is not an INT; carries the
 * value, already computed, so the caller continues on its generic path without evaluating anything twice. A node that catches it stops asking that child
 * for a {@code long} (its {@code generic} flag), so each node throws it at most a few times: it marks a
 * mis-speculation, not a control transfer. No stack trace (cheap to create). Invariant: a NotInt leaving a
 * node's {@code evalLong} carries that node's own value (a node passes on a child's only when the child's value
 * is its value: an {@code if} branch, a function's body), so callers catch it right at the call.
 */
public final class NotInt extends RuntimeException {
    public final transient Object value;

    public NotInt(Object value) {
        super(null, null, false, false);
        this.value = value;
    }

    /** The value as an INT, or a NotInt carrying it. */
    public static long unbox(Object v) {
        if (v instanceof Long l) return l;
        throw new NotInt(v);
    }
}
