package io.circles.dispatch;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * The one consumer of this instance's reply list. It holds a single dedicated connection blocked in
 * {@code BLPOP} (non-blocking for the JVM: the wait happens in Redis) and completes pending requests by
 * {@code task_id}. If Redis goes away it reconnects with backoff; requests waiting meanwhile time out on
 * their own deadline.
 */
@Singleton
public class ReplyListener {
    private static final Logger LOG = Logger.getLogger(ReplyListener.class);
    private static final int POLL_SECONDS = 1;
    private static final int DRAIN_BATCH = 256;

    private final Redis redis;
    private final ObjectMapper mapper = new ObjectMapper();
    private final RedisKeys keys;
    private final String replyKey;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private volatile boolean stopped;
    private volatile boolean started;
    private RedisConnection connection;

    private record Pending(String circle, CompletableFuture<TaskResult> future) {
    }

    public ReplyListener(ReactiveRedisDataSource redis, DispatchConfig config) {
        this.redis = redis.getRedis();
        this.keys = new RedisKeys(config);
        this.replyKey = keys.reply(UUID.randomUUID().toString());
    }

    /** The list workers push this instance's replies onto. */
    public String replyKey() {
        return replyKey;
    }

    /** Registers interest in {@code taskId} before it is queued, so no reply can be missed. */
    public Uni<TaskResult> expect(String taskId, String circle) {
        ensureStarted();
        CompletableFuture<TaskResult> future = new CompletableFuture<>();
        pending.put(taskId, new Pending(circle, future));
        return Uni.createFrom().completionStage(future);
    }

    /** Drops interest (timed out or failed to queue). */
    public void forget(String taskId) {
        pending.remove(taskId);
    }

    /** Requests still waiting for a reply. */
    public int pendingCount() {
        return pending.size();
    }

    private synchronized void ensureStarted() {
        if (!started) {
            started = true;
            connect(Duration.ZERO);
        }
    }

    private void connect(Duration delay) {
        if (stopped) {
            return;
        }
        Uni<Void> wait = delay.isZero() ? Uni.createFrom().voidItem() : Uni.createFrom().voidItem().onItem().delayIt().by(delay);
        wait.chain(redis::connect)
                .subscribe().with(conn -> {
                    synchronized (this) {
                        connection = conn;
                    }
                    conn.exceptionHandler(e -> LOG.debugf("Reply connection error: %s", e.toString()));
                    poll(conn);
                }, failure -> {
                    LOG.debugf("Reply listener cannot reach Redis (%s); retrying", failure.getMessage());
                    connect(backoff(delay));
                });
    }

    private void poll(RedisConnection conn) {
        if (stopped) {
            conn.close().subscribe().with(ok -> { }, e -> { });
            return;
        }
        conn.send(Request.cmd(Command.BLPOP).arg(replyKey).arg(POLL_SECONDS))
                .subscribe().with(response -> {
                    if (response != null && response.size() == 2) {
                        handle(response.get(1).toString());
                        drain(conn);
                    } else {
                        poll(conn);
                    }
                }, failure -> reconnect(conn, failure));
    }

    /** Under load replies pile up: take up to {@link #DRAIN_BATCH} per round trip until the list is empty. */
    private void drain(RedisConnection conn) {
        conn.send(Request.cmd(Command.LPOP).arg(replyKey).arg(DRAIN_BATCH))
                .subscribe().with(response -> {
                    int count = response == null ? 0 : response.size();
                    for (int i = 0; i < count; i++) {
                        handle(response.get(i).toString());
                    }
                    if (count == DRAIN_BATCH) {
                        drain(conn);
                    } else {
                        poll(conn);
                    }
                }, failure -> reconnect(conn, failure));
    }

    private void reconnect(RedisConnection conn, Throwable failure) {
        LOG.debugf("Reply listener lost Redis (%s); reconnecting", failure.getMessage());
        conn.close().subscribe().with(ok -> { }, e -> { });
        connect(Duration.ofMillis(100));
    }

    private void handle(String payload) {
        JsonNode json = null;
        try {
            json = mapper.readTree(payload);
        } catch (Exception notJson) {
            // an original-protocol worker pushes the bare task id
        }
        if (json != null && json.isObject()) {
            TaskResult result = TaskHashes.fromReply(json);
            Pending waiting = pending.remove(result.taskId());
            if (waiting != null) {
                waiting.future().complete(result);
            }
            return;
        }
        completeFromHash(payload.strip());
    }

    private void completeFromHash(String taskId) {
        Pending waiting = pending.remove(taskId);
        if (waiting == null) {
            return;
        }
        redis.send(Request.cmd(Command.HGETALL).arg(keys.task(waiting.circle(), taskId)))
                .map(TaskHashes::toMap)
                .subscribe().with(hash -> {
                    TaskResult result = TaskHashes.fromHash(hash, mapper);
                    if (result == null) {
                        waiting.future().completeExceptionally(new DispatchException("Task vanished: " + taskId, taskId, false, null));
                    } else {
                        waiting.future().complete(result);
                    }
                }, failure -> waiting.future().completeExceptionally(
                        new DispatchException("Dispatcher unavailable: " + failure.getMessage(), taskId, false, failure)));
    }


    private static Duration backoff(Duration previous) {
        long next = Math.max(100, Math.min(2000, previous.toMillis() * 2));
        return Duration.ofMillis(next);
    }

    @PreDestroy
    synchronized void stop() {
        stopped = true;
        if (connection != null) {
            connection.close().subscribe().with(ok -> { }, e -> { });
        }
        pending.values().forEach(p -> p.future().completeExceptionally(
                new DispatchException("Server shutting down", null, false, null)));
    }
}
