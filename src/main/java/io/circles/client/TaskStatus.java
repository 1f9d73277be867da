package io.circles.client;

import java.util.List;

/**
 * The answer to {@code task_status}: {@code status} is one of {@code pending}, {@code processing},
 * {@code completed} or {@code error}; {@code output} and {@code error} are {@code null} until known.
 */
public record TaskStatus(String taskId, String status, String output, String error, List<String> logs) {
    public static final String PENDING = "pending";
    public static final String PROCESSING = "processing";
    public static final String COMPLETED = "completed";
    public static final String ERROR = "error";

    public TaskStatus {
        logs = logs == null ? List.of() : List.copyOf(logs);
    }

    /** Whether the task has finished, successfully or not. */
    public boolean isDone() {
        return COMPLETED.equals(status) || ERROR.equals(status);
    }
}
