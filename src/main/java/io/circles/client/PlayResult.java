package io.circles.client;

import java.util.List;

/**
 * The outcome of {@code play}: the script's final value as text (empty for {@code ()}), the lines it
 * printed with {@code print}/{@code debug}, and the id of the task (usable with {@code task_status}).
 */
public record PlayResult(String output, List<String> logs, String taskId) {
    public PlayResult {
        output = output == null ? "" : output;
        logs = logs == null ? List.of() : List.copyOf(logs);
    }
}
