package io.circles.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.circles.config.CirclesConfig;
import io.circles.dispatch.DispatchConfig;
import io.circles.dispatch.RedisKeys;
import io.circles.dispatch.TaskHashes;
import io.circles.dispatch.TaskResult;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Fails the tasks of workers that died mid-task. A processing list whose worker has no live heartbeat is
 * drained with {@code RPOP} (atomic: two reapers never handle one task twice); each unfinished task is marked
 * {@code error} ("worker lost") and its caller is told through its reply list. Tasks are never re-run:
 * scripts have side effects, so interactive plays are at-most-once.
 */
@Singleton
public class Reaper {
    private static final Logger LOG = Logger.getLogger(Reaper.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final String WORKER_LOST = "worker lost: the worker running this task stopped before finishing it";

    private final Redis redis;
    private final RedisKeys keys;
    private final ObjectMapper mapper = new ObjectMapper();
    private final WorkerConfig config;
    private final CirclesConfig circlesConfig;
    private ScheduledExecutorService timer;

    public Reaper(ReactiveRedisDataSource redis, DispatchConfig dispatch, WorkerConfig config, CirclesConfig circlesConfig) {
        this.redis = redis.getRedis();
        this.keys = new RedisKeys(dispatch);
        this.config = config;
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

    /** One pass over every processing list. */
    public void reapOnce() {
        try {
            String cursor = "0";
            do {
                Response page = send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(keys.processingPattern()).arg("COUNT").arg(500));
                cursor = page.get(0).toString();
                for (Response key : page.get(1)) {
                    reapList(key.toString());
                }
            } while (!"0".equals(cursor));
        } catch (RuntimeException e) {
            LOG.debugf("Reaper pass failed: %s", e.getMessage());
        }
    }

    private void reapList(String processingKey) {
        int marker = processingKey.lastIndexOf(":processing:");
        String workerId = processingKey.substring(marker + ":processing:".length());
        if (isAlive(workerId)) {
            return;
        }
        String circle = circleOf(processingKey.substring(0, marker));
        Response taskId;
        while ((taskId = send(Request.cmd(Command.RPOP).arg(processingKey))) != null) {
            failLost(circle, taskId.toString());
        }
    }

    private boolean isAlive(String workerId) {
        return send(Request.cmd(Command.EXISTS).arg(keys.heartbeat(workerId))).toInteger() > 0;
    }

    private String circleOf(String queueKey) {
        String tail = queueKey.substring(queueKey.lastIndexOf(':') + 1);
        return tail.startsWith("{") && tail.endsWith("}") ? tail.substring(1, tail.length() - 1) : tail;
    }

    private void failLost(String circle, String taskId) {
        String taskKey = keys.task(circle, taskId);
        Map<String, String> hash = TaskHashes.toMap(send(Request.cmd(Command.HGETALL).arg(taskKey)));
        if (hash.isEmpty() || TaskResult.COMPLETED.equals(hash.get("status")) || TaskResult.ERROR.equals(hash.get("status"))) {
            return;
        }
        LOG.warnf("Task %s in circle %s was lost with its worker; reporting an error", taskId, circle);
        send(Request.cmd(Command.HSET).arg(taskKey).arg("status").arg(TaskResult.ERROR).arg("error").arg(WORKER_LOST)
                .arg("updated_at").arg(Long.toString(Instant.now().getEpochSecond())));
        String replyQueue = hash.get("reply_queue_name");
        if (replyQueue != null && !replyQueue.isEmpty()) {
            ObjectNode reply = mapper.createObjectNode();
            reply.put("task_id", taskId);
            reply.put("status", TaskResult.ERROR);
            reply.putNull("output");
            reply.put("error", WORKER_LOST);
            reply.set("logs", mapper.valueToTree(List.of()));
            send(Request.cmd(Command.LPUSH).arg(replyQueue).arg(reply.toString()));
        }
    }

    private Response send(Request request) {
        return redis.send(request).await().atMost(TIMEOUT);
    }
}
