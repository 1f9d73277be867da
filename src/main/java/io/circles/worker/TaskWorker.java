package io.circles.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
    /** How long the worker waits for any Redis answer before treating Redis as away. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    private static final int BLOCK_SECONDS = 1;
    private static final long ROOM_WAIT_MILLIS = 50;
    /**
     * Pops up to ARGV[1] of the oldest circles with work. KEYS: ready set. Returns {circles left in line, circle, …},
     * or nil when the line is empty.
     */
    private static final LuaScript NEXT_CIRCLES = new LuaScript("""
            local popped = redis.call('ZPOPMIN', KEYS[1], ARGV[1])
            if #popped == 0 then return false end
            local out = {redis.call('ZCARD', KEYS[1])}
            for i = 1, #popped, 2 do out[#out + 1] = popped[i] end
            return out""");
    /**
     * Most circles served in one intake turn: their claims go to Redis as one pipelined round trip, so thousands
     * of circles with one task each do not cost a round trip per circle.
     */
    private static final int MAX_CIRCLES_PER_TURN = 32;

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
    /**
     * Whether the line was empty when the intake last looked (the length every claim round trip reads): then the
     * next wait goes straight to {@code BZPOPMIN}, one script call and round trip fewer per idle turn.
     */
    private boolean lineEmpty;
    /** The circles the intake took from the line and has not yet served or put back (empty when none). */
    private List<String> holding = List.of();
    /** Writes results to Redis, batched; shutdown waits for it. */
    private ResultWriter writer;
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
        writer = new ResultWriter(redis, keys, cluster, workerId, dispatch.finishedTaskTtl(), channels, housekeeping);
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
            while (writer.unwritten() > 0 && System.nanoTime() < deadline) {
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
                if (!holding.isEmpty()) {
                    giveBack(connection, holding);
                }
                current = turn(connection, current);
                holding = List.of();
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
     * One step of the intake: takes up to {@link #MAX_CIRCLES_PER_TURN} circles from the line (or keeps
     * {@code current}), claims what fits for each in one pipelined round trip, starts it, and puts back in line
     * the circles that still have callers waiting.
     *
     * @return the circle to keep serving next (the only one with work left, nobody else waiting), or null to go
     *         back to the line
     */
    private String turn(RedisConnection connection, String current) throws InterruptedException {
        long seen = threads.releases(); // before looking at free threads, so no release in between goes unnoticed
        int free = threads.free();
        if (free == 0) {
            threads.awaitFreedSince(seen, TimeUnit.SECONDS.toMillis(BLOCK_SECONDS));
            return current;
        }
        List<String> circles = current != null ? List.of(current) : nextCircles(connection, Math.min(free, MAX_CIRCLES_PER_TURN));
        if (circles.isEmpty()) {
            return null;
        }
        holding = circles; // until this turn ends normally: a failure mid-way must not lose the circles' places
        List<Claim> claims = new ArrayList<>();
        List<String> full = new ArrayList<>();
        for (String circle : circles) {
            int room = threads.room(circle);
            if (room == 0) {
                full.add(circle); // it holds its share of threads: back of the line, let the others have a turn
            } else {
                claims.add(new Claim(circle, room));
            }
        }
        markActive(connection, claims);
        Claims claimed = claim(connection, claims, full);
        List<String> again = new ArrayList<>(full);
        for (int i = 0; i < claims.size(); i++) {
            Claim claim = claims.get(i);
            Taken taken = claimed.taken().get(i);
            start(claim.circle(), taken.tasks(), taken.booked());
            boolean moreToDo = taken.waitingCallers() > 0 && taken.running() < dispatch.maxRunningPerCircle();
            if (moreToDo) {
                // otherwise done, or at the circle's cap across workers: a finishing task puts it back in line
                again.add(claim.circle());
            }
        }
        if (again.size() == 1 && full.isEmpty() && claimed.othersWaiting() == 0 && !claimed.taken().get(0).tasks().isEmpty()) {
            return again.get(0); // alone in line: keep serving it without going through the line
        }
        requeue(connection, again);
        if (claims.isEmpty() && claimed.othersWaiting() <= full.size()) {
            threads.awaitFreedSince(seen, ROOM_WAIT_MILLIS); // only circles at their share wait: let a thread free up
        }
        return null;
    }

    /**
     * The oldest circles with work (at most {@code max}), waiting up to a second in Redis for one. When the line was
     * empty at the last look, waits at once: a circle that arrived meanwhile is popped just the same, alone.
     */
    private List<String> nextCircles(RedisConnection connection, int max) {
        Response next = lineEmpty ? null : NEXT_CIRCLES.run(connection::send, new String[] {keys.ready()}, max).await().atMost(COMMAND_TIMEOUT);
        if (next != null) {
            List<String> circles = new ArrayList<>(next.size() - 1);
            for (int i = 1; i < next.size(); i++) {
                circles.add(next.get(i).toString());
            }
            return circles;
        }
        lineEmpty = true;
        Response popped = connection.send(Request.cmd(Command.BZPOPMIN).arg(keys.ready()).arg(BLOCK_SECONDS))
                .await().atMost(COMMAND_TIMEOUT);
        return popped == null ? List.of() : List.of(popped.get(1).toString());
    }

    /**
     * Puts back circles whose turn failed half-way (a reply lost to a time-out or a dropped connection): without
     * this, their queued tasks would wait for the next play in those circles to signal them again.
     */
    private void giveBack(RedisConnection connection, List<String> circles) {
        all(circles.stream().map(circle -> connection.send(TaskScripts.wakeUp(keys, circle))).toList());
        holding = List.of();
    }

    /** Puts {@code circles} at the end of the line (one pipelined round trip). */
    private void requeue(RedisConnection connection, List<String> circles) {
        if (!circles.isEmpty()) {
            String now = Long.toString(System.currentTimeMillis());
            all(circles.stream().map(circle -> connection.send(Request.cmd(Command.ZADD).arg(keys.ready()).arg(now).arg(circle))).toList());
        }
    }

    /**
     * Sends the commands at once and waits for all answers. On one Redis they pipeline on the intake's connection;
     * on a Cluster each goes to the node owning its slot.
     */
    private static List<Response> all(List<Uni<Response>> sends) {
        if (sends.isEmpty()) {
            return List.of();
        }
        return Uni.join().all(sends).andFailFast().await().atMost(COMMAND_TIMEOUT);
    }

    /** Whether this worker is running (or about to run) {@code taskId}. */
    public boolean runs(String taskId) {
        return claimed.contains(taskId);
    }

    /**
     * Tells the reaper the circles may have running tasks, before claiming any there: at most every half heartbeat
     * timeout per circle (the reaper forgets a circle only after a whole timeout without running tasks). Sent and
     * answered before the claims, which on a Cluster may go to other nodes.
     */
    private void markActive(RedisConnection connection, List<Claim> claims) {
        long now = System.currentTimeMillis();
        List<String> due = new ArrayList<>();
        for (Claim claim : claims) {
            Long last = activeMarks.get(claim.circle());
            if (last == null || now - last > config.heartbeatTimeout().toMillis() / 2) {
                due.add(claim.circle());
            }
        }
        all(due.stream().map(circle -> connection.send(Request.cmd(Command.ZADD).arg(keys.active()).arg(Long.toString(now)).arg(circle))).toList());
        due.forEach(circle -> activeMarks.put(circle, now));
    }

    /** A circle to claim for in this turn, and how many threads it may have now. */
    private record Claim(String circle, int room) {
    }

    /** What one turn's claims found, in the order of the claims, and how many circles still wait in line. */
    private record Claims(List<Taken> taken, long othersWaiting) {
    }

    /**
     * Tasks claimed in one {@link TaskScripts#TAKE} (the first {@code booked} to start now, the rest claimed ahead),
     * and what the claim saw of the circle.
     */
    private record Taken(List<Claimed> tasks, int booked, long waitingCallers, long running) {
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

    /**
     * Books the threads, then claims for every circle, puts the full ones back in line and reads the line's
     * length, all in one pipelined round trip. A failure gives every booking back.
     */
    private Claims claim(RedisConnection connection, List<Claim> claims, List<String> full) {
        for (Claim claim : claims) {
            threads.reserve(claim.circle(), claim.room());
        }
        List<Uni<Response>> sends = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (Claim claim : claims) {
            String circle = claim.circle();
            sends.add(TaskScripts.TAKE.run(connection::send, new String[] {keys.callers(circle), keys.running(circle)},
                    keys.taskPrefix(circle), keys.callerQueuePrefix(circle), now, workerId, claim.room(),
                    dispatch.maxRunningPerCircle(), ahead(circle), now / 1000));
        }
        for (String circle : full) {
            sends.add(connection.send(Request.cmd(Command.ZADD).arg(keys.ready()).arg(Long.toString(now)).arg(circle)));
        }
        sends.add(connection.send(Request.cmd(Command.ZCARD).arg(keys.ready())));
        List<Response> replies;
        try {
            replies = all(sends);
        } catch (RuntimeException e) {
            claims.forEach(claim -> releaseBookings(claim.circle(), claim.room()));
            throw e;
        }
        List<Taken> taken = new ArrayList<>(claims.size());
        for (int i = 0; i < claims.size(); i++) {
            taken.add(taken(claims.get(i), replies.get(i)));
        }
        Response line = replies.get(replies.size() - 1);
        long waiting = line == null ? 0 : line.toLong();
        lineEmpty = waiting == 0;
        return new Claims(taken, waiting);
    }

    /** Reads one TAKE's reply and gives back the bookings it did not use. */
    private Taken taken(Claim claim, Response reply) {
        List<Claimed> tasks = new ArrayList<>();
        for (int i = 2; i < reply.size(); i++) {
            Response entry = reply.get(i);
            tasks.add(new Claimed(entry.get(0).toString(), TaskHash.pairs(entry, 1)));
        }
        int booked = Math.min(claim.room(), tasks.size());
        releaseBookings(claim.circle(), claim.room() - booked);
        return new Taken(tasks, booked, reply.get(0).toLong(), reply.get(1).toLong());
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
     * Hands the outcome to the {@link ResultWriter}, which records it with {@link TaskScripts#FINISH} (announcing it
     * and, on one Redis, replying and putting the circle back in line when callers still wait), batched with other
     * results that end close by. Asynchronous: the next script starts while Redis writes.
     */
    private void finish(String circle, String taskId, Map<String, String> fields, ScriptRunner.Outcome outcome) {
        TaskHash.Status status = outcome.ok() ? TaskHash.Status.COMPLETED : TaskHash.Status.ERROR;
        String text = outcome.ok() ? outcome.output() : outcome.error();
        writer.write(new ResultWriter.Result(circle, taskId, fields.get(TaskHash.REPLY_QUEUE), status,
                outcome.ok() ? TaskHash.OUTPUT : TaskHash.ERROR, text, TaskHash.logsJson(outcome.logs()),
                TaskStateEvent.json(taskId, fields.getOrDefault(TaskHash.CALLER_ID, ""), status.wire(), outcome.error()),
                TaskHash.reply(taskId, status, outcome.output(), outcome.error(), outcome.logs()), 1));
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
