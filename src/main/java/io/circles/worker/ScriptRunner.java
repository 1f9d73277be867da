package io.circles.worker;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Runs one script to completion on the calling thread, inside the sandbox's limits. */
public interface ScriptRunner {

    /**
     * @param circle canonical circle key ({@code CONTEXT_ID})
     * @param caller caller id ({@code CALLER_ID})
     * @param script Rhai source
     * @param scope  extra scope variables by name, as JSON (e.g. {@code event}, {@code provider}); may be empty
     */
    Outcome run(String circle, String caller, String script, ObjectNode scope);

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
