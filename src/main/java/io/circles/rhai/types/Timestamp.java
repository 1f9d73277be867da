package io.circles.rhai.types;

/** A Rhai timestamp: an instant on the monotonic clock ({@link System#nanoTime()}). */
public record Timestamp(long nanos) {
    public static Timestamp now() {
        return new Timestamp(System.nanoTime());
    }

    /** Seconds elapsed since this instant. */
    public double elapsedSeconds() {
        return (System.nanoTime() - nanos) / 1e9;
    }

    @Override
    public String toString() {
        return "<timestamp>";
    }
}
