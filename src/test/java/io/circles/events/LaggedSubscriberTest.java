package io.circles.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.crypto.KeyPair;
import io.circles.support.TestCircles;
import io.circles.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A real WebSocket client that stops reading: the server keeps at most {@code queue-size} notifications for it,
 * drops the oldest, and tells it how many with {@code lagged}; a reading subscriber of the same circle gets all.
 * Large values (asked for with {@code with_values}) fill the socket buffers quickly.
 */
@QuarkusTest
@TestProfile(LaggedSubscriberTest.SmallQueue.class)
class LaggedSubscriberTest {
    static final int WRITES = 180;

    public static class SmallQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("circles.subscriptions.queue-size", "8", "circles.subscriptions.max-inline-value-bytes", "300000",
                    "circles.worker.max-run-time", "20s");
        }
    }

    @TestHTTPResource("/")
    URI base;

    /** A JDK WebSocket whose reading can be paused: with no demand the JDK stops reading the socket. */
    static final class PausableClient implements WebSocket.Listener {
        final ConcurrentLinkedQueue<String> frames = new ConcurrentLinkedQueue<>();
        private final StringBuilder partial = new StringBuilder();
        volatile boolean paused;
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            if (!paused) {
                webSocket.request(1);
            }
            return null;
        }

        void resume() {
            paused = false;
            socket.request(Long.MAX_VALUE);
        }
    }

    @Test
    void a_client_that_stops_reading_loses_the_oldest_notifications_and_is_told_how_many() {
        PausableClient slow = new PausableClient();
        slow.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(base.toString().replaceFirst("^http", "ws") + TestCircles.CIRCLE_A.substring(2)), slow).join();
        KeyPair key = KeyPair.generate();
        String nonce = request(slow, 1, "fetch_nonce", "{\"pubkey\":\"" + key.publicKeyCompressed() + "\"}").at("/result/nonce").asText();
        request(slow, 2, "authenticate", "{\"pubkey\":\"" + key.publicKeyCompressed() + "\",\"signature\":\"" + key.signPersonal(nonce) + "\"}");
        String slowSub = request(slow, 3, "subscribe", "{\"topic\":\"store\",\"filter\":{\"prefix\":\"big\",\"with_values\":true}}")
                .get("result").asText();
        slow.paused = true;

        try (WsClient fast = WsClient.connect(base, TestCircles.CIRCLE_A); WsClient writer = WsClient.connect(base, TestCircles.CIRCLE_A)) {
            fast.authenticate(KeyPair.generate());
            writer.authenticate(KeyPair.generate());
            String fastSub = fast.result("subscribe", Map.of("topic", "store", "filter", Map.of("prefix", "big"))).asText();
            String script = "let s = \"0123456789\"; while s.len() < 150000 { s += s; } "
                    + "for i in 0..%d { db_set(\"big\" + (i + %d), s); }";
            for (int part = 0; part < 3; part++) {
                writer.result("play", Map.of("script", script.formatted(WRITES / 3, part * WRITES / 3)));
            }
            for (int i = 0; i < WRITES; i++) {
                JsonNode frame = fast.nextJson();
                assertEquals(fastSub, frame.at("/params/subscription").asText());
                assertEquals("big" + i, frame.at("/params/result/key").asText(), "the reading subscriber gets every change, in order");
            }
        }

        slow.resume();
        String lastKey = "big" + (WRITES - 1);
        await().atMost(WsClient.WAIT).until(() -> slow.frames.stream().anyMatch(f -> f.contains("\"" + lastKey + "\"")));
        List<JsonNode> notes = slow.frames.stream().map(WsClient::parse).filter(f -> "subscription".equals(f.path("method").asText())).toList();
        long lagged = notes.stream().mapToLong(f -> f.at("/params/result/lagged").asLong(0)).sum();
        long delivered = notes.stream().filter(f -> f.at("/params/result").has("key")).count();
        assertTrue(lagged > 0, "the slow client was told it lagged");
        assertEquals(WRITES, delivered + lagged, "every change was either delivered or counted as dropped");
        assertTrue(notes.stream().allMatch(f -> slowSub.equals(f.at("/params/subscription").asText())));
        System.out.printf("slow subscriber: %d delivered, %d dropped (queue of 8)%n", delivered, lagged);
        slow.socket.abort();
    }

    private static JsonNode request(PausableClient client, long id, String method, String params) {
        client.socket.sendText("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}", true).join();
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (String text : client.frames) {
                JsonNode json = WsClient.parse(text);
                if (json.path("id").asLong(-1) == id) {
                    client.frames.remove(text);
                    found[0] = json;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }
}
