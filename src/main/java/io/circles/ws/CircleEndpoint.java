package io.circles.ws;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.NullNode;

import io.circles.config.CirclesConfig;
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
 * Binary frames are answered with a -32600 error and the connection stays open.
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

    public CircleEndpoint(ConnectionState state, CircleRpc rpc, CirclesConfig config, CirclesMetrics metrics) {
        this.state = state;
        this.rpc = rpc;
        this.metrics = metrics;
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
        LOG.infof("Connection %s opened on circle %s", connection.id(), TaskLog.shorten(state.circle()));
    }

    @OnClose
    void onClose(WebSocketConnection connection) {
        metrics.connectionClosed(state.authenticatedKey() != null);
        LOG.infof("Connection %s closed on circle %s (%s)", connection.id(), TaskLog.shorten(state.circle()),
                state.authenticatedKey() == null ? "not authenticated" : "caller " + TaskLog.shorten(state.authenticatedKey()));
    }

    @OnTextMessage
    Uni<Void> onText(String frame, WebSocketConnection connection) {
        processor.process(frame, rpc.methods()).subscribe().with(
                response -> send(connection, response),
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

    private static void send(WebSocketConnection connection, String response) {
        if (response != null && connection.isOpen()) {
            connection.sendText(response).subscribe().with(ok -> { }, failure -> LOG.debugf("send failed: %s", failure));
        }
    }
}
