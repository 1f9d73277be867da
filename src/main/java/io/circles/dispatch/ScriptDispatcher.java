package io.circles.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;

/**
 * Sends scripts to the circle's workers through Redis and completes each caller when its reply arrives.
 * Used alike by the WebSocket API and the webhooks. Non-blocking end to end.
 * <p>
 * Submitting costs one round trip: {@code MULTI; HSET task; EXPIRE task; LPUSH queue; EXEC}. Replies for
 * every request of this instance arrive on one list, drained by the single {@link ReplyListener}, so a
 * thousand plays in flight need no more connections than one.
 */
@Singleton
public class ScriptDispatcher {
    private static final Logger LOG = Logger.getLogger(ScriptDispatcher.class);

    private final Redis redis;
    private final RedisKeys keys;
    private final DispatchConfig config;
    private final ReplyListener replies;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Set<String> announcedCircles = ConcurrentHashMap.newKeySet();

    public ScriptDispatcher(ReactiveRedisDataSource redis, DispatchConfig config, ReplyListener replies) {
        this.redis = redis.getRedis();
        this.keys = new RedisKeys(config);
        this.config = config;
        this.replies = replies;
    }

    /**
     * Queues {@code task} and waits for its result.
     *
     * @param onQueued told the task id once the task is durably queued
     * @return the result; fails with {@link DispatchException} when Redis is unreachable or the wait times out
     */
    public Uni<TaskResult> submit(ScriptTask task, Consumer<String> onQueued) {
        String taskId = UUID.randomUUID().toString();
        Uni<TaskResult> reply = replies.expect(taskId, task.circle());
        return enqueue(task, taskId)
                .onFailure().invoke(() -> replies.forget(taskId))
                .invoke(() -> onQueued.accept(taskId))
                .chain(() -> reply.ifNoItem().after(task.timeout()).failWith(() -> {
                    replies.forget(taskId);
                    return new DispatchException("Script did not finish within " + task.timeout().toMillis()
                            + " ms; ask task_status later", taskId, true, null);
                }));
    }

    /**
     * Queues {@code task} without waiting for its result (webhooks), in one transaction with {@code alongside}
     * (commands, made knowing the new task id, that must succeed or fail together with the queuing). With a
     * null task only {@code alongside} runs. Yields the task id, or null without a task.
     */
    public Uni<String> enqueueWith(ScriptTask task, Function<String, List<Request>> alongside, String what) {
        String taskId = task == null ? null : UUID.randomUUID().toString();
        List<Request> batch = new ArrayList<>();
        if (task != null) {
            announce(batch, task.circle());
        }
        batch.add(Request.cmd(Command.MULTI));
        batch.addAll(alongside.apply(taskId));
        if (task != null) {
            batch.addAll(queueCommands(task, taskId));
        }
        batch.add(Request.cmd(Command.EXEC));
        return guarded(redis.batch(batch), what)
                .onFailure().invoke(() -> forgetAnnouncement(task))
                .replaceWith(taskId);
    }

    /** Runs one command with the dispatcher's time limit and error mapping. */
    public Uni<io.vertx.mutiny.redis.client.Response> send(Request request, String what) {
        return guarded(redis.send(request), what);
    }

    private Uni<Void> enqueue(ScriptTask task, String taskId) {
        List<Request> batch = new ArrayList<>();
        announce(batch, task.circle());
        batch.add(Request.cmd(Command.MULTI));
        batch.addAll(queueCommands(task, taskId));
        batch.add(Request.cmd(Command.EXEC));
        return guarded(redis.batch(batch), "queue the script")
                .onFailure().invoke(() -> forgetAnnouncement(task))
                .replaceWithVoid();
    }

    /**
     * The first task of a circle from this instance also records the circle in {@code rhai_circles}, so
     * workers serving every circle find its queue. Outside the transaction: that set lives on its own slot.
     */
    private void announce(List<Request> batch, String circle) {
        if (announcedCircles.add(circle)) {
            batch.add(Request.cmd(Command.SADD).arg(keys.circles()).arg(circle));
        }
    }

    private void forgetAnnouncement(ScriptTask task) {
        if (task != null) {
            announcedCircles.remove(task.circle());
        }
    }

    /** HSET the task hash, EXPIRE it, LPUSH its id: meant to run inside MULTI/EXEC. */
    private List<Request> queueCommands(ScriptTask task, String taskId) {
        String taskKey = keys.task(task.circle(), taskId);
        String now = Long.toString(Instant.now().getEpochSecond());
        Request hset = Request.cmd(Command.HSET).arg(taskKey)
                .arg("task_id").arg(taskId)
                .arg("script").arg(task.script())
                .arg("status").arg(TaskResult.PENDING)
                .arg("caller_id").arg(task.callerId())
                .arg("context_id").arg(task.circle())
                .arg("reply_queue_name").arg(replies.replyKey())
                .arg("created_at").arg(now)
                .arg("updated_at").arg(now)
                .arg("timeout").arg(Long.toString(Math.max(1, task.timeout().toSeconds())));
        if (!task.scope().isEmpty()) {
            hset.arg("scope").arg(task.scope().toString());
        }
        return List.of(hset,
                Request.cmd(Command.EXPIRE).arg(taskKey).arg(config.taskTtl().toSeconds()),
                Request.cmd(Command.LPUSH).arg(keys.queue(task.circle())).arg(taskId));
    }

    /** Reads a task's hash; yields {@code null} when it does not exist (or expired). */
    public Uni<TaskResult> status(String circle, String taskId) {
        return guarded(redis.send(Request.cmd(Command.HGETALL).arg(keys.task(circle, taskId))), "read the task")
                .map(response -> TaskHashes.fromHash(TaskHashes.toMap(response), mapper));
    }

    /** Fails fast with a {@link DispatchException} instead of hanging when Redis is away. */
    private <T> Uni<T> guarded(Uni<T> command, String what) {
        Duration limit = config.redisTimeout();
        return command
                .ifNoItem().after(limit).failWith(() -> {
                    LOG.debugf("Redis did not answer within %d ms (could not %s)", limit.toMillis(), what);
                    return new DispatchException("Redis did not answer within " + limit.toMillis() + " ms (could not " + what + ")",
                            null, false, null);
                })
                .onFailure(f -> !(f instanceof DispatchException)).transform(f -> {
                    LOG.debugf("Redis failure: %s", f.toString());
                    return new DispatchException("Dispatcher unavailable: could not " + what + " (" + f.getMessage() + ")", null, false, f);
                });
    }
}
