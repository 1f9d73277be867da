package io.circles.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.circles.circle.CircleRegistry;
import io.circles.dispatch.DispatchConfig;
import io.circles.dispatch.RedisKeys;
import io.circles.dispatch.TaskResult;
import io.circles.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Executes queued scripts for the circles this process serves.
 * <p>
 * One fetcher thread per circle moves tasks from the circle's queue to this worker's processing list on its
 * own connection (a Lua script taking several at once under load, {@code BLMOVE} waiting when the queue is
 * empty), so a task is always in exactly one of the queue, a processing list, or finished. Fetchers claim
 * tasks only while a script thread or a prefetch slot is free (a semaphore), and scripts run on pool threads
 * with a known stack size, never on the event loop. Tasks are run at most once: a task found
 * in a dead worker's processing list is failed ("worker lost") by the {@link Reaper}, never re-run.
 */
@Singleton
public class TaskWorker {
    private static final Logger LOG = Logger.getLogger(TaskWorker.class);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    private static final int BLOCK_SECONDS = 1;
    /**
     * Claims a task in one round trip: only a {@code pending} task becomes {@code processing} (so a task is
     * never run twice), and its fields come back in the same reply. KEYS: task hash. ARGV: now, worker id.
     */
    /**
     * Moves up to ARGV[4] tasks to the processing list and claims them, in one round trip. KEYS: queue,
     * processing list. ARGV: task key prefix of the circle, now, worker id, how many. Returns false when the
     * queue is empty, else one entry per task: {id} when it was not pending (dropped), {id, field, value, …}
     * once claimed. The task hash key is
     * derived inside the script: on Redis Cluster use cluster-safe keys so it shares the queue's slot.
     */
    private static final LuaScript TAKE = new LuaScript("""
            local taken = {}
            for i = 1, tonumber(ARGV[4]) do
              local id = redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT')
              if not id then break end
              local key = ARGV[1] .. id
              if redis.call('HGET', key, 'status') ~= 'pending' then
                redis.call('LREM', KEYS[2], 1, id)
                taken[#taken + 1] = {id}
              else
                redis.call('HSET', key, 'status', 'processing', 'updated_at', ARGV[2], 'worker_id', ARGV[3])
                local fields = redis.call('HGETALL', key)
                table.insert(fields, 1, id)
                taken[#taken + 1] = fields
              end
            end
            if #taken == 0 then return false end
            return taken""");
    private static final LuaScript CLAIM = new LuaScript("""
            if redis.call('HGET', KEYS[1], 'status') ~= 'pending' then return false end
            redis.call('HSET', KEYS[1], 'status', 'processing', 'updated_at', ARGV[1], 'worker_id', ARGV[2])
            return redis.call('HGETALL', KEYS[1])""");

    private final Redis redis;
    private final RedisKeys keys;
    private final WorkerConfig config;
    private final CircleRegistry circles;
    private final ScriptRunner runner;
    private final ObjectMapper mapper = new ObjectMapper();
    private final String workerId;
    private final int concurrency;
    /** Tasks this worker may still claim: script threads plus the prefetch allowance. */
    private final Semaphore freeSlots;
    private final Set<String> fetching = ConcurrentHashMap.newKeySet();
    /** Results being written to Redis; shutdown waits for them. */
    private final AtomicInteger finishing = new AtomicInteger();
    private ExecutorService scripts;
    private ScheduledExecutorService housekeeping;
    private volatile boolean stopping;

    public TaskWorker(ReactiveRedisDataSource redis, DispatchConfig dispatch, WorkerConfig config,
            CircleRegistry circles, ScriptRunner runner) {
        this.redis = redis.getRedis();
        this.keys = new RedisKeys(dispatch);
        this.config = config;
        this.circles = circles;
        this.runner = runner;
        this.workerId = config.id().orElse(UUID.randomUUID().toString());
        this.concurrency = config.concurrency().orElse(Runtime.getRuntime().availableProcessors());
        this.freeSlots = new Semaphore(concurrency + Math.max(0, config.prefetch()), true);
    }

    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Starts fetchers, heartbeat and reaper. */
    public synchronized void start() {
        if (scripts != null) {
            return;
        }
        stopping = false;
        AtomicInteger threadNo = new AtomicInteger();
        scripts = new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> daemon(r, "rhai-script-" + threadNo.incrementAndGet(), config.threadStackBytes()));
        housekeeping = Executors.newScheduledThreadPool(1, r -> daemon(r, "rhai-worker-housekeeping", 0));
        heartbeat(); // before the first task is taken, so the reaper never mistakes this worker for a dead one
        long beat = config.heartbeatInterval().toMillis();
        housekeeping.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        if (circles.servesAll()) {
            housekeeping.scheduleWithFixedDelay(this::discoverCircles, 0, 1, TimeUnit.SECONDS);
        } else {
            circles.configured().forEach(this::startFetcher);
        }
        LOG.infof("Worker %s started: %d script thread(s), %s", workerId, concurrency,
                circles.servesAll() ? "every circle with tasks" : circles.configured().size() + " circle(s)");
    }

    /** Stops taking tasks, lets running scripts finish (up to 10 s) and their results reach Redis (up to 5 s more). */
    public synchronized void stop() {
        if (scripts == null) {
            return;
        }
        stopping = true;
        scripts.shutdown();
        try {
            if (!scripts.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("Scripts still running at shutdown; the reaper will report them as lost");
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (finishing.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10); // bounded wait for the last results to reach Redis
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        housekeeping.shutdownNow();
        scripts = null;
        fetching.clear();
    }

    private void discoverCircles() {
        try {
            Response members = redis.send(Request.cmd(Command.SMEMBERS).arg(keys.circles())).await().atMost(COMMAND_TIMEOUT);
            if (members != null) {
                members.forEach(circle -> startFetcher(circle.toString()));
            }
        } catch (RuntimeException e) {
            LOG.debugf("Circle discovery failed: %s", e.getMessage());
        }
    }

    private void startFetcher(String circle) {
        if (fetching.add(circle)) {
            daemon(() -> fetchLoop(circle), "rhai-fetch-" + circle.substring(0, 8), 0).start();
        }
    }

    private void fetchLoop(String circle) {
        RedisConnection connection = null;
        long backoffMillis = 100;
        while (!stopping) {
            try {
                if (connection == null) {
                    connection = redis.connect().await().atMost(COMMAND_TIMEOUT);
                }
                freeSlots.acquire();
                int slots = 1 + freeSlots.drainPermits();
                List<Claimed> tasks;
                try {
                    tasks = takeNow(connection, circle, slots);
                    if (tasks == null) {
                        // idle: wait holding one slot only, so fetchers of other circles can take theirs
                        freeSlots.release(slots - 1);
                        slots = 1;
                        tasks = awaitOne(connection, circle);
                    }
                } catch (RuntimeException e) {
                    freeSlots.release(slots);
                    throw e;
                }
                freeSlots.release(slots - tasks.size());
                tasks.forEach(task -> submit(circle, task));
                backoffMillis = 100;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.debugf("Fetcher for %s lost Redis (%s); retrying in %d ms", circle, e.getMessage(), backoffMillis);
                connection = closeQuietly(connection);
                sleepQuietly(backoffMillis);
                backoffMillis = Math.min(2000, backoffMillis * 2);
            }
        }
        closeQuietly(connection);
        fetching.remove(circle);
    }

    /** A task moved to this worker's processing list and marked processing, with its fields. */
    private record Claimed(String taskId, Map<String, String> fields) {
    }

    /**
     * Moves and claims up to {@code max} tasks in one {@link #TAKE} round trip. Yields null when the queue was
     * empty; tasks that were not pending are dropped from the processing list and not returned.
     */
    private List<Claimed> takeNow(RedisConnection connection, String circle, int max) {
        Response taken = TAKE.run(connection::send, new String[] {keys.queue(circle), keys.processing(circle, workerId)},
                keys.task(circle, ""), now(), workerId, max).await().atMost(COMMAND_TIMEOUT);
        if (taken == null) {
            return null;
        }
        List<Claimed> claimed = new ArrayList<>();
        for (Response entry : taken) {
            if (entry.size() > 1) {
                claimed.add(new Claimed(entry.get(0).toString(), pairs(entry, 1)));
            }
        }
        return claimed;
    }

    /** Waits in Redis ({@code BLMOVE}, up to a second) for the next task and claims it. */
    private List<Claimed> awaitOne(RedisConnection connection, String circle) {
        Response moved = connection.send(Request.cmd(Command.BLMOVE).arg(keys.queue(circle)).arg(keys.processing(circle, workerId))
                .arg("RIGHT").arg("LEFT").arg(BLOCK_SECONDS)).await().atMost(COMMAND_TIMEOUT);
        if (moved == null) {
            return List.of();
        }
        return claimOne(connection, circle, moved.toString()).map(List::of).orElse(List.of());
    }

    private Optional<Claimed> claimOne(RedisConnection connection, String circle, String taskId) {
        Response fields = CLAIM.run(connection::send, new String[] {keys.task(circle, taskId)}, now(), workerId)
                .await().atMost(COMMAND_TIMEOUT);
        if (fields == null) {
            // expired, or already handled elsewhere: never run a task twice
            connection.send(Request.cmd(Command.LREM).arg(keys.processing(circle, workerId)).arg(1).arg(taskId))
                    .await().atMost(COMMAND_TIMEOUT);
            return Optional.empty();
        }
        return Optional.of(new Claimed(taskId, pairs(fields, 0)));
    }

    private void submit(String circle, Claimed task) {
        try {
            scripts.execute(() -> {
                try {
                    Map<String, String> fields = task.fields();
                    ScriptRunner.Outcome outcome = runner.run(circle, fields.getOrDefault("caller_id", ""),
                            fields.getOrDefault("script", ""), scopeOf(fields.get("scope")));
                    finish(circle, task.taskId(), fields.get("reply_queue_name"), outcome);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "Task %s failed in the worker", task.taskId());
                } finally {
                    freeSlots.release();
                }
            });
        } catch (RuntimeException rejected) {
            freeSlots.release();
            throw rejected;
        }
    }

    /** Field/value pairs of a flat array reply, from {@code offset} (Lua replies are flat in RESP2 and RESP3). */
    private static Map<String, String> pairs(Response flat, int offset) {
        Map<String, String> map = new HashMap<>();
        for (int i = offset; i + 1 < flat.size(); i += 2) {
            map.put(flat.get(i).toString(), flat.get(i + 1).toString());
        }
        return map;
    }

    /**
     * Records the outcome and replies in one round trip, without holding the script thread: the next script
     * starts while Redis writes. Retried a few times if Redis is briefly away; shutdown waits for it.
     */
    private void finish(String circle, String taskId, String replyQueue, ScriptRunner.Outcome outcome) {
        String status = outcome.ok() ? TaskResult.COMPLETED : TaskResult.ERROR;
        String logs = mapper.valueToTree(outcome.logs()).toString();
        Request hset = Request.cmd(Command.HSET).arg(keys.task(circle, taskId))
                .arg("status").arg(status).arg("updated_at").arg(now()).arg("logs").arg(logs)
                .arg(outcome.ok() ? "output" : "error").arg(outcome.ok() ? outcome.output() : outcome.error());
        List<Request> batch = new ArrayList<>();
        batch.add(hset);
        if (replyQueue != null && !replyQueue.isEmpty()) {
            batch.add(Request.cmd(Command.LPUSH).arg(replyQueue).arg(replyPayload(taskId, outcome, status)));
            batch.add(Request.cmd(Command.EXPIRE).arg(replyQueue).arg(3600));
        }
        batch.add(Request.cmd(Command.LREM).arg(keys.processing(circle, workerId)).arg(1).arg(taskId));
        finishing.incrementAndGet();
        record(taskId, batch, 1);
    }

    private void record(String taskId, List<Request> batch, int attempt) {
        redis.batch(batch).subscribe().with(done -> finishing.decrementAndGet(), failure -> {
            if (attempt >= 5 || housekeeping.isShutdown()) {
                LOG.errorf("Could not record the result of task %s: %s", taskId, failure.getMessage());
                finishing.decrementAndGet();
            } else {
                housekeeping.schedule(() -> record(taskId, batch, attempt + 1), 200L * attempt, TimeUnit.MILLISECONDS);
            }
        });
    }

    private String replyPayload(String taskId, ScriptRunner.Outcome outcome, String status) {
        ObjectNode reply = mapper.createObjectNode();
        reply.put("task_id", taskId);
        reply.put("status", status);
        reply.put("output", outcome.output());
        reply.put("error", outcome.error());
        reply.set("logs", mapper.valueToTree(outcome.logs()));
        return reply.toString();
    }

    private ObjectNode scopeOf(String json) {
        if (json != null && !json.isEmpty()) {
            try {
                JsonNode scope = mapper.readTree(json);
                if (scope.isObject()) {
                    return (ObjectNode) scope;
                }
            } catch (Exception e) {
                LOG.warnf("Ignoring an unreadable task scope: %s", e.getMessage());
            }
        }
        return mapper.createObjectNode();
    }

    private void heartbeat() {
        try {
            long ttl = Math.max(1, config.heartbeatTimeout().toSeconds());
            send(Request.cmd(Command.SET).arg(keys.heartbeat(workerId)).arg(now()).arg("EX").arg(ttl));
        } catch (RuntimeException e) {
            LOG.debugf("Heartbeat failed: %s", e.getMessage());
        }
    }

    private Response send(Request request) {
        return redis.send(request).await().atMost(COMMAND_TIMEOUT);
    }

    private static String now() {
        return Long.toString(Instant.now().getEpochSecond());
    }

    private static RedisConnection closeQuietly(RedisConnection connection) {
        if (connection != null) {
            try {
                connection.close().await().atMost(Duration.ofSeconds(1));
            } catch (RuntimeException ignored) {
                // the connection is gone already
            }
        }
        return null;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable body, String name, long stackBytes) {
        Thread thread = new Thread(null, body, name, stackBytes);
        thread.setDaemon(true);
        return thread;
    }
}
