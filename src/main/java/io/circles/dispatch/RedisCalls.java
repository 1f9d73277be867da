package io.circles.dispatch;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.circles.metrics.CirclesMetrics;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * The dispatcher's way to Redis: every command gets the {@code redis-timeout} deadline and its failure becomes a
 * {@link DispatchException} whose message names what could not be done, never the command or Redis's reply (they
 * may hold a caller's script). Redis refusing writes at {@code maxmemory} ({@code OOM}) is "busy", not "down".
 */
@Singleton
public class RedisCalls {
    private static final Logger LOG = Logger.getLogger(RedisCalls.class);

    private final Redis redis;
    private final Duration limit;
    private final CirclesMetrics metrics;
    private final boolean cluster;

    public RedisCalls(ReactiveRedisDataSource redis, DispatchConfig config, CirclesMetrics metrics,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        this.redis = redis.getRedis();
        this.cluster = "cluster".equalsIgnoreCase(clientType);
        this.limit = config.redisTimeout();
        this.metrics = metrics;
    }

    public Redis redis() {
        return redis;
    }

    /** Whether Redis is a Cluster: then commands of different slots cannot share a pipelined batch. */
    public boolean cluster() {
        return cluster;
    }

    /** Runs one command with the deadline and error mapping. */
    public Uni<Response> send(Request request, String what) {
        return guarded(redis.send(request), what);
    }

    /** Adds the deadline, error mapping and timing ({@code circles_redis_commands_seconds}) to any Redis call. */
    public <T> Uni<T> guarded(Uni<T> command, String what) {
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return limited(command, what)
                    .onItemOrFailure().invoke((item, failure) -> metrics.redisCommand(what, failure == null, System.nanoTime() - start));
        });
    }

    private <T> Uni<T> limited(Uni<T> command, String what) {
        return command
                .ifNoItem().after(limit).failWith(() -> deadlinePassed(what))
                .onFailure(f -> !(f instanceof DispatchException)).transform(f -> translate(f, what));
    }

    /** The bare Vert.x client under {@link #redis()}, for {@link #direct}. */
    public io.vertx.redis.client.Redis bare() {
        return redis.getDelegate();
    }

    /**
     * As {@link #guarded}, for a call on the bare Vert.x client. The per-play path uses this: each Mutiny operator
     * captures the thread context when it is built and restores it around every callback, and a play passed
     * through some twenty of them (about a fifth of a play's CPU, measured with JFR; docs/PERFORMANCE.md).
     */
    public <T> Future<T> direct(Supplier<Future<T>> command, String what) {
        long start = System.nanoTime();
        Future<T> sent;
        try {
            sent = command.get();
        } catch (RuntimeException e) {
            sent = Future.failedFuture(e);
        }
        return sent.timeout(limit.toMillis(), TimeUnit.MILLISECONDS)
                .recover(failure -> Future.failedFuture(failure instanceof java.util.concurrent.TimeoutException ? deadlinePassed(what)
                        : failure instanceof DispatchException ? failure : translate(failure, what)))
                .onComplete(done -> metrics.redisCommand(what, done.succeeded(), System.nanoTime() - start));
    }

    private DispatchException deadlinePassed(String what) {
        LOG.debugf("Redis did not answer within %d ms (could not %s)", limit.toMillis(), what);
        return new DispatchException(DispatchException.Kind.UNAVAILABLE,
                "Dispatcher unavailable: Redis did not answer within " + limit.toMillis() + " ms (could not " + what + ")", null, null);
    }

    static DispatchException translate(Throwable failure, String what) {
        String message = String.valueOf(failure.getMessage());
        LOG.debugf("Redis failure (could not %s): %s", what, failure.getClass().getSimpleName());
        // a write refused by a script arrives wrapped ("ERR Error running script ... OOM command not allowed ...")
        if (message.startsWith("OOM") || message.contains("OOM command not allowed")) {
            return new DispatchException(DispatchException.Kind.BUSY,
                    "Busy: the server's storage is full (could not " + what + "); try again later", null, null);
        }
        return new DispatchException(DispatchException.Kind.UNAVAILABLE, "Dispatcher unavailable: could not " + what, null, null);
    }
}
