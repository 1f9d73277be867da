package io.circles.events;

import java.util.concurrent.CompletableFuture;

import io.circles.dispatch.DispatchException;
import io.circles.dispatch.TaskResult;

/**
 * The caller's side of one played task's {@code tasks} notifications. {@code pending} and the worker's
 * {@code completed} or {@code error} are published by the dispatch steps themselves, inside Redis and atomically
 * with the change ({@link io.circles.dispatch.TaskStateEvent}); what is published here are the ends only the
 * caller's server knows: {@code timeout}, and an error when the wait failed. Also hands out the task id as soon
 * as it is known, for {@code play} with {@code wait: false}.
 */
public final class TaskStates {
    private final LivePublisher publisher;
    private final String circle;
    private final String caller;
    private final CompletableFuture<String> queued = new CompletableFuture<>();

    public TaskStates(LivePublisher publisher, String circle, String caller) {
        this.publisher = publisher;
        this.circle = circle;
        this.caller = caller;
    }

    public void queued(String taskId) {
        queued.complete(taskId);
    }

    /** The task could not be queued (then the id never comes), or its wait ended without a result. */
    public void failed(Throwable failure) {
        if (!queued.isDone()) {
            queued.completeExceptionally(failure);
            return;
        }
        boolean timeout = failure instanceof DispatchException e && e.kind() == DispatchException.Kind.TIMEOUT;
        String message = failure instanceof DispatchException ? failure.getMessage() : "the task failed";
        publisher.taskState(circle, caller, queued.join(), timeout ? "timeout" : TaskResult.ERROR, message);
    }

    /** Completes with the task id once queued, or fails as the queuing did. */
    public CompletableFuture<String> queuedId() {
        return queued;
    }
}
