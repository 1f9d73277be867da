package io.circles.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.crypto.KeyPair;
import io.circles.support.TestCircles;
import io.circles.support.WsClient;

/**
 * A well-behaved member of circle B, from its own address (127.0.0.1): every attack test ends by checking that it
 * still authenticates and that its plays are answered within {@link #ANSWER_WITHIN}, and that its earlier task is
 * still readable (nothing lost).
 */
final class Member {
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);

    private Member() {
    }

    /** Connects, authenticates, plays three scripts, each answered within the bound, and reads back the first task. */
    static void isUnaffected(URI base) {
        try (WsClient member = WsClient.connect(base, TestCircles.CIRCLE_B)) {
            assertTrue(member.authenticate(KeyPair.generate()).has("result"), "the member authenticates");
            String firstTask = null;
            for (int i = 0; i < 3; i++) {
                JsonNode answer = playWithin(member, "40 + " + (2 + i));
                assertEquals(Integer.toString(42 + i), answer.path("result").path("output").asText(), answer.toString());
                firstTask = firstTask == null ? answer.path("result").path("task_id").asText() : firstTask;
            }
            JsonNode status = member.result("task_status", Map.of("task_id", firstTask));
            assertEquals("completed", status.path("status").asText(), status.toString());
        }
    }

    private static JsonNode playWithin(WsClient member, String script) {
        CompletableFuture<JsonNode> answer = CompletableFuture.supplyAsync(() -> member.call("play", Map.of("script", script)));
        try {
            return answer.get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the member's play was not answered within " + ANSWER_WITHIN, e);
        }
    }
}
