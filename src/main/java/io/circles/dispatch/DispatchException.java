package io.circles.dispatch;

/** The task could not be queued or its reply not awaited: Redis is unreachable, or the wait timed out. */
public class DispatchException extends RuntimeException {
    private final String taskId;
    private final boolean timeout;

    public DispatchException(String message, String taskId, boolean timeout, Throwable cause) {
        super(message, cause);
        this.taskId = taskId;
        this.timeout = timeout;
    }

    /** The task id when the task was queued (a time-out), else null. */
    public String taskId() {
        return taskId;
    }

    public boolean isTimeout() {
        return timeout;
    }
}
