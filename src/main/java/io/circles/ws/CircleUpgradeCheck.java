package io.circles.ws;

import jakarta.inject.Singleton;

import io.circles.circle.CircleKeys;
import io.circles.circle.CircleRegistry;
import io.circles.config.CirclesConfig;
import io.circles.limits.ConnectionGuards;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;

/**
 * Refuses the WebSocket upgrade before it happens: HTTP 400 for a path that is not a secp256k1 public key,
 * 404 for a well-formed key this server does not serve, 503 while the server is shutting down. The
 * canonical circle key is handed to the connection through its user data. A worker-only process
 * ({@code circles.server.enabled=false}) refuses every upgrade with 503. Last, the connection caps
 * ({@link ConnectionGuards}): 503 when this instance is full, 429 when the client address is.
 */
@Singleton
public class CircleUpgradeCheck implements HttpUpgradeCheck {
    /** The canonical circle key of a connection. */
    public static final UserData.TypedKey<String> CIRCLE = UserData.TypedKey.forString("circle");

    private final CircleRegistry registry;
    private final Lifecycle lifecycle;
    private final boolean serverRole;
    private final ConnectionGuards guards;

    public CircleUpgradeCheck(CircleRegistry registry, Lifecycle lifecycle, CirclesConfig config, ConnectionGuards guards) {
        this.registry = registry;
        this.guards = guards;
        this.lifecycle = lifecycle;
        this.serverRole = config.server().enabled();
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        if (!serverRole || lifecycle.isShuttingDown()) {
            return CheckResult.rejectUpgrade(503);
        }
        String circle = CircleKeys.canonicalOrNull(context.pathParam("circlePk"));
        if (circle == null) {
            return CheckResult.rejectUpgrade(400);
        }
        if (!registry.serves(circle)) {
            return CheckResult.rejectUpgrade(404);
        }
        int refused = guards.admit(context.httpRequest(), context.userData());
        if (refused != 0) {
            return CheckResult.rejectUpgrade(refused);
        }
        context.userData().put(CIRCLE, circle);
        return CheckResult.permitUpgrade();
    }
}
