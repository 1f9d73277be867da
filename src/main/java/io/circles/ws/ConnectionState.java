package io.circles.ws;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.SessionScoped;

import io.circles.auth.Nonce;
import io.quarkus.websockets.next.WebSocketConnection;
import io.circles.metrics.Traceparent;

/**
 * What one WebSocket connection knows about itself: its circle, the pending nonce and the authenticated
 * key. Lives exactly as long as the connection (websockets-next's session scope), never in a static map.
 * Touched only from the connection's own event-loop callbacks, except the in-flight counter.
 */
@SessionScoped
public class ConnectionState {
    private String circle;
    private Nonce pendingNonce;
    private String authenticatedKey;
    private final AtomicInteger inFlight = new AtomicInteger();
    private WebSocketConnection connection;
    private Traceparent traceparent;
    private String connectionId;

    public String circle() {
        return circle;
    }

    void circle(String canonicalCircle) {
        this.circle = canonicalCircle;
    }

    public void pendingNonce(Nonce nonce) {
        this.pendingNonce = nonce;
    }

    /** Removes and returns the pending nonce: any authentication attempt consumes it. */
    public Nonce takeNonce() {
        Nonce nonce = pendingNonce;
        pendingNonce = null;
        return nonce;
    }

    public String authenticatedKey() {
        return authenticatedKey;
    }

    public void authenticatedKey(String key) {
        this.authenticatedKey = key;
    }

    /** The connection itself (not a session proxy), for notifications sent from other threads. */
    public WebSocketConnection connection() {
        return connection;
    }

    void connection(WebSocketConnection connection) {
        this.connection = connection;
    }

    public AtomicInteger inFlight() {
        return inFlight;
    }

    /** The W3C traceparent of the upgrade request, or null. */
    public Traceparent traceparent() {
        return traceparent;
    }

    void traceparent(Traceparent value) {
        this.traceparent = value;
    }

    public String connectionId() {
        return connectionId;
    }

    void connectionId(String id) {
        this.connectionId = id;
    }
}
