package io.circles.worker;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The script worker ({@code circles.worker.*}). */
@ConfigMapping(prefix = "circles.worker")
public interface WorkerConfig {

    /** Whether this process runs scripts ({@code CIRCLES_WORKER_ENABLED}). Default: {@code true}. */
    @WithDefault("true")
    boolean enabled();

    /** Scripts run in parallel by this process. Default: the number of cores. */
    Optional<Integer> concurrency();

    /**
     * Tasks a worker may claim ahead of a free script thread, so that one round trip to Redis takes several
     * tasks under load. 0 takes a task only when a thread is free (fairest across many workers). Default: {@code 32}.
     */
    @WithDefault("32")
    int prefetch();

    /** Stable worker id (names its processing lists). Default: a random id per process start. */
    Optional<String> id();

    /** Wall-clock limit of one script. Default: {@code 5s}. */
    @WithDefault("5s")
    Duration maxRunTime();

    /** Operations one script may perform. Default: {@code 50000000}. */
    @WithDefault("50000000")
    long maxOperations();

    /** Deepest function call nesting. Default: {@code 64}. */
    @WithDefault("64")
    int maxCallDepth();

    /** Longest string a script may build, in characters. Default: {@code 1048576}. */
    @WithDefault("1048576")
    int maxStringLength();

    /** Largest array a script may build. Default: {@code 100000}. */
    @WithDefault("100000")
    int maxArraySize();

    /** Largest object map a script may build. Default: {@code 100000}. */
    @WithDefault("100000")
    int maxMapSize();

    /** Stack size of the script threads; deep recursion is bounded by max-call-depth well below it. Default: {@code 16M}. */
    @WithDefault("16777216")
    long threadStackBytes();

    /** How often the worker proves it is alive. Default: {@code 2s}. */
    @WithDefault("2s")
    Duration heartbeatInterval();

    /** A worker silent this long is presumed dead and its tasks are failed with "worker lost". Default: {@code 10s}. */
    @WithDefault("10s")
    Duration heartbeatTimeout();

    /** How often the reaper looks for dead workers' tasks. Default: {@code 3s}. */
    @WithDefault("3s")
    Duration reapInterval();
}
