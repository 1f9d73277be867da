package io.circles.limits;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.circles.rpc.RpcMethod;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The limits of one WebSocket connection: its client address, the unauthenticated timeout, failed-authentication
 * backoff, and the outbound queue. Replies waiting to be written are counted; above {@code outbound-pause-at}
 * the server stops reading the socket (TCP pushes back on the client), above {@code outbound-close-at}, or when
 * the queue makes no progress for {@code outbound-stall-timeout}, the connection is closed with 1008. Callbacks
 * arrive from the event loop and from Redis reply threads, hence the atomics.
 */
public final class ConnectionGuard {
    private static final Logger LOG = Logger.getLogger(ConnectionGuard.class);
    /** A closed connection whose close frame cannot get through (the client is not reading) is cut after this. */
    private static final long FORCE_CLOSE_MILLIS = 2000;

    private final WebSocketConnection connection;
    private final String address;
    private final ConnectionBase transport;
    private final ConnectionGuards owner;
    private final LimitsConfig config;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicBoolean paused = new AtomicBoolean();
    private final AtomicBoolean stallTimerArmed = new AtomicBoolean();
    private final Backoff backoff = new Backoff();
    private volatile boolean authenticated;
    private volatile long lastFrameNanos = System.nanoTime();
    private volatile Map<String, RpcMethod> guardedMethods;

    ConnectionGuard(WebSocketConnection connection, String address, ConnectionBase transport, ConnectionGuards owner) {
        this.connection = connection;
        this.address = address;
        this.transport = transport;
        this.owner = owner;
        this.config = owner.config();
    }

    public String address() {
        return address;
    }

    /** The connection's methods with the rate limits and backoff in front (wrapped once). */
    public Map<String, RpcMethod> methods(Map<String, RpcMethod> methods) {
        Map<String, RpcMethod> guarded = guardedMethods;
        if (guarded == null) {
            guarded = GuardedMethods.wrap(methods, this, owner.rates(), owner.backoff(), owner.scriptBytes());
            guardedMethods = guarded;
        }
        return guarded;
    }

    /** Whether the connection may still take frames (it is not being closed by a limit). */
    public boolean frameArrived() {
        lastFrameNanos = System.nanoTime();
        if (paused.get() && transport != null) {
            transport.doPause(); // Vert.x resumes reading whenever its own inbound buffer drains: pause again
        }
        return !closing.get();
    }

    void authenticated() {
        authenticated = true;
    }

    LimitsConfig config() {
        return config;
    }

    Backoff connectionBackoff() {
        return backoff;
    }

    void start() {
        scheduleIdleCheck(config.unauthenticatedTimeout().toMillis());
    }

    private void scheduleIdleCheck(long delayMillis) {
        owner.vertx().setTimer(Math.max(1, delayMillis), id -> idleCheck());
    }

    /** With authentication on, a connection must authenticate in time; with it off, it must not fall silent. */
    private void idleCheck() {
        if (authenticated || !connection.isOpen()) {
            return;
        }
        long timeout = config.unauthenticatedTimeout().toNanos();
        long idle = System.nanoTime() - lastFrameNanos;
        if (owner.authEnabled() || idle >= timeout) {
            closeForPolicy(owner.authEnabled() ? "not authenticated in time" : "idle too long without authenticating");
        } else {
            scheduleIdleCheck((timeout - idle) / 1_000_000);
        }
    }

    /**
     * Queues a reply, unless the queue is over the close limit. {@code text} is measured in characters: replies are
     * JSON, mostly ASCII, and the bound needs to hold only within a small factor.
     */
    public CompletionStage<Void> send(String text) {
        if (closing.get() || !connection.isOpen()) {
            return CompletableFuture.completedFuture(null);
        }
        long size = text.length();
        long queued = queuedBytes.addAndGet(size);
        if (queued > config.outboundCloseAt().asLongValue()) {
            queuedBytes.addAndGet(-size);
            closeForPolicy("replies not being read (" + queued + " bytes queued)");
            return CompletableFuture.completedFuture(null);
        }
        if (queued > config.outboundPauseAt().asLongValue()) {
            pauseReading();
        }
        armStallTimer();
        return connection.sendText(text).onItemOrFailure().invoke((ok, failure) -> written(size))
                .onFailure().recoverWithNull().subscribeAsCompletionStage();
    }

    private void written(long size) {
        writes.incrementAndGet();
        long queued = queuedBytes.addAndGet(-size);
        if (queued <= config.outboundPauseAt().asLongValue() / 2) {
            resumeReading();
        }
    }

    private void pauseReading() {
        if (transport != null && paused.compareAndSet(false, true)) {
            LOG.debugf("Connection %s from %s: pausing reads, %d bytes of replies queued", connection.id(), address, queuedBytes.get());
            transport.doPause();
        }
    }

    private void resumeReading() {
        if (transport != null && paused.compareAndSet(true, false)) {
            transport.doResume();
        }
    }

    private void armStallTimer() {
        if (stallTimerArmed.compareAndSet(false, true)) {
            long seen = writes.get();
            owner.vertx().setTimer(config.outboundStallTimeout().toMillis(), id -> stallCheck(seen));
        }
    }

    private void stallCheck(long writesBefore) {
        stallTimerArmed.set(false);
        if (queuedBytes.get() <= 0 || !connection.isOpen()) {
            return;
        }
        if (writes.get() == writesBefore) {
            closeForPolicy("replies not being read for " + config.outboundStallTimeout().toSeconds() + "s");
        } else {
            armStallTimer();
        }
    }

    /** Closes with 1008; if the close frame cannot be delivered (a client that does not read), cuts the TCP connection. */
    void closeForPolicy(String why) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        LOG.debugf("Closing connection %s from %s with 1008: %s", connection.id(), address, why);
        connection.close(new CloseReason(1008, why)).subscribe().with(ok -> { }, failure -> { });
        if (transport != null) {
            owner.vertx().setTimer(FORCE_CLOSE_MILLIS, id -> {
                if (transport.channel().isActive()) {
                    LOG.debugf("Connection %s from %s did not close in time: cutting it", connection.id(), address);
                    transport.channel().close();
                }
            });
        }
    }
}
