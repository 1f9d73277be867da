package io.circles.dispatch;

/**
 * A task could not be queued or its reply not awaited. The message is safe to show to callers: it never
 * carries Redis replies, commands or scripts.
 */
public class DispatchException extends RuntimeException {
    /** Why dispatch failed; each maps to one JSON-RPC error code and one webhook status. */
    public enum Kind {
        /** Redis is unreachable, slow beyond the deadline, or failed the command. */
        UNAVAILABLE,
        /** The task was queued but did not finish within the caller's wait. */
        TIMEOUT,
        /** A quota refused the task (caller or circle queue full, or Redis out of memory). */
        BUSY
    }

    private final String taskId;
    private final Kind kind;

    public DispatchException(Kind kind, String message, String taskId, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.taskId = taskId;
    }

    public Kind kind() {
        return kind;
    }

    /** The task id when the task was queued, else null. */
    public String taskId() {
        return taskId;
    }

    public boolean isTimeout() {
        return kind == Kind.TIMEOUT;
    }
}
