package io.circles.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.circles.config.CirclesConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;

/**
 * The one consumer of this instance's reply list. It holds a single dedicated connection blocked in
 * {@code BLPOP} (the wait happens in Redis, not on a thread) and completes waiting requests by {@code task_id}.
 * <p>
 * When that connection fails, no reply can arrive: every waiting request fails at once with "dispatcher
 * unavailable" (rather than at its own 30 s deadline), and its task is remembered as abandoned. Once Redis
 * answers again the abandoned tasks are ended as {@code error}, so {@code task_status} resolves for them.
 */
@Singleton
public class ReplyListener {
    private static final Logger LOG = Logger.getLogger(ReplyListener.class);
    private static final int POLL_SECONDS = 1;
    private static final int DRAIN_BATCH = 256;
    /** Abandoned tasks remembered for clean-up; beyond this the oldest are left to expire with their hashes. */
    private static final int MAX_ABANDONED = 10_000;
    static final String ABANDONED = "abandoned: Redis was unavailable while the caller waited; the script may or may not have run";

    private final Redis redis;
    private final TaskCancellation cancellation;
    private final Duration pollDeadline;
    private final String replyKey;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Set<Pending> abandoned = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;
    private volatile boolean started;
    private volatile boolean connected;
    private RedisConnection connection;

    private record Pending(String taskId, String circle, String caller, CompletableFuture<TaskResult> future) {
    }

    public ReplyListener(RedisCalls calls, DispatchConfig config, TaskCancellation cancellation) {
        this.redis = calls.redis();
        this.cancellation = cancellation;
        this.pollDeadline = Duration.ofSeconds(POLL_SECONDS).plus(config.redisTimeout());
        this.replyKey = new RedisKeys(config).reply(UUID.randomUUID().toString());
    }

    /** A server starts listening at boot, so readiness tells the truth before the first play. */
    void onStart(@Observes StartupEvent event, CirclesConfig config) {
        if (config.server().enabled()) {
            start();
        }
    }

    /** The list workers push this instance's replies onto. */
    public String replyKey() {
        return replyKey;
    }

    /** Whether the reply path is up: started and holding a live connection to Redis. */
    public boolean isListening() {
        return started && connected && !stopped;
    }

    /** Registers interest in {@code taskId} before it is queued, so no reply can be missed. */
    public CompletableFuture<TaskResult> expect(String taskId, String circle, String caller) {
        start();
        CompletableFuture<TaskResult> future = new CompletableFuture<>();
        pending.put(taskId, new Pending(taskId, circle, caller, future));
        return future;
    }

    /** Drops interest (timed out, or failed to queue). */
    public void forget(String taskId) {
        pending.remove(taskId);
    }

    /** Requests still waiting for a reply. */
    public int pendingCount() {
        return pending.size();
    }

    /** Starts the listening loop (idempotent). */
    public synchronized void start() {
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
                    connected = true;
                    conn.exceptionHandler(e -> LOG.debugf("Reply connection error: %s", e.getClass().getSimpleName()));
                    endAbandoned();
                    poll(conn);
                }, failure -> {
                    LOG.debugf("Reply listener cannot reach Redis; retrying");
                    connect(backoff(delay));
                });
    }

    private void poll(RedisConnection conn) {
        if (stopped) {
            conn.close().subscribe().with(ok -> { }, e -> { });
            return;
        }
        conn.send(Request.cmd(Command.BLPOP).arg(replyKey).arg(POLL_SECONDS))
                .ifNoItem().after(pollDeadline).fail()
                .subscribe().with(response -> {
                    if (response != null && response.size() == 2) {
                        handle(response.get(1).toString());
                        drain(conn);
                    } else {
                        poll(conn);
                    }
                }, failure -> lost(conn));
    }

    /** Under load replies pile up: take up to {@link #DRAIN_BATCH} per round trip until the list is empty. */
    private void drain(RedisConnection conn) {
        conn.send(Request.cmd(Command.LPOP).arg(replyKey).arg(DRAIN_BATCH))
                .ifNoItem().after(pollDeadline).fail()
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
                }, failure -> lost(conn));
    }

    /** The reply path is down: fail every waiting request now, and reconnect. */
    private void lost(RedisConnection conn) {
        connected = false;
        conn.close().subscribe().with(ok -> { }, e -> { });
        if (stopped) {
            return;
        }
        int failed = failWaiting(Kind.ABANDON, "Dispatcher unavailable: lost the connection to Redis while waiting for the result");
        LOG.debugf("Reply listener lost Redis; %d waiting request(s) failed; reconnecting", failed);
        connect(Duration.ofMillis(100));
    }

    private enum Kind { ABANDON, SHUTDOWN }

    private int failWaiting(Kind kind, String message) {
        int failed = 0;
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext();) {
            Pending waiting = it.next();
            it.remove();
            if (kind == Kind.ABANDON && abandoned.size() < MAX_ABANDONED) {
                abandoned.add(waiting);
            }
            waiting.future().completeExceptionally(new DispatchException(DispatchException.Kind.UNAVAILABLE, message, waiting.taskId(), null));
            failed++;
        }
        return failed;
    }

    /** Ends the tasks whose callers were failed during an outage; those that finished meanwhile stay as they are. */
    private void endAbandoned() {
        List<Pending> batch = new ArrayList<>(abandoned);
        for (Pending task : batch) {
            cancellation.cancel(task.circle(), task.caller(), task.taskId(), ABANDONED, true)
                    .subscribe().with(ended -> abandoned.remove(task), failure -> { /* retried on the next reconnect */ });
        }
    }

    private void handle(String payload) {
        TaskResult result = TaskHash.fromReply(payload);
        if (result == null) {
            LOG.debugf("Ignoring a reply that is not a task result");
            return;
        }
        Pending waiting = pending.remove(result.taskId());
        if (waiting != null) {
            waiting.future().complete(result);
        }
    }

    private static Duration backoff(Duration previous) {
        return Duration.ofMillis(Math.max(100, Math.min(2000, previous.toMillis() * 2)));
    }

    @PreDestroy
    synchronized void stop() {
        stopped = true;
        if (connection != null) {
            connection.close().subscribe().with(ok -> { }, e -> { });
        }
        failWaiting(Kind.SHUTDOWN, "Server shutting down");
    }
}
