package io.circles.ws;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OpenConnections;

/**
 * Graceful shutdown of the WebSocket side: once shutdown begins, new upgrades are refused (503) and open
 * connections are closed with 1001 (going away) so clients reconnect elsewhere. In-flight HTTP work gets
 * Quarkus's {@code quarkus.shutdown.timeout} to finish.
 */
@Singleton
public class Lifecycle {
    private static final Logger LOG = Logger.getLogger(Lifecycle.class);
    /** 1001: the endpoint is going away (RFC 6455 §7.4.1). */
    public static final CloseReason GOING_AWAY = new CloseReason(1001, "server shutting down");

    private final OpenConnections connections;
    private volatile boolean shuttingDown;

    public Lifecycle(OpenConnections connections) {
        this.connections = connections;
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        beginShutdown();
    }

    void onShutdown(@Observes ShutdownEvent event) {
        beginShutdown();
    }

    /** Refuses new upgrades and closes every open connection with 1001. Idempotent. */
    public synchronized void beginShutdown() {
        if (shuttingDown) {
            return;
        }
        shuttingDown = true;
        int count = 0;
        for (var connection : connections) {
            if (connection.isOpen()) {
                connection.close(GOING_AWAY).subscribe().with(ok -> { }, failure -> { });
                count++;
            }
        }
        LOG.infof("Shutting down: closed %d WebSocket connection(s) with 1001", count);
    }
}
