package io.circles.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Function;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}), so Redis does not re-parse the source on every call; the
 * source is sent once ({@code EVAL}) when Redis answers {@code NOSCRIPT} (first use, or after a restart).
 */
public final class LuaScript {
    private final String source;
    private final String sha;

    public LuaScript(String source) {
        this.source = source;
        this.sha = sha1(source);
    }

    /**
     * Runs the script through {@code sender} (a pooled client or a dedicated connection).
     *
     * @param keys the KEYS, then {@code args} as ARGV
     */
    public Uni<Response> run(Function<Request, Uni<Response>> sender, String[] keys, Object... args) {
        return sender.apply(request(Command.EVALSHA, sha, keys, args))
                .onFailure(LuaScript::isNoScript)
                .recoverWithUni(() -> sender.apply(request(Command.EVAL, source, keys, args)));
    }

    /**
     * As {@link #run}, on the bare Vert.x client and its futures: for the per-play path, where every Mutiny operator
     * captures and restores the thread context (see {@code RedisCalls#direct}).
     */
    public io.vertx.core.Future<io.vertx.redis.client.Response> runDirect(io.vertx.redis.client.Redis redis, String[] keys,
            Object... args) {
        return redis.send(request(Command.EVALSHA, sha, keys, args).getDelegate())
                .recover(failure -> isNoScript(failure) ? redis.send(request(Command.EVAL, source, keys, args).getDelegate())
                        : io.vertx.core.Future.failedFuture(failure));
    }

    /** The {@code EVALSHA} request, to pipeline with other commands; on {@code NOSCRIPT} ({@link #isNoScript}) use {@link #run}. */
    public Request shaRequest(String[] keys, Object... args) {
        return request(Command.EVALSHA, sha, keys, args);
    }

    /** The full {@code EVAL} request, for use inside {@code MULTI} where a {@code NOSCRIPT} reply cannot be retried. */
    public Request evalRequest(String[] keys, Object... args) {
        return request(Command.EVAL, source, keys, args);
    }

    private static Request request(Command command, String script, String[] keys, Object[] args) {
        Request request = Request.cmd(command).arg(script).arg(keys.length);
        for (String key : keys) {
            request.arg(key);
        }
        for (Object arg : args) {
            request.arg(String.valueOf(arg));
        }
        return request;
    }

    /** Whether Redis did not know the script (first use, or after a restart or a failover). */
    public static boolean isNoScript(Throwable failure) {
        return String.valueOf(failure.getMessage()).contains("NOSCRIPT");
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is always available", e);
        }
    }
}
