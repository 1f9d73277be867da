package io.circles.limits;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.circles.circle.CircleKeys;
import io.circles.rpc.ErrorCodes;
import io.circles.rpc.RpcException;
import io.circles.rpc.RpcMethod;
import io.smallrye.mutiny.Uni;

/**
 * Puts the per-address rate limits in front of {@code fetch_nonce}, {@code authenticate} and {@code play}, and the
 * failed-authentication backoff (per connection and per key) in front of {@code authenticate}. Refusals are
 * -32005 with {@code data.retry_after_ms}; the wrapped method is not called, so a refused authenticate does not
 * consume the pending nonce.
 */
final class GuardedMethods {
    private GuardedMethods() {
    }

    static Map<String, RpcMethod> wrap(Map<String, RpcMethod> methods, ConnectionGuard guard, RateLimiter rates, AuthBackoff keys,
            ScriptBytes scriptBytes) {
        Map<String, RpcMethod> out = new HashMap<>(methods);
        limit(out, "fetch_nonce", RateLimiter.Action.FETCH_NONCE, guard, rates);
        RpcMethod play = out.get("play");
        if (play != null) {
            out.put("play", with(play, params -> play(play, params, guard, scriptBytes)));
        }
        limit(out, "play", RateLimiter.Action.PLAY, guard, rates);
        RpcMethod authenticate = out.get("authenticate");
        if (authenticate != null) {
            out.put("authenticate", with(authenticate, params -> authenticate(authenticate, params, guard, rates, keys)));
        }
        return Map.copyOf(out);
    }

    private static void limit(Map<String, RpcMethod> methods, String name, RateLimiter.Action action, ConnectionGuard guard,
            RateLimiter rates) {
        RpcMethod method = methods.get(name);
        if (method != null) {
            methods.put(name, with(method, params -> {
                refuseIfWaiting(rates.take(action, guard.address()), "Rate limit for " + name + " from your address");
                return method.handler().handle(params);
            }));
        }
    }

    /** Counts the script's bytes against the address's quota until the play is answered, however it ends. */
    private static Uni<JsonNode> play(RpcMethod method, ObjectNode params, ConnectionGuard guard, ScriptBytes scriptBytes) {
        long bytes = params.path("script").isTextual() ? params.path("script").asText().length() : 0;
        if (!scriptBytes.take(guard.address(), bytes)) {
            throw new RpcException(ErrorCodes.TOO_MANY_REQUESTS, "Busy: too many script bytes unanswered from your address (limit "
                    + guard.config().maxQueuedScriptBytesPerAddress().asLongValue() + "); wait for results before sending more");
        }
        return Uni.createFrom().deferred(() -> method.handler().handle(params))
                .onTermination().invoke(() -> scriptBytes.give(guard.address(), bytes));
    }

    private static Uni<JsonNode> authenticate(RpcMethod method, ObjectNode params, ConnectionGuard guard, RateLimiter rates,
            AuthBackoff keys) {
        long now = System.nanoTime();
        String key = keyOf(params);
        refuseIfWaiting(guard.connectionBackoff().waitMillis(now), "Too many failed authentications on this connection");
        if (key != null) {
            refuseIfWaiting(keys.waitMillis(key), "Too many failed authentications for this key");
        }
        refuseIfWaiting(rates.take(RateLimiter.Action.AUTHENTICATE, guard.address()), "Rate limit for authenticate from your address");
        LimitsConfig config = guard.config();
        // deferred: the handler may throw instead of failing its Uni
        return Uni.createFrom().deferred(() -> method.handler().handle(params))
                .invoke(ok -> {
                    guard.authenticated();
                    if (key != null) {
                        keys.succeeded(key);
                    }
                })
                .onFailure(GuardedMethods::badCredentials).invoke(failure -> {
                    guard.connectionBackoff().failed(System.nanoTime(), config.authFreeFailures(), config.authBackoffInitial(),
                            config.authBackoffMax());
                    if (key != null) {
                        keys.failed(key);
                    }
                });
    }

    private static boolean badCredentials(Throwable failure) {
        return failure instanceof RpcException rpc && rpc.code() == ErrorCodes.INVALID_CREDENTIALS;
    }

    private static String keyOf(ObjectNode params) {
        JsonNode credentials = params.has("credentials") ? params.get("credentials") : params;
        JsonNode pubkey = credentials.path("pubkey");
        return pubkey.isTextual() ? CircleKeys.canonicalOrNull(pubkey.asText()) : null;
    }

    private static void refuseIfWaiting(long waitMillis, String what) {
        if (waitMillis > 0) {
            throw new RpcException(ErrorCodes.TOO_MANY_REQUESTS, what + ": retry in " + waitMillis + " ms",
                    JsonNodeFactory.instance.objectNode().put("retry_after_ms", waitMillis));
        }
    }

    private static RpcMethod with(RpcMethod method, RpcMethod.Handler handler) {
        return new RpcMethod(method.name(), method.params(), method.required(), handler);
    }
}
