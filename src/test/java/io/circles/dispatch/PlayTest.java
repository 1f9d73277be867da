package io.circles.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.crypto.KeyPair;
import io.circles.support.TestCircles;
import io.circles.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** {@code play} end to end: WebSocket → Redis → worker → Rhai engine → back on the same connection. */
@QuarkusTest
public class PlayTest {

    @TestHTTPResource("/")
    URI base;

    WsClient client;

    @BeforeEach
    void connectAndAuthenticate() {
        client = WsClient.connect(base, TestCircles.CIRCLE_A);
        assertTrue(client.authenticate(KeyPair.generate()).has("result"));
    }

    @AfterEach
    void close() {
        client.close();
    }

    private JsonNode play(String script) {
        return client.call("play", Map.of("script", script));
    }

    @Test
    void a_script_result_comes_back_as_text() {
        JsonNode result = play("let x = 10; x * 2").get("result");
        assertEquals("20", result.get("output").asText());
        assertTrue(result.get("task_id").asText().length() > 10);
    }

    @Test
    void unit_results_are_empty_and_prints_come_back_in_logs() {
        JsonNode result = play("print(\"hello\"); debug(\"dbg\"); let a = [1, 2];").get("result");
        assertEquals("", result.get("output").asText());
        assertEquals("hello", result.get("logs").get(0).asText());
        assertEquals(2, result.get("logs").size());
    }

    @Test
    void the_caller_and_circle_are_in_scope() {
        KeyPair key = KeyPair.generate();
        try (WsClient other = WsClient.connect(base, TestCircles.CIRCLE_A)) {
            other.authenticate(key);
            JsonNode result = other.call("play", Map.of("script", "CALLER_ID + \"|\" + CONTEXT_ID")).get("result");
            assertEquals(key.publicKeyCompressed().substring(2) + "|" + TestCircles.CIRCLE_A.substring(2), result.get("output").asText());
        }
    }

    @Test
    void a_parse_error_is_an_execution_error_with_its_position() {
        JsonNode error = play("let x = ;").get("error");
        assertEquals(-32000, error.get("code").asInt());
        assertTrue(error.path("data").path("error").asText().contains("line 1"), error.toString());
    }

    @Test
    void a_runtime_error_is_an_execution_error_with_its_position() {
        JsonNode error = play("let a = 1;\nlet b = a / 0;").get("error");
        assertEquals(-32000, error.get("code").asInt());
        assertTrue(error.path("data").path("error").asText().contains("line 2"), error.toString());
    }

    @Test
    void a_runaway_loop_is_stopped_and_the_next_play_works() {
        JsonNode error = play("let n = 0; loop { n += 1; }").get("error");
        assertEquals(-32000, error.get("code").asInt(), error.toString());
        assertEquals("3", play("1 + 2").get("result").get("output").asText());
    }

    @Test
    void twenty_connections_with_ten_concurrent_plays_each_get_their_own_answers() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int c = 0; c < 20; c++) {
                int connection = c;
                results.add(pool.submit(() -> {
                    try (WsClient ws = WsClient.connect(base, TestCircles.CIRCLE_B)) {
                        ws.authenticate(KeyPair.generate());
                        for (int p = 0; p < 10; p++) {
                            ws.sendText(ws.request(100 + p, "play", Map.of("script", connection + " * 1000 + " + p)));
                        }
                        for (int p = 0; p < 10; p++) {
                            JsonNode response = ws.awaitResponse(100 + p);
                            assertEquals(String.valueOf(connection * 1000 + p), response.path("result").path("output").asText(),
                                    response.toString());
                        }
                        return true;
                    }
                }));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void task_status_shows_a_finished_task_to_its_caller_only() {
        String taskId = play("40 + 2").get("result").get("task_id").asText();
        JsonNode status = client.result("task_status", Map.of("task_id", taskId));
        assertEquals("completed", status.get("status").asText());
        assertEquals("42", status.get("output").asText());
        try (WsClient stranger = WsClient.connect(base, TestCircles.CIRCLE_A)) {
            stranger.authenticate(KeyPair.generate());
            assertEquals(-32602, stranger.call("task_status", Map.of("task_id", taskId)).path("error").path("code").asInt());
        }
    }
}
