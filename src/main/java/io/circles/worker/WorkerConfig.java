package io.circles.worker;

import java.time.Duration;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The script worker ({@code circles.worker.*}). */
@ConfigMapping(prefix = "circles.worker")
public interface WorkerConfig {

    /** Whether this process runs scripts ({@code CIRCLES_WORKER_ENABLED}). Default: {@code true}. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Script threads of this process. More threads than cores on purpose: the OS time-slices them, so a circle
     * running slow scripts cannot keep a quick script of another circle waiting for a thread. Default: eight per
     * core, at least 8.
     */
    Optional<Integer> concurrency();

    /**
     * Script threads one circle may occupy in this process at once; with the default concurrency, several
     * circles full of runaway scripts still leave threads for everyone else. Default: {@code 3}.
     */
    @WithDefault("3")
    int threadsPerCircle();

    /**
     * Tasks claimed ahead, beyond the threads free now, for a circle whose last script here ran within
     * {@code fast-script}: they wait for that circle's own threads and run right after, so a busy circle of quick
     * scripts costs one claim per batch instead of one per task. Slow circles never get any, so claiming ahead
     * cannot hold a long script's followers back. {@code 0} turns it off. Default: {@code 32}.
     */
    @WithDefault("32")
    int prefetch();

    /** A circle whose last script in this worker ran at most this long gets tasks claimed ahead. Default: {@code 2ms}. */
    @WithDefault("2ms")
    Duration fastScript();

    /** Compiled scripts kept for reuse, by estimated size; each circle may fill at most an eighth. Default: {@code 64M}. */
    @WithDefault("64M")
    MemorySize compileCacheSize();

    /** Longer scripts are compiled for each run and never cached. Default: {@code 16384} characters. */
    @WithDefault("16384")
    int compileCacheMaxScriptLength();

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
