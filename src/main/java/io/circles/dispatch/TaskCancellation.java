package io.circles.dispatch;

import java.time.Instant;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;

/**
 * Ends tasks from the caller's side ({@link TaskScripts#CANCEL}): a play whose caller stopped waiting leaves the
 * queue instead of running later for nobody, and tasks abandoned while Redis was away end as {@code error} so
 * that {@code task_status} resolves.
 */
@Singleton
public class TaskCancellation {
    private final RedisCalls calls;
    private final RedisKeys keys;
    private final DispatchConfig config;

    public TaskCancellation(RedisCalls calls, DispatchConfig config) {
        this.calls = calls;
        this.keys = new RedisKeys(config);
        this.config = config;
    }

    /**
     * @param alsoRunning end the task even if a worker runs it (its late result is then discarded)
     * @return whether the task was ended now
     */
    public Uni<Boolean> cancel(String circle, String caller, String taskId, String reason, boolean alsoRunning) {
        String[] taskKeys = {keys.task(circle, taskId), keys.callerQueue(circle, caller), keys.callers(circle), keys.running(circle)};
        return calls.guarded(TaskScripts.CANCEL.run(calls.redis()::send, taskKeys, taskId, caller, reason,
                Instant.now().getEpochSecond(), config.finishedTaskTtl().toSeconds(), alsoRunning ? 1 : 0), "cancel the task")
                .map(ended -> ended != null && ended.toInteger() == 1);
    }
}
