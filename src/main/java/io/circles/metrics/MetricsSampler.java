package io.circles.metrics;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.circles.circle.CircleRegistry;
import io.circles.config.CirclesConfig;
import io.circles.dispatch.DispatchConfig;
import io.circles.dispatch.RedisKeys;
import io.circles.redis.LuaScript;
import io.circles.worker.WorkerConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Reads the queue and store gauges from Redis every {@code circles.metrics.sample-interval} on its own thread, so
 * a scrape only reads numbers in memory and a busy scraper cannot add load to Redis. The backlog signal is the
 * global {@code circles:ready} set (circles with queued work, one {@code ZCARD}); per-circle queue, running and
 * store figures are read only for circles configured with {@code -k} (at most {@code max-labelled-circles}),
 * plus their total under {@code circle="all"}.
 */
@Singleton
public class MetricsSampler {
    private static final Logger LOG = Logger.getLogger(MetricsSampler.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Tasks queued (over the caller ring's queues), running, and store keys of one circle. KEYS: ring, running, store. */
    private static final LuaScript CIRCLE_FIGURES = new LuaScript("""
            local queued = 0
            for _, caller in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
              queued = queued + redis.call('LLEN', ARGV[1] .. caller)
            end
            return {queued, redis.call('ZCARD', KEYS[2]), redis.call('HLEN', KEYS[3])}""");

    private final Redis redis;
    private final RedisKeys keys;
    private final CirclesMetrics metrics;
    private final MetricsConfig config;
    private final List<String> circles;
    private final boolean enabled;
    private ScheduledExecutorService timer;

    public MetricsSampler(ReactiveRedisDataSource redis, DispatchConfig dispatch, CirclesMetrics metrics, MetricsConfig config,
            CircleRegistry registry, CirclesConfig circlesConfig, WorkerConfig workerConfig) {
        this.redis = redis.getRedis();
        this.keys = new RedisKeys(dispatch);
        this.metrics = metrics;
        this.config = config;
        this.circles = registry.configured().stream().sorted().limit(Math.max(0, config.maxLabelledCircles())).toList();
        this.enabled = circlesConfig.server().enabled() || workerConfig.enabled();
        if (enabled) {
            registerGauges();
        }
    }

    /** Every sampled gauge exists from the start (at zero), so dashboards and alerts see it before the first sample. */
    private void registerGauges() {
        metrics.sampledGauge(CirclesMetrics.QUEUE_READY_CIRCLES, null);
        for (String circle : circles) {
            for (String name : List.of(CirclesMetrics.QUEUE_TASKS, CirclesMetrics.QUEUE_RUNNING, CirclesMetrics.STORE_KEYS,
                    CirclesMetrics.STORE_BYTES)) {
                metrics.sampledGauge(name, circle);
            }
        }
        if (!circles.isEmpty()) {
            metrics.sampledGauge(CirclesMetrics.QUEUE_TASKS, CirclesMetrics.ALL_CIRCLES);
            metrics.sampledGauge(CirclesMetrics.QUEUE_RUNNING, CirclesMetrics.ALL_CIRCLES);
        }
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "circles-metrics-sampler");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(100, config.sampleInterval().toMillis());
        timer.scheduleWithFixedDelay(this::sampleOnce, 0, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** One reading of every sampled gauge; a Redis failure leaves the last values in place. */
    public void sampleOnce() {
        try {
            metrics.sampledGauge(CirclesMetrics.QUEUE_READY_CIRCLES, null).set(send(Request.cmd(Command.ZCARD).arg(keys.ready())).toLong());
            long queued = 0;
            long running = 0;
            for (String circle : circles) {
                Response figures = CIRCLE_FIGURES.run(redis::send,
                        new String[] {keys.callers(circle), keys.running(circle), keys.data(circle)}, keys.callerQueuePrefix(circle))
                        .await().atMost(TIMEOUT);
                Response bytes = send(Request.cmd(Command.MEMORY).arg("USAGE").arg(keys.data(circle)));
                metrics.sampledGauge(CirclesMetrics.QUEUE_TASKS, circle).set(figures.get(0).toLong());
                metrics.sampledGauge(CirclesMetrics.QUEUE_RUNNING, circle).set(figures.get(1).toLong());
                metrics.sampledGauge(CirclesMetrics.STORE_KEYS, circle).set(figures.get(2).toLong());
                metrics.sampledGauge(CirclesMetrics.STORE_BYTES, circle).set(bytes == null ? 0 : bytes.toLong());
                queued += figures.get(0).toLong();
                running += figures.get(1).toLong();
            }
            if (!circles.isEmpty()) {
                metrics.sampledGauge(CirclesMetrics.QUEUE_TASKS, CirclesMetrics.ALL_CIRCLES).set(queued);
                metrics.sampledGauge(CirclesMetrics.QUEUE_RUNNING, CirclesMetrics.ALL_CIRCLES).set(running);
            }
        } catch (RuntimeException e) {
            LOG.debugf("Metrics sample failed: %s", e.getClass().getSimpleName());
        }
    }

    private Response send(Request request) {
        return redis.send(request).await().atMost(TIMEOUT);
    }
}
