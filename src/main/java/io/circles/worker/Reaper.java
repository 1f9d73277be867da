package io.circles.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.circles.config.CirclesConfig;
import io.circles.dispatch.DispatchConfig;
import io.circles.dispatch.RedisKeys;
import io.circles.dispatch.TaskHash;
import io.circles.dispatch.TaskScripts;
import io.circles.events.LivePublisher;
import io.circles.metrics.CirclesMetrics;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * Fails the tasks of workers that died mid-task. It looks only at circles that may have running tasks
 * ({@code circles:active}), never scans the keyspace, so it works alike on one Redis and on every master of
 * a Cluster. A running task whose worker has no live heartbeat in {@code circles:workers} is marked
 * {@code error} ("worker lost") by {@link TaskScripts#LOST} (atomic: two reapers never report one task twice)
 * and its caller is told. Tasks are never re-run: scripts have side effects, so plays are at-most-once.
 */
@Singleton
public class Reaper {
    private static final Logger LOG = Logger.getLogger(Reaper.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int PAGE = 500;
    private static final long FORGET_WORKERS_AFTER_MILLIS = TimeUnit.HOURS.toMillis(1);
    /** How long a claim may go unanswered before this process's worker counts it as orphaned (two command time-outs). */
    private static final long ORPHAN_GRACE_MILLIS = 10_000;
    static final String WORKER_LOST = "worker lost: the worker running this task stopped before finishing it";

    private final Redis redis;
    private final RedisKeys keys;
    private final WorkerConfig config;
    private final DispatchConfig dispatch;
    private final CirclesConfig circlesConfig;
    /** This process's worker (idle in a server-only process), the only one that can tell its own lost claims. */
    private final TaskWorker ownWorker;
    private final CirclesMetrics metrics;
    /** Announces a lost task's end to its caller's {@code tasks} subscriptions. */
    private final LivePublisher live;
    private ScheduledExecutorService timer;

    public Reaper(ReactiveRedisDataSource redis, DispatchConfig dispatch, WorkerConfig config, CirclesConfig circlesConfig,
            CirclesMetrics metrics, TaskWorker ownWorker, LivePublisher live) {
        this.metrics = metrics;
        this.live = live;
        this.ownWorker = ownWorker;
        this.redis = redis.getRedis();
        this.keys = new RedisKeys(dispatch);
        this.config = config;
        this.dispatch = dispatch;
        this.circlesConfig = circlesConfig;
    }

    /** Runs in every process that serves clients or runs scripts: either may notice a dead worker. */
    void onStart(@Observes StartupEvent event) {
        if (config.enabled() || circlesConfig.server().enabled()) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "rhai-reaper");
                thread.setDaemon(true);
                return thread;
            });
            long every = config.reapInterval().toMillis();
            timer.scheduleWithFixedDelay(this::reapOnce, every, every, TimeUnit.MILLISECONDS);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** One pass over every circle that may have running tasks. */
    public void reapOnce() {
        try {
            long now = System.currentTimeMillis();
            Set<String> live = liveWorkers(now);
            long start = 0;
            Map<String, Long> page;
            do {
                page = scored(send(Request.cmd(Command.ZRANGE).arg(keys.active()).arg(start).arg(start + PAGE - 1).arg("WITHSCORES")));
                page.forEach((circle, markedAt) -> reapCircle(circle, markedAt, live, now));
                start += PAGE;
            } while (page.size() == PAGE);
        } catch (RuntimeException e) {
            LOG.debugf("Reaper pass failed: %s", e.getClass().getSimpleName());
        }
    }

    /** Members and scores of a WITHSCORES reply: flat pairs in RESP2, an array of pairs in RESP3. */
    private static Map<String, Long> scored(Response reply) {
        Map<String, Long> scored = new LinkedHashMap<>();
        for (int i = 0; i < reply.size(); i++) {
            Response entry = reply.get(i);
            if (entry.type() == ResponseType.MULTI) {
                scored.put(entry.get(0).toString(), entry.get(1).toDouble().longValue());
            } else {
                scored.put(entry.toString(), reply.get(++i).toDouble().longValue());
            }
        }
        return scored;
    }

    private Set<String> liveWorkers(long now) {
        send(Request.cmd(Command.ZREMRANGEBYSCORE).arg(keys.workers()).arg("-inf").arg(Long.toString(now - FORGET_WORKERS_AFTER_MILLIS)));
        Set<String> live = new HashSet<>();
        send(Request.cmd(Command.ZRANGEBYSCORE).arg(keys.workers()).arg(Long.toString(now)).arg("+inf"))
                .forEach(worker -> live.add(worker.toString()));
        return live;
    }

    private void reapCircle(String circle, long markedAt, Set<String> live, long now) {
        Response claims = TaskScripts.CLAIMS.run(redis::send, new String[] {keys.running(circle)}, keys.taskPrefix(circle))
                .await().atMost(TIMEOUT);
        if (claims.size() == 0) {
            // a worker marks a circle before it claims there, and renews the mark every half timeout while it does
            if (now - markedAt > config.heartbeatTimeout().toMillis()) {
                send(Request.cmd(Command.ZREM).arg(keys.active()).arg(circle));
            }
            return;
        }
        for (int i = 0; i + 2 < claims.size(); i += 3) {
            String taskId = claims.get(i).toString();
            String worker = claims.get(i + 1).toString();
            long claimedAt = (long) Double.parseDouble(claims.get(i + 2).toString());
            if (!live.contains(worker) || orphanedHere(taskId, worker, claimedAt, now)) {
                failLost(circle, taskId, worker);
            }
        }
    }

    /**
     * A task claimed by this very process's worker that it is not running: the claim's reply was lost (a time-out
     * or a dropped connection after Redis ran the claim), so the script never started and never will. The
     * heartbeat is alive, so only this process can tell; the grace covers a claim whose reply is still on its way.
     */
    private boolean orphanedHere(String taskId, String worker, long claimedAt, long now) {
        return worker.equals(ownWorker.workerId()) && now - claimedAt > ORPHAN_GRACE_MILLIS && !ownWorker.runs(taskId);
    }

    private void failLost(String circle, String taskId, String worker) {
        String[] lostKeys = {keys.task(circle, taskId), keys.running(circle), keys.callers(circle)};
        Response outcome = TaskScripts.LOST.run(redis::send, lostKeys, taskId, worker, WORKER_LOST,
                Instant.now().getEpochSecond(), dispatch.finishedTaskTtl().toSeconds()).await().atMost(TIMEOUT);
        if (outcome.get(0).toInteger() == 1) {
            metrics.taskLost();
            LOG.warnf("Task %s in circle %s was lost with its worker; reporting an error", taskId, circle);
            String replyQueue = outcome.get(1).toString();
            if (!replyQueue.isEmpty()) {
                redis.batch(TaskHash.replyPush(replyQueue, List.of(TaskHash.reply(taskId, TaskHash.Status.ERROR, null, WORKER_LOST,
                        List.of())))).await().atMost(TIMEOUT);
            }
            live.taskState(circle, outcome.get(3).toString(), taskId, TaskHash.Status.ERROR.wire(), WORKER_LOST);
        }
        if (outcome.get(2).toLong() > 0) {
            send(TaskScripts.wakeUp(keys, circle));
        }
    }

    private Response send(Request request) {
        return redis.send(request).await().atMost(TIMEOUT);
    }
}
