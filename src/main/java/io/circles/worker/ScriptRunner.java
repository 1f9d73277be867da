package io.circles.worker;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.circles.circle.TaskContext;

/** Runs one script to completion on the calling thread, inside the sandbox's limits. */
public interface ScriptRunner {

    /**
     * @param task   the circle ({@code CONTEXT_ID}), caller ({@code CALLER_ID}) and task id the script runs for
     * @param script Rhai source
     * @param scope  extra scope variables by name, as JSON (e.g. {@code event}, {@code provider}); may be empty
     */
    Outcome run(TaskContext task, String script, ObjectNode scope);

    /** {@link #run(TaskContext, String, ObjectNode)} outside a dispatch task (no task id). */
    default Outcome run(String circle, String caller, String script, ObjectNode scope) {
        return run(new TaskContext(circle, caller, ""), script, scope);
    }

    /** Engine operations of the last {@link #run} on this thread (in the engine's progress steps), or -1 if unknown. */
    default long lastOperations() {
        return -1;
    }

    /** What a run produced: the final value as text (empty for {@code ()}) or an error with its position. */
    record Outcome(boolean ok, String output, String error, List<String> logs) {
        public static Outcome success(String output, List<String> logs) {
            return new Outcome(true, output, null, logs);
        }

        public static Outcome failure(String error, List<String> logs) {
            return new Outcome(false, null, error, logs);
        }
    }
}
