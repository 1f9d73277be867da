package io.circles.circle;

/**
 * Who a script runs for, bound to the script thread for the duration of one task. Circle functions
 * ({@code db_get}, {@code caller_pk}, …) read it, so a script can only ever reach its own circle.
 */
public record TaskContext(String circle, String caller) {
    private static final ThreadLocal<TaskContext> CURRENT = new ThreadLocal<>();

    public static TaskContext current() {
        TaskContext context = CURRENT.get();
        if (context == null) {
            throw new IllegalStateException("no circle task is running on this thread");
        }
        return context;
    }

    /** Binds this context to the current thread until {@link #unbind()}. */
    public void bind() {
        CURRENT.set(this);
    }

    public static void unbind() {
        CURRENT.remove();
    }
}
