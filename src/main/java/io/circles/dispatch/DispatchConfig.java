package io.circles.dispatch;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How scripts travel through Redis ({@code circles.dispatch.*}). */
@ConfigMapping(prefix = "circles.dispatch")
public interface DispatchConfig {

    /** How long {@code play} waits for the worker's reply before answering -32003. Default: {@code 30s}. */
    @WithDefault("30s")
    Duration replyTimeout();

    /** Plays one connection may have in flight; beyond it, -32005. Default: {@code 16}. */
    @WithDefault("16")
    int maxInFlightPerConnection();

    /**
     * Tasks one caller may have queued (not yet running) in a circle, across connections and instances; beyond
     * it, -32005 "busy". Webhook deliveries are not capped here (their providers retry). Default: {@code 16}.
     */
    @WithDefault("16")
    int maxQueuedPerCaller();

    /** Callers that may have tasks queued in one circle at once; a new caller beyond it gets "busy". Default: {@code 256}. */
    @WithDefault("256")
    int maxWaitingCallersPerCircle();

    /**
     * Bytes of scripts one caller may have queued (not yet running) in a circle, counted in Redis across instances;
     * beyond it, -32005 "busy". Default: {@code 2M}.
     */
    @WithDefault("2M")
    MemorySize maxQueuedBytesPerCaller();

    /**
     * Bytes of scripts queued (not yet running) in one circle by all its callers; beyond it a play gets -32005
     * "busy". Webhook tasks count towards it but are never refused by it (their body size bounds them). Default: {@code 32M}.
     */
    @WithDefault("32M")
    MemorySize maxQueuedBytesPerCircle();

    /** Tasks of one circle running at once across all workers, so no circle can occupy every script thread. Default: {@code 8}. */
    @WithDefault("8")
    int maxRunningPerCircle();

    /** How long a task hash lives while it waits or runs. Default: {@code 24h}. */
    @WithDefault("24h")
    Duration taskTtl();

    /** How long a finished task (status, output, error, logs; no script) stays readable by {@code task_status}. Default: {@code 1h}. */
    @WithDefault("1h")
    Duration finishedTaskTtl();

    /** How long a Redis command may take before the dispatcher reports Redis unavailable (-32000). Default: {@code 2s}. */
    @WithDefault("2s")
    Duration redisTimeout();

    /** Prefix of task hashes. Default: {@code rhai_task_details:}. */
    @WithDefault("rhai_task_details:")
    String taskKeyPrefix();

    /** Prefix of per-circle queues, caller rings and running sets. Default: {@code rhai_tasks:}. */
    @WithDefault("rhai_tasks:")
    String queueKeyPrefix();

    /** Prefix of per-instance reply lists. Default: {@code rhai_reply:}. */
    @WithDefault("rhai_reply:")
    String replyKeyPrefix();
}
