package io.circles.circle;

import io.circles.rhai.types.RhaiException;
import io.circles.rhai.func.NativeCallContext;

/**
 * Who a script runs for: its circle, its caller and its task. The worker hands it to the engine as the
 * evaluation's tag ({@code Engine.evalWithTag}); circle functions ({@code db_get}, {@code caller_pk}, …) read it
 * from their call context, so a script can only ever reach its own circle, whichever thread runs it.
 *
 * @param circle canonical circle key
 * @param caller caller id (empty when none)
 * @param taskId the dispatch task id (empty when the script does not run as a task)
 */
public record TaskContext(String circle, String caller, String taskId) {

    /** A host tag that carries a task context (the worker's tag also carries the task's log sink). */
    public interface Carrier {
        TaskContext task();
    }

    /** The task of the evaluation making a native call; a script error when the engine runs no circle task. */
    public static TaskContext of(NativeCallContext call) {
        Object tag = call.tag();
        if (tag instanceof TaskContext task) {
            return task;
        }
        if (tag instanceof Carrier carrier) {
            return carrier.task();
        }
        throw RhaiException.runtime("circle functions are only available to circle tasks");
    }
}
