package io.circles.dispatch;

import java.util.List;

/**
 * What became of a task, as read from its hash.
 *
 * @param taskId   the task id
 * @param status   {@code pending}, {@code processing}, {@code completed} or {@code error}
 * @param output   the script's final value as text (empty for {@code ()}); null unless completed
 * @param error    the error message with its position; null unless status is error
 * @param logs     print/debug lines in order
 * @param callerId who submitted it
 * @param circle   the circle it ran in
 */
public record TaskResult(String taskId, String status, String output, String error, List<String> logs,
        String callerId, String circle) {

    public static final String PENDING = TaskHash.Status.PENDING.wire();
    public static final String PROCESSING = TaskHash.Status.PROCESSING.wire();
    public static final String COMPLETED = TaskHash.Status.COMPLETED.wire();
    public static final String ERROR = TaskHash.Status.ERROR.wire();

    public boolean finished() {
        return COMPLETED.equals(status) || ERROR.equals(status);
    }
}
