package io.circles.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.crypto.KeyPair;
import io.circles.support.TestCircles;
import io.circles.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A {@link StackOverflowError} or {@link OutOfMemoryError} thrown inside a script's run (by a host function, or by
 * a script recursing past a script thread's stack when the call-depth limit is set too high) ends that task as
 * {@code error} with a clear message; the script threads live on, so the same circle (more plays than it has
 * threads) and another circle keep being served.
 */
@QuarkusTest
@TestProfile(ScriptAttackProfile.class)
class ScriptErrorAttacksTest {
    @TestHTTPResource("/")
    URI base;

    @Test
    void a_stack_overflow_in_a_host_function_ends_the_task_as_error_and_the_circle_stays_served() {
        errsThenCircleIsServed("overflow_stack()", "stack overflow");
    }

    @Test
    void a_script_recursing_past_the_thread_stack_ends_as_error_and_the_circle_stays_served() {
        errsThenCircleIsServed("fn down(n) { down(n + 1) + 1 } down(0)", "stack overflow");
    }

    @Test
    void an_out_of_memory_error_in_a_host_function_ends_the_task_as_error_and_the_circle_stays_served() {
        errsThenCircleIsServed("run_out_of_memory()", "out of memory");
    }

    private void errsThenCircleIsServed(String script, String message) {
        try (WsClient attacker = WsClient.connect(base, TestCircles.CIRCLE_A)) {
            assertTrue(attacker.authenticate(KeyPair.generate()).has("result"));
            for (int round = 0; round < 4; round++) { // more failures than the circle has threads
                JsonNode failed = attacker.call("play", Map.of("script", script));
                assertEquals(-32000, failed.path("error").path("code").asInt(), failed.toString());
                String error = failed.path("error").path("data").path("error").asText();
                assertTrue(error.toLowerCase().contains(message), error);
                JsonNode status = attacker.result("task_status", Map.of("task_id", failed.path("error").path("data").path("task_id").asText()));
                assertEquals("error", status.path("status").asText(), status.toString());
                assertEquals(error, status.path("error").asText());
            }
            for (int i = 0; i < 8; i++) {
                assertEquals(Integer.toString(40 + i), attacker.result("play", Map.of("script", "40 + " + i)).path("output").asText());
            }
        }
        Member.isUnaffected(base);
    }
}
