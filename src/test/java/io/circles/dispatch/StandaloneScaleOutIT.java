package io.circles.dispatch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.crypto.KeyPair;
import io.circles.support.AppProcess;
import io.circles.support.RedisServers;
import io.circles.support.WsClient;

/**
 * The end-to-end scenarios with two servers and two workers on one Redis, plus what only a single Redis can be
 * made to suffer here: servers and Redis itself killed with SIGKILL.
 */
class StandaloneScaleOutIT extends ScaleOutScenarios {

    @BeforeAll
    static void start() {
        RedisServers.require();
        startAll(RedisServers.standalone(), 2);
    }

    @Test
    @Order(20)
    void a_server_killed_with_plays_in_flight_leaves_no_task_queued_or_running() {
        KeyPair caller = KeyPair.generate();
        String callerId = canonical(caller.publicKeyCompressed());
        AppProcess doomed = server(1);
        WsClient client = member(doomed, CIRCLE_B, caller);
        for (int i = 0; i < 5; i++) {
            client.sendText(client.request(i, "play", Map.of("script", "sleep(1); " + i)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !redis.cli(0, "zrange",
                "rhai_tasks:{" + canonical(CIRCLE_B) + "}:running", "0", "-1").isEmpty());
        doomed.kill();
        servers.remove(doomed);

        await().atMost(Duration.ofSeconds(60)).until(() -> "0".equals(redis.cli(0, "zcard", "rhai_tasks:{" + canonical(CIRCLE_B) + "}:running"))
                && "0".equals(redis.cli(0, "llen", "rhai_tasks:{" + canonical(CIRCLE_B) + "}:caller:" + callerId)));
        List<String> tasks = redis.cli(0, "--scan", "--pattern", "rhai_task_details:{" + canonical(CIRCLE_B) + "}:*").lines()
                .filter(key -> callerId.equals(redis.cli(0, "hget", key, "caller_id"))).toList();
        assertEquals(5, tasks.size());
        for (String task : tasks) {
            assertEquals("completed", redis.cli(0, "hget", task, "status"));
            long ttl = Long.parseLong(redis.cli(0, "ttl", task));
            assertTrue(ttl > 0 && ttl <= 3600, "finished tasks expire within the finished-task TTL: " + ttl);
        }
        addServer("server-2-again");
    }

    @Test
    @Order(30)
    void plays_in_flight_when_redis_dies_fail_at_once_and_their_tasks_end_as_errors() {
        RedisServers.Node node = redis.node(0);
        try (WsClient client = member(server(0), CIRCLE_A, KeyPair.generate())) {
            client.sendText(client.request(1, "play", Map.of("script", "sleep(8); 1")));
            String[] running = new String[1];
            await().atMost(Duration.ofSeconds(30)).until(() -> !(running[0] = redis.cli(0, "zrange",
                    "rhai_tasks:{" + canonical(CIRCLE_A) + "}:running", "0", "0")).isEmpty());
            redis.kill(node);
            long killedAt = System.nanoTime();
            JsonNode failed = client.awaitResponse(1);
            long tookMillis = (System.nanoTime() - killedAt) / 1_000_000;
            assertEquals(-32000, failed.path("error").path("code").asInt(), failed.toString() + " after " + tookMillis + " ms");
            System.out.printf("a play in flight failed %d ms after Redis died%n", tookMillis);

            redis.restart(node);
            await().atMost(Duration.ofSeconds(30)).until(() -> "error".equals(redis.cli(0, "hget",
                    "rhai_task_details:{" + canonical(CIRCLE_A) + "}:" + running[0], "status")));
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertEquals("error",
                    client.result("task_status", Map.of("task_id", running[0])).get("status").asText()));
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertEquals("2",
                    client.result("play", Map.of("script", "1 + 1")).get("output").asText()));
        }
    }
}
