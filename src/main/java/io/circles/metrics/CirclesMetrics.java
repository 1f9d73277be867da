package io.circles.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The one owner of every Circles meter: names, tags and their allowed values. Everything else calls the methods
 * here, never the registry, so label cardinality stays bounded by construction: no caller key, task id or
 * free text ever becomes a label; JSON-RPC methods are labelled only with names the server implements (else
 * {@code other}); a circle appears as a label only on sampled gauges, and only when it was configured with
 * {@code -k} (see {@link MetricsSampler}). {@code docs/OPERATIONS.md} documents each meter.
 */
@Singleton
public class CirclesMetrics {
    public static final String CONNECTIONS_OPEN = "circles.connections.open";
    public static final String CONNECTIONS_AUTHENTICATED = "circles.connections.authenticated";
    public static final String UPGRADES_REFUSED = "circles.upgrades.refused";
    public static final String AUTHENTICATIONS = "circles.authentications";
    public static final String RPC_CALLS = "circles.rpc.calls";
    public static final String PLAY_LATENCY = "circles.play.latency";
    public static final String TASKS_QUEUED = "circles.tasks.queued";
    public static final String TASKS_STARTED = "circles.tasks.started";
    public static final String TASKS_ENDED = "circles.tasks.ended";
    public static final String TASKS_LOST = "circles.tasks.lost";
    public static final String TASK_QUEUE_WAIT = "circles.task.queue.wait";
    public static final String TASK_RUN = "circles.task.run";
    public static final String ENGINE_OPERATIONS = "circles.engine.operations";
    public static final String WORKER_THREADS_BUSY = "circles.worker.threads.busy";
    public static final String WORKER_THREADS_IDLE = "circles.worker.threads.idle";
    public static final String WORKER_THREADS_TOTAL = "circles.worker.threads.total";
    public static final String QUEUE_READY_CIRCLES = "circles.queue.ready.circles";
    public static final String QUEUE_TASKS = "circles.queue.tasks";
    public static final String QUEUE_RUNNING = "circles.queue.running";
    public static final String STORE_KEYS = "circles.store.keys";
    public static final String STORE_BYTES = "circles.store.bytes";
    public static final String WEBHOOK_DELIVERIES = "circles.webhook.deliveries";
    public static final String REDIS_COMMANDS = "circles.redis.commands";

    /**
     * Every meter as Prometheus names it at {@code /q/metrics} (counters end in {@code _total}, timers are in
     * seconds and expose {@code _count}, {@code _sum}, {@code _max} and {@code _bucket}). Dashboards and alert
     * rules may use these names only ({@code DashboardMetersTest}).
     */
    public static final Set<String> PROMETHEUS_NAMES = Set.of(
            "circles_connections_open", "circles_connections_authenticated", "circles_upgrades_refused_total",
            "circles_authentications_total", "circles_rpc_calls_total", "circles_play_latency_seconds",
            "circles_tasks_queued_total", "circles_tasks_started_total", "circles_tasks_ended_total",
            "circles_tasks_lost_total", "circles_task_queue_wait_seconds", "circles_task_run_seconds",
            "circles_engine_operations", "circles_worker_threads_busy", "circles_worker_threads_idle",
            "circles_worker_threads_total", "circles_queue_ready_circles", "circles_queue_tasks", "circles_queue_running",
            "circles_store_keys", "circles_store_bytes", "circles_webhook_deliveries_total", "circles_redis_commands_seconds");

    /** Label of JSON-RPC calls whose method the server does not implement. */
    public static final String OTHER = "other";
    /** Label value of a total over all circles on the sampled gauges. */
    public static final String ALL_CIRCLES = "all";

    /** Outcomes of a webhook delivery ({@code outcome} label). */
    public enum Delivery {
        ACCEPTED, DUPLICATE, BAD_SIGNATURE, STALE, REJECTED, UNAVAILABLE;

        String label() {
            return name().toLowerCase();
        }
    }

    /** Why a WebSocket upgrade was refused ({@code reason} label). */
    public enum Refusal {
        BAD_KEY, UNKNOWN_CIRCLE, SHUTTING_DOWN, WORKER_ONLY;

        String label() {
            return name().toLowerCase();
        }
    }

    private final MeterRegistry registry;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger authenticated = new AtomicInteger();
    private final Timer playLatency;
    private final Timer queueWait;
    private final Timer run;
    private final Counter started;
    private final Counter lost;
    private final DistributionSummary operations;
    private final Map<String, AtomicLong> sampled = new ConcurrentHashMap<>();

    public CirclesMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(CONNECTIONS_OPEN, open, AtomicInteger::get).description("Open WebSocket connections").register(registry);
        Gauge.builder(CONNECTIONS_AUTHENTICATED, authenticated, AtomicInteger::get)
                .description("Open WebSocket connections that have authenticated").register(registry);
        this.playLatency = histogram(PLAY_LATENCY, "play as its caller sees it: request to reply");
        this.queueWait = histogram(TASK_QUEUE_WAIT, "Time a task waited in Redis before a worker claimed it (second resolution)");
        this.run = histogram(TASK_RUN, "Time a worker spent running a task's script");
        this.started = Counter.builder(TASKS_STARTED).description("Tasks a worker claimed and started").register(registry);
        this.lost = Counter.builder(TASKS_LOST).description("Running tasks failed by the reaper because their worker died")
                .register(registry);
        this.operations = DistributionSummary.builder(ENGINE_OPERATIONS)
                .description("Engine operations per task (counted in steps of 1024)").publishPercentileHistogram()
                .minimumExpectedValue(1024.0).maximumExpectedValue(1.0e9).register(registry);
        for (String outcome : List.of(TaskLog.COMPLETED, TaskLog.FAILED, TaskLog.TIMED_OUT)) {
            taskEndedCounter(outcome); // present at zero, so rates and alerts work before the first failure
        }
        Counter.builder(TASKS_QUEUED).tag("source", "play").register(registry);
    }

    private Timer histogram(String name, String description) {
        return Timer.builder(name).description(description).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(5)).register(registry);
    }

    // ------------------------------------------------------------------ connections and authentication

    public void connectionOpened() {
        open.incrementAndGet();
    }

    public void connectionClosed(boolean wasAuthenticated) {
        open.decrementAndGet();
        if (wasAuthenticated) {
            authenticated.decrementAndGet();
        }
    }

    /** A connection authenticated for the first time (re-authenticating does not count again). */
    public void connectionAuthenticated() {
        authenticated.incrementAndGet();
    }

    public void upgradeRefused(Refusal reason) {
        registry.counter(UPGRADES_REFUSED, "reason", reason.label()).increment();
    }

    /** An {@code authenticate} call: {@code problem} is the verdict's text (null when it succeeded). */
    public void authentication(String problem) {
        registry.counter(AUTHENTICATIONS, "outcome", problem == null ? "ok" : "failed", "reason", authReason(problem)).increment();
    }

    /** Maps the authenticator's free-text verdict onto a fixed set of reasons. */
    static String authReason(String problem) {
        if (problem == null) {
            return "none";
        }
        String text = problem.toLowerCase();
        if (text.startsWith("pubkey")) {
            return "bad_key";
        }
        if (text.startsWith("no nonce")) {
            return "no_nonce";
        }
        if (text.startsWith("nonce expired")) {
            return "expired_nonce";
        }
        if (text.startsWith("nonce was issued")) {
            return "wrong_key";
        }
        if (text.startsWith("invalid signature")) {
            return "bad_signature";
        }
        return OTHER;
    }

    // ------------------------------------------------------------------ JSON-RPC

    /** The observer the JSON-RPC processor reports to. */
    public CallObserver callObserver() {
        return this::rpcCall;
    }

    private void rpcCall(String method, int code, long nanos) {
        // the processor names only methods it implements (a fixed set in the code); anything else is "other"
        String label = method != null ? method : OTHER;
        registry.counter(RPC_CALLS, "method", label, "outcome", code == CallObserver.OK ? "ok" : Integer.toString(code)).increment();
        if ("play".equals(label)) {
            playLatency.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    // ------------------------------------------------------------------ tasks

    /** A task was durably queued; {@code source} is {@code play} or {@code webhook}. */
    public void taskQueued(String source) {
        registry.counter(TASKS_QUEUED, "source", "webhook".equals(source) ? "webhook" : "play").increment();
    }

    /** A worker started a task that waited {@code queued} (null when unknown). */
    public void taskStarted(Duration queued) {
        started.increment();
        if (queued != null && !queued.isNegative()) {
            queueWait.record(queued);
        }
    }

    /** A worker finished a task: {@code outcome} is one of the {@link TaskLog} outcomes. */
    public void taskEnded(String outcome, Duration ran, long engineOperations) {
        taskEndedCounter(outcome).increment();
        run.record(ran);
        if (engineOperations >= 0) {
            operations.record(engineOperations);
        }
    }

    private Counter taskEndedCounter(String outcome) {
        return registry.counter(TASKS_ENDED, "outcome", outcome);
    }

    public void taskLost() {
        lost.increment();
    }

    // ------------------------------------------------------------------ workers, queues, store

    /** Registers the worker's script thread gauges; read at scrape time from plain fields (no I/O). */
    public void workerThreads(IntSupplier busy, IntSupplier total) {
        Gauge.builder(WORKER_THREADS_BUSY, busy, IntSupplier::getAsInt).description("Script threads running a task").register(registry);
        Gauge.builder(WORKER_THREADS_TOTAL, total, IntSupplier::getAsInt).description("Script threads of this worker").register(registry);
        Gauge.builder(WORKER_THREADS_IDLE, () -> total.getAsInt() - busy.getAsInt())
                .description("Script threads waiting for a task").register(registry);
    }

    /**
     * The holder of one sampled gauge value ({@link MetricsSampler} sets it; scrapes only read it). {@code circle}
     * is a configured circle key, {@link #ALL_CIRCLES}, or null for a gauge without a circle label.
     */
    AtomicLong sampledGauge(String name, String circle) {
        String id = name + "|" + circle;
        return sampled.computeIfAbsent(id, k -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get).tags(circle == null ? Tags.empty() : Tags.of("circle", circle)).register(registry);
            return value;
        });
    }

    // ------------------------------------------------------------------ webhooks and Redis

    public void webhookDelivery(String provider, Delivery outcome) {
        String label = "stripe".equals(provider) || "idenfy".equals(provider) ? provider : OTHER;
        registry.counter(WEBHOOK_DELIVERIES, "provider", label, "outcome", outcome.label()).increment();
    }

    /**
     * One Redis call of the dispatcher. {@code operation} is the dispatcher's fixed description of the call
     * ("queue the script", …): a constant in the code, never data.
     */
    public void redisCommand(String operation, boolean ok, long nanos) {
        // looked up in a map of our own: registering (building the id, hashing its tags) on every call showed in profiles
        Timer timer = redisTimers.computeIfAbsent(ok ? operation : operation + ERROR_SUFFIX,
                key -> Timer.builder(REDIS_COMMANDS).tags("operation", operation, "outcome", ok ? "ok" : "error").register(registry));
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Separates the error timers' keys in {@link #redisTimers} (operations are fixed texts without newlines). */
    private static final String ERROR_SUFFIX = "\nerror";
    /** One timer per operation and outcome: a bounded set, as operations are constants in the code. */
    private final Map<String, Timer> redisTimers = new ConcurrentHashMap<>();
}
