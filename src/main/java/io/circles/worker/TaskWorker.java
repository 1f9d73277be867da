package io.circles.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.circles.circle.TaskContext;
import io.circles.dispatch.DispatchConfig;
import io.circles.dispatch.RedisCalls;
import io.circles.dispatch.RedisKeys;
import io.circles.dispatch.TaskHash;
import io.circles.dispatch.TaskScripts;
import io.circles.dispatch.TaskStateEvent;
import io.circles.metrics.CirclesMetrics;
import io.circles.metrics.MetricsConfig;
import io.circles.metrics.TaskLog;
import io.circles.metrics.TaskTracing;
import io.circles.metrics.Traceparent;
import io.opentelemetry.api.trace.SpanKind;
import io.circles.redis.LuaScript;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Runs queued scripts, whatever the number of circles, with one intake thread and one dedicated Redis
 * connection per process.
 * <p>
 * Circles with work wait their turn in {@code circles:ready}, oldest first. The intake takes the next circle,
 * claims as many of its tasks as it has free threads for (at most the circle's share,
 * {@code circles.worker.threads-per-circle}) with {@link TaskScripts#TAKE}, which serves the circle's callers
 * round-robin, and puts the circle back at the end of the line while it has work. So work is shared round-robin
 * across circles and across callers within a circle, and a circle full of slow scripts holds at most its share
 * of threads. When nobody else is waiting, it keeps serving the same circle without going back to the line.
 * <p>
 * Tasks run at most once; the {@link Reaper} fails those of a worker that died.
 */
@Singleton
public class TaskWorker {
    private static final Logger LOG = Logger.getLogger(TaskWorker.class);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    private static final int BLOCK_SECONDS = 1;
    private static final long ROOM_WAIT_MILLIS = 50;
    /** Pops the oldest circle with work and says how many others wait. KEYS: ready set. */
    private static final LuaScript NEXT_CIRCLE = new LuaScript("""
            local next = redis.call('ZPOPMIN', KEYS[1])
            if #next == 0 then return false end
            return {next[1], redis.call('ZCARD', KEYS[1])}""");

    private final Redis redis;
    private final RedisKeys keys;
    private final WorkerConfig config;
    private final DispatchConfig dispatch;
    private final ScriptRunner runner;
    private final CirclesMetrics metrics;
    private final TaskTracing tracing;
    private final TaskStateEvent.Channels channels;
    private final Duration slowTask;
    private final String workerId;
    /** On a Redis Cluster, commands of different slots cannot share a pipelined batch. */
    private final boolean cluster;
    private final int concurrency;
    /** When this worker last told the reaper that a circle may have its tasks running (ms), by circle. */
    private final Map<String, Long> activeMarks = new ConcurrentHashMap<>();
    /** When each circle's last script here ended (ms) and whether it ran within fast-script, by circle. */
    private final Map<String, Pace> paces = new ConcurrentHashMap<>();
    /** Tasks this worker has claimed and not finished, so the reaper can tell a claim whose reply was lost. */
    private final Set<String> claimed = ConcurrentHashMap.newKeySet();
    /** The circle the intake took from the line and has not yet served or put back (null when none). */
    private String holding;
    /** Results being written to Redis; shutdown waits for them. */
    private final AtomicInteger finishing = new AtomicInteger();
    private ScriptThreads threads;
    private ScheduledExecutorService housekeeping;
    private Thread intake;
    private volatile boolean stopping;
    private volatile long lastIntakeLoop;

    public TaskWorker(RedisCalls calls, DispatchConfig dispatch, WorkerConfig config, ScriptRunner runner,
            CirclesMetrics metrics, TaskTracing tracing, MetricsConfig metricsConfig, TaskStateEvent.Channels channels) {
        this.redis = calls.redis();
        this.channels = channels;
        this.cluster = calls.cluster();
        this.keys = new RedisKeys(dispatch);
        this.config = config;
        this.dispatch = dispatch;
        this.runner = runner;
        this.metrics = metrics;
        this.tracing = tracing;
        this.slowTask = metricsConfig.slowTask();
        this.workerId = config.id().orElse(UUID.randomUUID().toString());
        this.concurrency = config.concurrency().orElse(Math.max(8, 8 * Runtime.getRuntime().availableProcessors()));
        if (config.enabled()) {
            metrics.workerThreads(this::busyThreads, this::threadCount);
        }
    }

    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public String workerId() {
        return workerId;
    }

    /** Script threads busy now (for metrics). */
    public int busyThreads() {
        ScriptThreads current = threads;
        return current == null ? 0 : current.busy();
    }

    public int threadCount() {
        return concurrency;
    }

    /** Whether the intake loop runs and went round recently (for health checks). */
    public boolean intakeAlive() {
        Thread loop = intake;
        return loop != null && loop.isAlive() && System.currentTimeMillis() - lastIntakeLoop < COMMAND_TIMEOUT.toMillis() * 3;
    }

    /** Whether the intake thread exists and has not died (it survives Redis outages by retrying). */
    public boolean intakeThreadRunning() {
        Thread loop = intake;
        return stopping || (loop != null && loop.isAlive());
    }

    /** Starts the intake and the heartbeat. */
    public synchronized void start() {
        if (threads != null) {
            return;
        }
        stopping = false;
        threads = new ScriptThreads(concurrency, Math.max(1, config.threadsPerCircle()), config.threadStackBytes());
        housekeeping = Executors.newScheduledThreadPool(1, r -> daemon(r, "rhai-worker-housekeeping"));
        heartbeat(); // before the first task is taken, so the reaper never mistakes this worker for a dead one
        long beat = config.heartbeatInterval().toMillis();
        housekeeping.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        lastIntakeLoop = System.currentTimeMillis();
        intake = daemon(this::intakeLoop, "rhai-intake");
        intake.start();
        LOG.infof("Worker %s started: %d script thread(s), at most %d per circle", workerId, concurrency, config.threadsPerCircle());
    }

    /** Stops taking tasks, lets running scripts finish (up to 10 s) and their results reach Redis (up to 5 s more). */
    public synchronized void stop() {
        if (threads == null) {
            return;
        }
        stopping = true;
        try {
            intake.join(TimeUnit.SECONDS.toMillis(BLOCK_SECONDS) + COMMAND_TIMEOUT.toMillis());
            if (!threads.shutdown(TimeUnit.SECONDS.toMillis(10))) {
                LOG.warn("Scripts still running at shutdown; the reaper will report them as lost");
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (finishing.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10); // bounded wait on the shutdown thread for the last results to reach Redis
            }
            send(Request.cmd(Command.ZREM).arg(keys.workers()).arg(workerId));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debugf("Could not sign off: %s", e.getClass().getSimpleName());
        }
        housekeeping.shutdownNow();
        threads = null;
    }

    // ------------------------------------------------------------------ intake

    private void intakeLoop() {
        RedisConnection connection = null;
        String current = null;
        long backoffMillis = 100;
        while (!stopping) {
            lastIntakeLoop = System.currentTimeMillis();
            try {
                if (connection == null) {
                    connection = redis.connect().await().atMost(COMMAND_TIMEOUT);
                }
                if (holding != null) {
                    giveBack(connection, holding);
                }
                current = turn(connection, current);
                holding = null;
                backoffMillis = 100;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                // an Error here (say, OutOfMemoryError) must not end the intake: the process could never recover
                if (isBug(e)) {
                    LOG.errorf(e, "Intake failed; retrying in %d ms", backoffMillis);
                } else {
                    LOG.debugf("Intake lost Redis or failed (%s); retrying in %d ms", e.getClass().getSimpleName(), backoffMillis);
                }
                connection = closeQuietly(connection);
                current = null;
                sleepQuietly(backoffMillis);
                backoffMillis = Math.min(2000, backoffMillis * 2);
            }
        }
        closeQuietly(connection);
    }

    /** A failure that no Redis trouble explains: it must show in the log, not hide among reconnects. */
    private static boolean isBug(Throwable e) {
        return e instanceof NullPointerException || e instanceof ClassCastException || e instanceof IllegalStateException
                || e instanceof IndexOutOfBoundsException || e instanceof IllegalArgumentException;
    }

    /**
     * One step of the intake: picks a circle (or keeps {@code current}), claims what fits, starts it.
     *
     * @return the circle to keep serving next, or null to go back to the line
     */
    private String turn(RedisConnection connection, String current) throws InterruptedException {
        long seen = threads.releases(); // before looking at free threads, so no release in between goes unnoticed
        if (threads.free() == 0) {
            threads.awaitFreedSince(seen, TimeUnit.SECONDS.toMillis(BLOCK_SECONDS));
            return current;
        }
        String circle = current != null ? current : nextCircle(connection);
        if (circle == null) {
            return null;
        }
        holding = circle; // until this turn ends normally: a failure mid-way must not lose the circle's place
        int room = threads.room(circle);
        if (room == 0) {
            // the circle holds its share of threads: back of the line, and let the others have a turn
            boolean alone = requeue(connection, circle);
            if (alone) {
                threads.awaitFreedSince(seen, ROOM_WAIT_MILLIS);
            }
            return null;
        }
        markActive(connection, circle);
        Taken taken = take(connection, circle, room);
        start(circle, taken.tasks(), taken.booked());
        if (taken.waitingCallers() == 0 || taken.running() >= dispatch.maxRunningPerCircle()) {
            return null; // done, or at the circle's cap across workers: a finishing task puts it back in line
        }
        if (taken.othersWaiting() > 0 || taken.tasks().isEmpty()) {
            requeue(connection, circle);
            return null;
        }
        return circle;
    }

    /** The oldest circle with work, waiting up to a second in Redis for one. */
    private String nextCircle(RedisConnection connection) {
        Response next = NEXT_CIRCLE.run(connection::send, new String[] {keys.ready()}).await().atMost(COMMAND_TIMEOUT);
        if (next != null) {
            return next.get(0).toString();
        }
        Response popped = connection.send(Request.cmd(Command.BZPOPMIN).arg(keys.ready()).arg(BLOCK_SECONDS))
                .await().atMost(COMMAND_TIMEOUT);
        return popped == null ? null : popped.get(1).toString();
    }

    /**
     * Puts back a circle whose turn failed half-way (a reply lost to a time-out or a dropped connection): without
     * this, its queued tasks would wait for the next play in that circle to signal it again.
     */
    private void giveBack(RedisConnection connection, String circle) {
        connection.send(TaskScripts.wakeUp(keys, circle)).await().atMost(COMMAND_TIMEOUT);
        holding = null;
    }

    /** Whether this worker is running (or about to run) {@code taskId}. */
    public boolean runs(String taskId) {
        return claimed.contains(taskId);
    }

    /** Puts {@code circle} at the end of the line; says whether it is the only circle waiting. */
    private boolean requeue(RedisConnection connection, String circle) {
        // one round trip: both commands touch the same key, so they pipeline on a Cluster too
        List<Response> replies = connection.batch(List.of(
                Request.cmd(Command.ZADD).arg(keys.ready()).arg(Long.toString(System.currentTimeMillis())).arg(circle),
                Request.cmd(Command.ZCARD).arg(keys.ready()))).await().atMost(COMMAND_TIMEOUT);
        Response count = replies.get(1);
        return count != null && count.toLong() <= 1;
    }

    /**
     * Tells the reaper the circle may have running tasks, before claiming any there: at most every half heartbeat
     * timeout per circle (the reaper forgets a circle only after a whole timeout without running tasks).
     */
    private void markActive(RedisConnection connection, String circle) {
        long now = System.currentTimeMillis();
        Long last = activeMarks.get(circle);
        if (last == null || now - last > config.heartbeatTimeout().toMillis() / 2) {
            connection.send(Request.cmd(Command.ZADD).arg(keys.active()).arg(Long.toString(now)).arg(circle)).await().atMost(COMMAND_TIMEOUT);
            activeMarks.put(circle, now);
        }
    }

    /**
     * Tasks claimed in one {@link TaskScripts#TAKE} (the first {@code booked} to start now, the rest claimed ahead),
     * and what the claim saw of the circle and the line.
     */
    private record Taken(List<Claimed> tasks, int booked, long waitingCallers, long running, long othersWaiting) {
    }

    private record Claimed(String taskId, Map<String, String> fields) {
    }

    /** How quick a circle's last script was here, and when it ended (ms). */
    private record Pace(boolean fast, long at) {
    }

    /** Tasks to claim ahead for {@code circle}: only when its last script here was quick. */
    private int ahead(String circle) {
        Pace pace = paces.get(circle);
        return pace != null && pace.fast() ? config.prefetch() : 0;
    }

    private Taken take(RedisConnection connection, String circle, int room) {
        threads.reserve(circle, room);
        Response reply;
        Response line;
        try {
            Uni<Response> claim = TaskScripts.TAKE.run(connection::send, new String[] {keys.callers(circle), keys.running(circle)},
                    keys.taskPrefix(circle), keys.callerQueuePrefix(circle), System.currentTimeMillis(), workerId, room,
                    dispatch.maxRunningPerCircle(), ahead(circle));
            Uni<Response> others = connection.send(Request.cmd(Command.ZCARD).arg(keys.ready()));
            var both = Uni.combine().all().unis(claim, others).asTuple().await().atMost(COMMAND_TIMEOUT);
            reply = both.getItem1();
            line = both.getItem2();
        } catch (RuntimeException e) {
            releaseBookings(circle, room);
            throw e;
        }
        List<Claimed> tasks = new ArrayList<>();
        for (int i = 2; i < reply.size(); i++) {
            Response entry = reply.get(i);
            tasks.add(new Claimed(entry.get(0).toString(), TaskHash.pairs(entry, 1)));
        }
        int booked = Math.min(room, tasks.size());
        releaseBookings(circle, room - booked);
        return new Taken(tasks, booked, reply.get(0).toLong(), reply.get(1).toLong(), line == null ? 0 : line.toLong());
    }

    private void releaseBookings(String circle, int count) {
        for (int i = 0; i < count; i++) {
            threads.release(circle);
        }
    }

    // ------------------------------------------------------------------ running and finishing

    /** Starts the first {@code booked} tasks on the circle's booked threads; the rest follow on those threads. */
    private void start(String circle, List<Claimed> tasks, int booked) {
        List<Runnable> bodies = new ArrayList<>(tasks.size());
        for (Claimed task : tasks) {
            claimed.add(task.taskId());
            bodies.add(() -> {
                Map<String, String> fields = task.fields();
                long began = System.nanoTime();
                ScriptRunner.Outcome outcome = observed(circle, task.taskId(), fields);
                paces.put(circle, new Pace(System.nanoTime() - began <= config.fastScript().toNanos(), System.currentTimeMillis()));
                finish(circle, task.taskId(), fields, outcome);
                claimed.remove(task.taskId());
            });
        }
        threads.run(circle, bodies, booked);
    }

    /** Runs the task inside a span that continues the caller's traceparent, then counts, times and logs it. */
    private ScriptRunner.Outcome observed(String circle, String taskId, Map<String, String> fields) {
        Duration queued = queuedFor(fields.get(TaskHash.CREATED_AT));
        metrics.taskStarted(queued);
        TaskTracing.Hop hop = tracing.start("circles task", SpanKind.CONSUMER, Traceparent.parse(fields.get(TaskHash.TRACEPARENT)),
                circle, "run").taskId(taskId);
        long start = System.nanoTime();
        ScriptRunner.Outcome outcome = runSafely(circle, fields);
        Duration ran = Duration.ofNanos(System.nanoTime() - start);
        String result = outcome.ok() ? TaskLog.COMPLETED : TaskLog.outcomeOfError(outcome.error());
        metrics.taskEnded(result, ran, runner.lastOperations());
        hop.end(result);
        TaskLog.ended(new TaskLog.Entry("worker", null, circle, fields.get(TaskHash.CALLER_ID), taskId, result, ran, queued,
                hop.traceparent().traceId()), slowTask);
        return outcome;
    }

    /** Time since the task was queued; {@code created_at} has second resolution, so this is approximate. */
    private static Duration queuedFor(String createdAtSeconds) {
        try {
            return Duration.ofMillis(Math.max(0, System.currentTimeMillis() - Long.parseLong(createdAtSeconds) * 1000));
        } catch (NumberFormatException | NullPointerException e) {
            return null;
        }
    }

    /** Runs the script; whatever it throws, even an Error, becomes the task's error and the thread lives on. */
    private ScriptRunner.Outcome runSafely(String circle, Map<String, String> fields) {
        try {
            TaskContext task = new TaskContext(circle, fields.getOrDefault(TaskHash.CALLER_ID, ""),
                    fields.getOrDefault(TaskHash.TASK_ID, ""));
            return runner.run(task, fields.getOrDefault(TaskHash.SCRIPT, ""), TaskHash.scope(fields.get(TaskHash.SCOPE)));
        } catch (OutOfMemoryError e) {
            return ScriptRunner.Outcome.failure("Script failed: the worker ran out of memory", List.of());
        } catch (StackOverflowError e) {
            return ScriptRunner.Outcome.failure("Stack overflow", List.of());
        } catch (RuntimeException | Error e) {
            LOG.errorf("Task %s failed in the worker: %s", fields.get(TaskHash.TASK_ID), e.getClass().getName());
            return ScriptRunner.Outcome.failure("Script failed: internal error in the worker", List.of());
        }
    }

    /**
     * Records the outcome ({@link TaskScripts#FINISH}, which announces it and, on one Redis, puts the circle back
     * in line when callers still wait), then replies. Asynchronous: the next script starts while Redis writes.
     * Retried while Redis is away.
     */
    private void finish(String circle, String taskId, Map<String, String> fields, ScriptRunner.Outcome outcome) {
        TaskHash.Status status = outcome.ok() ? TaskHash.Status.COMPLETED : TaskHash.Status.ERROR;
        String announcement = TaskStateEvent.json(taskId, fields.getOrDefault(TaskHash.CALLER_ID, ""), status.wire(), outcome.error());
        String[] announce = TaskStateEvent.args(publishCommand(), channels.channel(circle), announcement);
        Object[] args = {taskId, workerId, status.wire(), outcome.ok() ? TaskHash.OUTPUT : TaskHash.ERROR,
            outcome.ok() ? outcome.output() : outcome.error(), TaskHash.logsJson(outcome.logs()),
            Instant.now().getEpochSecond(), dispatch.finishedTaskTtl().toSeconds(), circle, System.currentTimeMillis(),
            announce[0], announce[1], announce[2]};
        String reply = TaskHash.reply(taskId, status, outcome.output(), outcome.error(), outcome.logs());
        finishing.incrementAndGet();
        record(circle, taskId, args, fields.get(TaskHash.REPLY_QUEUE), reply, 1);
    }

    /** The publish command for announcements, or null (no announcement) while Redis cannot say which. */
    private String publishCommand() {
        try {
            return channels.publishCommand().await().atMost(COMMAND_TIMEOUT);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void record(String circle, String taskId, Object[] args, String replyQueue, String reply, int attempt) {
        String[] finishKeys = cluster ? new String[] {keys.task(circle, taskId), keys.running(circle), keys.callers(circle)}
                : new String[] {keys.task(circle, taskId), keys.running(circle), keys.callers(circle), keys.ready()};
        recordAndReply(finishKeys, args, replyQueue, reply)
                // on a Cluster FINISH cannot reach the line: put the circle back from here when callers still wait
                .call(done -> cluster && done.get(1).toLong() > 0 ? redis.send(TaskScripts.wakeUp(keys, circle)) : Uni.createFrom().nullItem())
                .ifNoItem().after(COMMAND_TIMEOUT).fail()
                .subscribe().with(done -> finishing.decrementAndGet(), failure -> retry(circle, taskId, args, replyQueue, reply, attempt));
    }

    /**
     * {@link TaskScripts#FINISH}, then the reply. On one Redis the two go out as one pipelined batch on one
     * connection: one round trip, and Redis runs them in order, so the hash says the task ended before its
     * caller can read the reply. On a Cluster the reply list lives in another slot, so the reply follows
     * FINISH's answer. Either way a reply may reach a caller whose task was meanwhile cancelled or reaped; its
     * server has stopped waiting for it and drops it.
     */
    private Uni<Response> recordAndReply(String[] finishKeys, Object[] args, String replyQueue, String reply) {
        boolean replies = replyQueue != null && !replyQueue.isEmpty();
        Uni<Response> chained = TaskScripts.FINISH.run(redis::send, finishKeys, args)
                .call(done -> replies ? redis.batch(TaskHash.replyPush(replyQueue, reply)) : Uni.createFrom().nullItem());
        if (!replies || cluster) {
            return chained;
        }
        List<Request> batch = new ArrayList<>(3);
        batch.add(TaskScripts.FINISH.shaRequest(finishKeys, args));
        batch.addAll(TaskHash.replyPush(replyQueue, reply));
        return redis.batch(batch).map(replies3 -> replies3.get(0))
                .onFailure(LuaScript::isNoScript).recoverWithUni(() -> chained);
    }

    /** Redis is away: keep trying for about a minute (results are small), then leave the task to the reaper's view. */
    private void retry(String circle, String taskId, Object[] args, String replyQueue, String reply, int attempt) {
        if (attempt >= 30 || housekeeping.isShutdown()) {
            LOG.errorf("Could not record the result of task %s", taskId);
            finishing.decrementAndGet();
        } else {
            housekeeping.schedule(() -> record(circle, taskId, args, replyQueue, reply, attempt + 1),
                    Math.min(2000, 100L * attempt), TimeUnit.MILLISECONDS);
        }
    }

    // ------------------------------------------------------------------ housekeeping

    private void heartbeat() {
        try {
            long now = System.currentTimeMillis();
            long expires = now + config.heartbeatTimeout().toMillis();
            send(Request.cmd(Command.ZADD).arg(keys.workers()).arg(Long.toString(expires)).arg(workerId));
            activeMarks.values().removeIf(mark -> now - mark > config.heartbeatTimeout().toMillis());
            paces.values().removeIf(pace -> now - pace.at() > config.heartbeatTimeout().toMillis());
        } catch (RuntimeException e) {
            LOG.debugf("Heartbeat failed: %s", e.getClass().getSimpleName());
        }
    }

    private Response send(Request request) {
        return redis.send(request).await().atMost(COMMAND_TIMEOUT);
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

    private static Thread daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }
}
