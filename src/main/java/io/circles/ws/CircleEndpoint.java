package io.circles.ws;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.NullNode;

import io.circles.config.CirclesConfig;
import io.circles.limits.ConnectionGuard;
import io.circles.limits.ConnectionGuards;
import io.circles.limits.LimitsConfig;
import io.circles.metrics.CirclesMetrics;
import io.circles.metrics.TaskLog;
import io.circles.metrics.Traceparent;
import io.circles.rpc.ErrorCodes;
import io.circles.rpc.Json;
import io.circles.rpc.JsonRpcProcessor;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/**
 * {@code ws://host/<circle_pk>}: JSON-RPC 2.0 over text frames. The upgrade has already been checked by
 * {@link CircleUpgradeCheck}. Each frame is handed to the connection's {@link CircleRpc}; the handler returns
 * at once and the response is sent when ready, so one slow {@code play} never holds up the next request.
 * Binary frames are answered with a -32600 error and the connection stays open. Every reply goes through the
 * connection's {@link ConnectionGuard} (outbound queue bound, rate limits, authentication backoff).
 */
@WebSocket(path = "/{circlePk}")
public class CircleEndpoint {
    private static final Logger LOG = Logger.getLogger(CircleEndpoint.class);
    /** 1009: the message is larger than {@code quarkus.websockets-next.server.max-message-size}. */
    static final CloseReason MESSAGE_TOO_BIG = new CloseReason(1009, "message too big");

    private final ConnectionState state;
    private final CircleRpc rpc;
    private final JsonRpcProcessor processor;
    private final CirclesMetrics metrics;
    private final ConnectionGuards guards;
    private final long maxBatchResponse;

    public CircleEndpoint(ConnectionState state, CircleRpc rpc, CirclesConfig config, CirclesMetrics metrics, ConnectionGuards guards,
            LimitsConfig limits) {
        this.state = state;
        this.rpc = rpc;
        this.metrics = metrics;
        this.guards = guards;
        this.maxBatchResponse = limits.maxBatchResponse().asLongValue();
        this.processor = new JsonRpcProcessor(Json.wireMapper(config.rpc().maxNestingDepth()), config.rpc().maxBatchSize(),
                metrics.callObserver());
    }

    @OnOpen
    void onOpen(WebSocketConnection connection) {
        state.circle(connection.userData().get(CircleUpgradeCheck.CIRCLE));
        state.connection(connection);
        // the caller's trace (W3C header on the upgrade request), continued by every play on this connection
        state.traceparent(Traceparent.parse(connection.handshakeRequest().header("traceparent")));
        state.connectionId(connection.id());
        metrics.connectionOpened();
        LOG.debugf("Connection %s opened on circle %s", connection.id(), TaskLog.shorten(state.circle()));
        state.host(ConnectionGuards.hostOf(connection));
        guards.open(connection);
    }

    @OnClose
    void onClose(WebSocketConnection connection) {
        guards.closed(connection);
        metrics.connectionClosed(state.authenticatedKey() != null);
        LOG.debugf("Connection %s closed on circle %s (%s)", connection.id(), TaskLog.shorten(state.circle()),
                state.authenticatedKey() == null ? "not authenticated" : "caller " + TaskLog.shorten(state.authenticatedKey()));
    }

    @OnTextMessage
    Uni<Void> onText(String frame, WebSocketConnection connection) {
        ConnectionGuard guard = ConnectionGuards.guardOf(connection);
        if (guard == null || !guard.frameArrived()) {
            return Uni.createFrom().voidItem();
        }
        processor.process(frame, guard.methods(rpc.methods())).subscribe().with(
                response -> send(connection, capBatch(response)),
                failure -> LOG.error("JSON-RPC processing failed", failure));
        return Uni.createFrom().voidItem();
    }

    @OnBinaryMessage
    Uni<Void> onBinary(Buffer frame, WebSocketConnection connection) {
        send(connection, JsonRpcProcessor.error(NullNode.instance, ErrorCodes.INVALID_REQUEST,
                "Invalid Request: binary frames are not supported, send JSON-RPC as text", null).toString());
        return Uni.createFrom().voidItem();
    }

    /**
     * Vert.x reports a message over {@code max-message-size} as an error without closing; RFC 6455 wants
     * 1009 (message too big) for that, so the endpoint closes with it.
     */
    @OnError
    Uni<Void> onError(WebSocketConnection connection, Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        if (failure instanceof IllegalStateException && message.contains("max message size")) {
            return connection.close(MESSAGE_TOO_BIG);
        }
        LOG.debugf("WebSocket error on %s: %s", connection.id(), failure.toString());
        return Uni.createFrom().voidItem();
    }

    /** A batch response over {@code circles.limits.max-batch-response} is replaced by one error; the results stay readable by task_status. */
    private String capBatch(String response) {
        if (response == null || response.length() <= maxBatchResponse || !response.startsWith("[")) {
            return response;
        }
        return JsonRpcProcessor.error(NullNode.instance, ErrorCodes.INVALID_REQUEST, "Invalid Request: the batch response of "
                + response.length() + " bytes exceeds the limit of " + maxBatchResponse + "; send fewer requests per batch", null).toString();
    }

    private static void send(WebSocketConnection connection, String response) {
        ConnectionGuard guard = ConnectionGuards.guardOf(connection);
        if (response != null && guard != null) {
            guard.send(response);
        }
    }
}
