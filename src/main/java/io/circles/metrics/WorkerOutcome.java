package io.circles.metrics;

/** Classifies a finished task's error text into the bounded {@link TaskLog} outcomes. */
final class WorkerOutcome {
    /** The engine's wall-clock message (ErrorKind.TIMEOUT) and the reaper's message for a dead worker. */
    private static final String TIMED_OUT_TEXT = "Script timed out";
    private static final String LOST_TEXT = "worker lost";

    private WorkerOutcome() {
    }

    static String of(String error) {
        if (error == null) {
            return TaskLog.FAILED;
        }
        if (error.contains(TIMED_OUT_TEXT)) {
            return TaskLog.TIMED_OUT;
        }
        return error.startsWith(LOST_TEXT) ? TaskLog.LOST : TaskLog.FAILED;
    }
}
