package io.circles.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.circles.config.CirclesConfig;
import io.circles.ws.Lifecycle;

/**
 * {@code circles-server-accepting}: a server process takes new connections and plays. It turns DOWN as soon as
 * shutdown begins, so the load balancer stops sending new clients while plays in flight finish; a worker-only
 * process reports UP with {@code role=worker} (it accepts no clients, and its readiness is the intake's check).
 */
@Readiness
@ApplicationScoped
public class ServerAcceptingReadiness implements HealthCheck {
    public static final String NAME = "circles-server-accepting";

    private final Lifecycle lifecycle;
    private final boolean server;

    public ServerAcceptingReadiness(Lifecycle lifecycle, CirclesConfig config) {
        this.lifecycle = lifecycle;
        this.server = config.server().enabled();
    }

    @Override
    public HealthCheckResponse call() {
        if (!server) {
            return HealthCheckResponse.named(NAME).up().withData("role", "worker").build();
        }
        boolean accepting = !lifecycle.isShuttingDown();
        return HealthCheckResponse.named(NAME).status(accepting).withData("role", "server")
                .withData("accepting", accepting ? "yes" : "no: shutting down").build();
    }
}
