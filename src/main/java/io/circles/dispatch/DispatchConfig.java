package io.circles.dispatch;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How scripts travel through Redis ({@code circles.dispatch.*}). */
@ConfigMapping(prefix = "circles.dispatch")
public interface DispatchConfig {

    /** How long {@code play} waits for the worker's reply before answering -32003. Default: {@code 30s}. */
    @WithDefault("30s")
    Duration replyTimeout();

    /** Plays one connection may have in flight; beyond it, an error. Default: {@code 16}. */
    @WithDefault("16")
    int maxInFlightPerConnection();

    /** How long task hashes live in Redis. Default: {@code 24h}. */
    @WithDefault("24h")
    Duration taskTtl();

    /** How long a Redis command may take before the dispatcher reports Redis unavailable. Default: {@code 800ms}. */
    @WithDefault("800ms")
    Duration redisTimeout();

    /** Prefix of task hashes. Default: {@code rhai_task_details:} (the original worker's). */
    @WithDefault("rhai_task_details:")
    String taskKeyPrefix();

    /** Prefix of per-circle task queues. Default: {@code rhai_tasks:} (the original worker's). */
    @WithDefault("rhai_tasks:")
    String queueKeyPrefix();

    /** Prefix of per-instance reply lists. Default: {@code rhai_reply:}. */
    @WithDefault("rhai_reply:")
    String replyKeyPrefix();

    /**
     * Wrap the circle key in a Redis Cluster hash tag ({@code rhai_tasks:{<pk>}}) so a circle's queue and its
     * workers' processing lists share a slot. Breaks compatibility with the original key names. Default: {@code false}.
     */
    @WithDefault("false")
    boolean clusterSafeKeys();
}
