package io.circles.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.circles.crypto.KeyPair;
import io.circles.support.AppProcess;
import io.circles.support.TestCircles;
import io.circles.support.WsClient;

/**
 * SIGTERM on the packaged server, as Knative sends it on every scale-in: the play in flight is answered, open
 * WebSockets are closed with 1001 (going away), readiness is DOWN while it drains, and the process exits by
 * itself promptly and without an ERROR.
 */
class GracefulShutdownIT {

    private static AppProcess server() {
        return AppProcess.start("shutdown", List.of("-k", TestCircles.CIRCLE_A), Map.of());
    }

    @Test
    void sigterm_answers_the_play_in_flight_then_closes_websockets_with_1001() throws Exception {
        try (AppProcess server = server(); WsClient client = WsClient.connect(server.base(), TestCircles.CIRCLE_A)) {
            client.authenticate(KeyPair.generate());
            assertEquals("2", client.result("play", Map.of("script", "1 + 1")).get("output").asText());
            client.sendText(client.request(7, "play", Map.of("script", "sleep(1); 5")));
            client.result("whoami", null); // frames are handled in order: the play is in flight now
            server.terminate();
            assertEquals("5", client.awaitResponse(7).path("result").path("output").asText(), "the play in flight is answered");
            assertEquals(1001, client.awaitClose());
            await().atMost(Duration.ofSeconds(30)).until(() -> !server.isAlive());
            assertTrue(server.log().contains("with 1001"), "the shutdown is logged");
        }
    }

    @Test
    void after_connections_came_and_went_sigterm_exits_within_three_seconds_without_error() throws Exception {
        try (AppProcess server = server()) {
            List<WsClient> open = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                WsClient client = WsClient.connect(server.base(), TestCircles.CIRCLE_A);
                client.authenticate(KeyPair.generate());
                assertEquals(String.valueOf(i), client.result("play", Map.of("script", i + "")).get("output").asText());
                if (i % 2 == 0) {
                    client.close(); // came and went
                } else {
                    open.add(client);
                }
            }
            AtomicBoolean sawNotReady = new AtomicBoolean();
            long start = System.nanoTime();
            server.terminate();
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).until(() -> {
                sawNotReady.compareAndSet(false, notReady(server));
                return !server.isAlive();
            });
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            for (WsClient client : open) {
                assertEquals(1001, client.awaitClose());
                client.close();
            }
            assertTrue(sawNotReady.get(), "readiness was DOWN while draining");
            assertFalse(server.log().contains("ERROR"), "no ERROR at shutdown (took " + tookMillis + " ms):\n" + server.log());
        }
    }

    /** Whether readiness answers DOWN (503); false when it answers UP or no longer answers at all. */
    private static boolean notReady(AppProcess server) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    server.base().resolve("/q/health/ready")).timeout(Duration.ofMillis(500)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 503;
        } catch (Exception gone) {
            return false;
        }
    }
}
