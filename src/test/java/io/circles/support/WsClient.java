package io.circles.support;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.circles.crypto.KeyPair;

/**
 * A plain WebSocket client (the JDK's own, so the same tests run against the packaged app in {@code *IT}):
 * incoming text frames go to a queue, and Awaitility waits on it.
 */
public final class WsClient implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    public static final Duration WAIT = Duration.ofSeconds(30);

    private final WebSocket socket;
    private final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final AtomicLong ids = new AtomicLong();

    private WsClient(URI uri) {
        this(uri, java.util.Map.of());
    }

    private WsClient(URI uri, java.util.Map<String, String> headers) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        this.socket = builder.buildAsync(uri, new Listener()).join();
    }

    /** Connects with extra headers on the upgrade request (e.g. a W3C {@code traceparent}). */
    public static WsClient connect(URI base, String circle, java.util.Map<String, String> headers) {
        return new WsClient(URI.create(base.toString().replaceFirst("^http", "ws").replaceAll("/$", "") + "/" + circle), headers);
    }

    /** Connects to {@code base} (http://host:port/) + circle key. */
    public static WsClient connect(URI base, String circle) {
        return new WsClient(URI.create(base.toString().replaceFirst("^http", "ws").replaceAll("/$", "") + "/" + circle));
    }

    public void sendText(String text) {
        socket.sendText(text, true).join();
    }

    public void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /** Waits for the next frame. */
    public String next() {
        String[] holder = new String[1];
        await().atMost(WAIT).until(() -> (holder[0] = received.poll()) != null);
        return holder[0];
    }

    public JsonNode nextJson() {
        return parse(next());
    }

    /** Sends a request and waits for the response with the same id (other frames stay queued). */
    public JsonNode call(String method, Object params) {
        long id = ids.incrementAndGet();
        sendText(request(id, method, params));
        return awaitResponse(id);
    }

    public JsonNode awaitResponse(long id) {
        JsonNode[] holder = new JsonNode[1];
        await().atMost(WAIT).until(() -> (holder[0] = takeResponse(id)) != null);
        return holder[0];
    }

    private JsonNode takeResponse(long id) {
        for (Iterator<String> it = received.iterator(); it.hasNext();) {
            String text = it.next();
            JsonNode json = parse(text);
            if (json.isObject() && json.path("id").isNumber() && json.path("id").asLong() == id) {
                it.remove();
                return json;
            }
        }
        return null;
    }

    /** The result of a call, failing the test with the error when there is one. */
    public JsonNode result(String method, Object params) {
        JsonNode response = call(method, params);
        if (!response.has("result")) {
            throw new AssertionError(method + " failed: " + response);
        }
        return response.get("result");
    }

    /** fetch_nonce → personal_sign → authenticate with {@code key}; returns the authenticate response. */
    public JsonNode authenticate(KeyPair key) {
        String nonce = result("fetch_nonce", MAPPER.createObjectNode().put("pubkey", key.publicKeyCompressed())).get("nonce").asText();
        ObjectNode params = MAPPER.createObjectNode().put("pubkey", key.publicKeyCompressed()).put("signature", key.signPersonal(nonce));
        return call("authenticate", params);
    }

    public String request(long id, String method, Object params) {
        ObjectNode request = MAPPER.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
        if (params != null) {
            request.set("params", MAPPER.valueToTree(params));
        }
        return request.toString();
    }

    /** Frames received and not yet consumed. */
    public int pending() {
        return received.size();
    }

    /** Waits until the server closes the connection; returns the close code. */
    public int awaitClose() {
        await().atMost(WAIT).until(closed::isDone);
        return closed.join();
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
            socket.abort();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
