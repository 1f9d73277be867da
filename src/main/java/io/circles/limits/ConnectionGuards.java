package io.circles.limits;

import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.circles.config.CirclesConfig;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Admits WebSocket upgrades under the connection caps and gives each admitted connection its
 * {@link ConnectionGuard}. What the upgrade learns (client address, Host, the transport) travels to the
 * connection in its user data.
 */
@Singleton
public class ConnectionGuards {
    private static final Logger LOG = Logger.getLogger(ConnectionGuards.class);
    static final UserData.TypedKey<Reservation> RESERVATION = new UserData.TypedKey<>("limits.reservation");
    static final UserData.TypedKey<String> HOST = UserData.TypedKey.forString("limits.host");
    static final UserData.TypedKey<ConnectionBase> TRANSPORT = new UserData.TypedKey<>("limits.transport");
    static final UserData.TypedKey<ConnectionGuard> GUARD = new UserData.TypedKey<>("limits.guard");
    /** An admitted upgrade that has not opened a connection by then gives its place back. */
    private static final long OPEN_WITHIN_MILLIS = 10_000;
    /** 1013: the admitted upgrade took so long to open that its place lapsed; the client may try again later. */
    static final CloseReason TRY_LATER = new CloseReason(1013, "too many connections");

    private final LimitsConfig config;
    private final ConnectionCounter counter;
    private final RateLimiter rates;
    private final AuthBackoff backoff;
    private final ScriptBytes scriptBytes;
    private final TrustedProxies proxies;
    private final Vertx vertx;
    private final boolean authEnabled;

    public ConnectionGuards(LimitsConfig config, ConnectionCounter counter, RateLimiter rates, AuthBackoff backoff, ScriptBytes scriptBytes,
            Vertx vertx, CirclesConfig circles) {
        this.scriptBytes = scriptBytes;
        this.config = config;
        this.counter = counter;
        this.rates = rates;
        this.backoff = backoff;
        this.vertx = vertx;
        this.proxies = new TrustedProxies(config.trustedProxies().orElse(List.of()));
        this.authEnabled = circles.auth().enabled();
    }

    /** The HTTP status refusing this upgrade (503 server full, 429 address full), or 0 to let it through. */
    public int admit(HttpServerRequest request, UserData data) {
        String peer = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        String address = proxies.clientAddress(peer, request.headers().getAll("X-Forwarded-For"));
        ConnectionCounter.Refusal refusal = counter.reserve(address);
        if (refusal != null) {
            return refusal == ConnectionCounter.Refusal.GLOBAL ? 503 : 429;
        }
        Reservation reservation = new Reservation(address);
        data.put(RESERVATION, reservation);
        vertx.setTimer(OPEN_WITHIN_MILLIS, id -> {
            if (reservation.lapse()) {
                counter.release(address);
            }
        });
        data.put(HOST, request.authority() == null ? "" : request.authority().toString());
        if (request.connection() instanceof ConnectionBase transport) {
            data.put(TRANSPORT, transport);
        } else {
            // HTTP/2 or an unknown transport: replies are still bounded (close at the limit), reading cannot be paused
            LOG.debugf("Connection from %s: transport %s cannot be paused", address, request.connection());
        }
        return 0;
    }

    /** Claims the admitted place for a connection that has opened and starts its guard. */
    public ConnectionGuard open(WebSocketConnection connection) {
        Reservation reservation = connection.userData().get(RESERVATION);
        String address = reservation == null ? "unknown" : reservation.address();
        ConnectionGuard guard = new ConnectionGuard(connection, address, connection.userData().get(TRANSPORT), this);
        connection.userData().put(GUARD, guard);
        if (reservation == null || !reservation.claim()) {
            connection.close(TRY_LATER).subscribe().with(ok -> { }, failure -> { });
            return guard;
        }
        guard.start();
        return guard;
    }

    /** Gives back a closed connection's place (once, however many times the close is reported). */
    public void closed(WebSocketConnection connection) {
        Reservation reservation = connection.userData().get(RESERVATION);
        if (reservation != null && reservation.close()) {
            counter.release(reservation.address());
        }
    }

    /** The guard of a connection, or null before {@link #open}. */
    public static ConnectionGuard guardOf(WebSocketConnection connection) {
        return connection.userData().get(GUARD);
    }

    /** Sends through the connection's guard (so the outbound bound covers it), or directly before the guard exists. */
    public static CompletionStage<Void> send(WebSocketConnection connection, String text) {
        ConnectionGuard guard = guardOf(connection);
        return guard != null ? guard.send(text) : connection.sendText(text).subscribeAsCompletionStage();
    }

    /** The Host the client used for the upgrade ("" if none). */
    public static String hostOf(WebSocketConnection connection) {
        String host = connection.userData().get(HOST);
        return host == null ? "" : host;
    }

    LimitsConfig config() {
        return config;
    }

    RateLimiter rates() {
        return rates;
    }

    AuthBackoff backoff() {
        return backoff;
    }

    ScriptBytes scriptBytes() {
        return scriptBytes;
    }

    Vertx vertx() {
        return vertx;
    }

    boolean authEnabled() {
        return authEnabled;
    }
}
