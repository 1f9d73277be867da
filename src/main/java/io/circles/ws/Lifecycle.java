package io.circles.ws;

import java.time.Duration;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.circles.config.CirclesConfig;
import io.circles.dispatch.ReplyListener;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OpenConnections;

/**
 * Graceful shutdown of the WebSocket side. On SIGTERM Quarkus first announces a shutdown delay
 * ({@code quarkus.shutdown.delay-enabled}); from then on new upgrades are refused (503) and new plays get an
 * error, plays already in flight get up to {@code circles.server.shutdown-grace} to finish and be answered,
 * and then every open connection is closed with 1001 (going away) so clients reconnect elsewhere.
 */
@Singleton
public class Lifecycle {
    private static final Logger LOG = Logger.getLogger(Lifecycle.class);
    /** 1001: the endpoint is going away (RFC 6455 §7.4.1). */
    public static final CloseReason GOING_AWAY = new CloseReason(1001, "server shutting down");
    private static final long POLL_MILLIS = 20;

    private final OpenConnections connections;
    private final ReplyListener replies;
    private final Duration grace;
    private volatile boolean shuttingDown;

    public Lifecycle(OpenConnections connections, ReplyListener replies, CirclesConfig config) {
        this.connections = connections;
        this.replies = replies;
        this.grace = config.server().shutdownGrace();
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

    /** Refuses new work, waits for plays in flight (bounded by the grace period), closes connections with 1001. Idempotent. */
    public synchronized void beginShutdown() {
        if (shuttingDown) {
            return;
        }
        shuttingDown = true;
        long deadline = System.nanoTime() + grace.toNanos();
        while (replies.pendingCount() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL_MILLIS); // a bounded wait on the shutdown thread, not test synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int count = 0;
        for (var connection : connections) {
            if (connection.isOpen()) {
                connection.close(GOING_AWAY).subscribe().with(ok -> { }, failure -> { });
                count++;
            }
        }
        LOG.infof("Shutting down: %d play(s) still unanswered, closed %d WebSocket connection(s) with 1001",
                replies.pendingCount(), count);
    }
}
