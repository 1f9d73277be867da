package io.circles.ws;

import jakarta.inject.Singleton;

import io.circles.circle.CircleKeys;
import io.circles.circle.CircleRegistry;
import io.circles.config.CirclesConfig;
import io.circles.metrics.CirclesMetrics;
import io.circles.metrics.CirclesMetrics.Refusal;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;

/**
 * Refuses the WebSocket upgrade before it happens: HTTP 400 for a path that is not a secp256k1 public key,
 * 404 for a well-formed key this server does not serve, 503 while the server is shutting down. The
 * canonical circle key is handed to the connection through its user data. A worker-only process
 * ({@code circles.server.enabled=false}) refuses every upgrade with 503.
 */
@Singleton
public class CircleUpgradeCheck implements HttpUpgradeCheck {
    /** The canonical circle key of a connection. */
    public static final UserData.TypedKey<String> CIRCLE = UserData.TypedKey.forString("circle");

    private final CircleRegistry registry;
    private final Lifecycle lifecycle;
    private final boolean serverRole;
    private final CirclesMetrics metrics;

    public CircleUpgradeCheck(CircleRegistry registry, Lifecycle lifecycle, CirclesConfig config, CirclesMetrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
        this.lifecycle = lifecycle;
        this.serverRole = config.server().enabled();
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        String path = context.pathParam("circlePk");
        Refusal reason = refusalReason(path);
        if (reason != null) {
            metrics.upgradeRefused(reason);
            return CheckResult.rejectUpgrade(status(reason));
        }
        context.userData().put(CIRCLE, CircleKeys.canonicalOrNull(path));
        return CheckResult.permitUpgrade();
    }

    /** The HTTP status an upgrade to {@code /<path>} would be refused with now (503, 400, 404), or 0 if it would be accepted. */
    public int refusal(String path) {
        Refusal reason = refusalReason(path);
        return reason == null ? 0 : status(reason);
    }

    private Refusal refusalReason(String path) {
        if (!serverRole || lifecycle.isShuttingDown()) {
            return serverRole ? Refusal.SHUTTING_DOWN : Refusal.WORKER_ONLY;
        }
        String circle = CircleKeys.canonicalOrNull(path);
        if (circle == null) {
            return Refusal.BAD_KEY;
        }
        return registry.serves(circle) ? null : Refusal.UNKNOWN_CIRCLE;
    }

    private static int status(Refusal reason) {
        return switch (reason) {
            case SHUTTING_DOWN, WORKER_ONLY -> 503;
            case BAD_KEY -> 400;
            case UNKNOWN_CIRCLE -> 404;
        };
    }
}
