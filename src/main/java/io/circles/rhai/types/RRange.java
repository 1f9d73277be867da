package io.circles.rhai.types;

/** A Rhai integer range {@code start..end} or {@code start..=end}. */
public record RRange(long start, long end, boolean inclusive) {
    /** Exclusive upper bound (saturating). */
    public long endExclusive() {
        return inclusive ? (end == Long.MAX_VALUE ? Long.MAX_VALUE : end + 1) : end;
    }

    public boolean contains(long v) {
        return v >= start && (inclusive ? v <= end : v < end);
    }

    public boolean isEmpty() {
        return inclusive ? start > end : start >= end;
    }

    @Override
    public String toString() {
        return start + (inclusive ? "..=" : "..") + end;
    }
}
