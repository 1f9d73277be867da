package io.circles.dispatch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.crypto.KeyPair;
import io.circles.support.RawRedis;
import io.circles.support.TestCircles;
import io.circles.support.WsClient;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.redis.client.Command;

/**
 * The dispatch protocol as another implementation sees it: this test is the worker, using raw Redis commands
 * only (docs/DISPATCH_PROTOCOL.md). No in-process worker runs.
 */
@QuarkusTest
@TestProfile(WorkerlessProfile.class)
class RedisProtocolTest {
    static final String CIRCLE = TestCircles.CIRCLE_A.substring(2);

    @TestHTTPResource("/")
    URI base;

    @Inject
    ReactiveRedisDataSource dataSource;

    RawRedis redis;
    WsClient client;
    KeyPair caller = KeyPair.generate();

    @BeforeEach
    void setUp() {
        redis = new RawRedis(dataSource.getRedis());
        redis.cmd(Command.DEL, "circles:ready", "rhai_tasks:{" + CIRCLE + "}:callers", "rhai_tasks:{" + CIRCLE + "}:running");
        client = WsClient.connect(base, TestCircles.CIRCLE_A);
        client.authenticate(caller);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private String callerId() {
        return caller.publicKeyCompressed().substring(2);
    }

    private static String taskKey(String taskId) {
        return "rhai_task_details:{" + CIRCLE + "}:" + taskId;
    }

    /** Takes the next task as docs/DISPATCH_PROTOCOL.md tells a worker to, with plain commands. */
    private String takeTask(String workerId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.cmd(Command.BZPOPMIN, "circles:ready", "1") != null);
        redis.cmd(Command.ZADD, "circles:active", System.currentTimeMillis(), CIRCLE);
        // this test's caller only: tasks of earlier tests may still wait in the circle until they time out
        redis.cmd(Command.LREM, "rhai_tasks:{" + CIRCLE + "}:callers", "0", callerId());
        String taskId = redis.string(Command.RPOP, "rhai_tasks:{" + CIRCLE + "}:caller:" + callerId());
        redis.cmd(Command.HSET, taskKey(taskId), "status", "processing", "worker_id", workerId);
        redis.cmd(Command.ZADD, "rhai_tasks:{" + CIRCLE + "}:running", System.currentTimeMillis(), taskId);
        return taskId;
    }

    @Test
    void a_raw_redis_worker_can_serve_the_queue() {
        redis.cmd(Command.ZADD, "circles:workers", System.currentTimeMillis() + 60_000, "raw");
        client.sendText(client.request(1, "play", Map.of("script", "1 + 1")));
        String taskId = takeTask("raw");
        Map<String, String> task = redis.hash(taskKey(taskId));
        assertEquals(taskId, task.get("task_id"));
        assertEquals("1 + 1", task.get("script"));
        assertEquals(callerId(), task.get("caller_id"));
        assertEquals(CIRCLE, task.get("context_id"));
        assertTrue(task.get("reply_queue_name").startsWith("rhai_reply:"));
        assertNotNull(task.get("created_at"));
        assertNotNull(task.get("updated_at"));
        assertNotNull(task.get("timeout"));
        assertTrue(redis.cmd(Command.TTL, taskKey(taskId)).toLong() > 0, "task hashes expire");

        redis.cmd(Command.HSET, taskKey(taskId), "status", "completed", "output", "2");
        redis.cmd(Command.LPUSH, task.get("reply_queue_name"),
                "{\"task_id\":\"" + taskId + "\",\"status\":\"completed\",\"output\":\"2\",\"error\":null,\"logs\":[]}");
        redis.cmd(Command.ZREM, "rhai_tasks:{" + CIRCLE + "}:running", taskId);

        JsonNode response = client.awaitResponse(1);
        assertEquals("2", response.path("result").path("output").asText(), response.toString());
    }

    @Test
    void a_worker_that_dies_mid_task_is_reported_to_the_caller_once() {
        client.sendText(client.request(2, "play", Map.of("script", "40 + 2")));
        String taskId = takeTask("dead-" + System.nanoTime());
        JsonNode response = client.awaitResponse(2);
        assertEquals(-32000, response.path("error").path("code").asInt(), response.toString());
        assertTrue(response.path("error").path("data").path("error").asText().contains("worker lost"), response.toString());
        Map<String, String> task = redis.hash(taskKey(taskId));
        assertEquals("error", task.get("status"));
        assertEquals(null, task.get("script"), "finished tasks drop their script");
        assertEquals(0, redis.cmd(Command.ZCARD, "rhai_tasks:{" + CIRCLE + "}:running").toLong());
    }

    @Test
    void a_time_out_cancels_a_task_that_never_started() {
        client.sendText(client.request(3, "play", Map.of("script", "6 * 7")));
        JsonNode timeout = client.awaitResponse(3);
        assertEquals(-32003, timeout.path("error").path("code").asInt(), timeout.toString());
        String taskId = timeout.path("error").path("data").path("task_id").asText();
        await().atMost(Duration.ofSeconds(5)).until(() -> "error".equals(redis.hash(taskKey(taskId)).get("status")));
        JsonNode status = client.result("task_status", Map.of("task_id", taskId));
        assertEquals("error", status.get("status").asText());
        assertTrue(status.get("error").asText().startsWith("cancelled"), status.toString());
        assertEquals(0, redis.cmd(Command.LLEN, "rhai_tasks:{" + CIRCLE + "}:caller:" + callerId()).toLong(), "it left the queue");
    }

    @Test
    void plays_beyond_the_in_flight_cap_are_refused_not_queued() {
        for (int i = 0; i < 4; i++) {
            client.sendText(client.request(10 + i, "play", Map.of("script", "1")));
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> redis.cmd(Command.LLEN, "rhai_tasks:{" + CIRCLE + "}:caller:" + callerId()).toLong() == 4);
        JsonNode refused = client.call("play", Map.of("script", "1"));
        assertEquals(-32005, refused.path("error").path("code").asInt(), refused.toString());
        for (int i = 0; i < 4; i++) {
            assertEquals(-32003, client.awaitResponse(10 + i).path("error").path("code").asInt());
        }
    }

    @Test
    void a_caller_with_a_full_queue_gets_busy_at_once_on_any_connection() {
        WsClient second = WsClient.connect(base, TestCircles.CIRCLE_A);
        try {
            second.authenticate(caller);
            for (int i = 0; i < 4; i++) {
                client.sendText(client.request(20 + i, "play", Map.of("script", "1")));
            }
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> redis.cmd(Command.LLEN, "rhai_tasks:{" + CIRCLE + "}:caller:" + callerId()).toLong() == 4);
            JsonNode busy = second.call("play", Map.of("script", "1"));
            assertEquals(-32005, busy.path("error").path("code").asInt(), busy.toString());
            assertTrue(busy.path("error").path("message").asText().startsWith("Busy"), busy.toString());

            WsClient other = WsClient.connect(base, TestCircles.CIRCLE_A);
            other.authenticate(KeyPair.generate());
            other.sendText(other.request(1, "play", Map.of("script", "1")));
            await().atMost(Duration.ofSeconds(5)).until(() -> redis.cmd(Command.LLEN, "rhai_tasks:{" + CIRCLE + "}:callers").toLong() == 2);
            other.close();
        } finally {
            second.close();
        }
    }

    @Test
    void a_circle_with_its_maximum_of_waiting_callers_refuses_newcomers_only() {
        String circleB = TestCircles.CIRCLE_B.substring(2);
        String ring = "rhai_tasks:{" + circleB + "}:callers";
        redis.cmd(Command.DEL, ring);
        java.util.List<WsClient> waiting = new java.util.ArrayList<>();
        KeyPair firstKey = KeyPair.generate();
        WsClient newcomer = WsClient.connect(base, TestCircles.CIRCLE_B);
        try {
            for (int i = 0; i < 3; i++) {
                WsClient member = WsClient.connect(base, TestCircles.CIRCLE_B);
                member.authenticate(i == 0 ? firstKey : KeyPair.generate());
                member.sendText(member.request(1, "play", Map.of("script", "1")));
                waiting.add(member);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> redis.cmd(Command.LLEN, ring).toLong() == 3);

            newcomer.authenticate(KeyPair.generate());
            JsonNode busy = newcomer.call("play", Map.of("script", "1"));
            assertEquals(-32005, busy.path("error").path("code").asInt(), busy.toString());
            assertTrue(busy.path("error").path("message").asText().startsWith("Busy"), busy.toString());

            // a caller already waiting may queue more, and nothing queued before was dropped
            WsClient first = waiting.get(0);
            first.sendText(first.request(2, "play", Map.of("script", "2")));
            String firstQueue = "rhai_tasks:{" + circleB + "}:caller:" + firstKey.publicKeyCompressed().substring(2);
            await().atMost(Duration.ofSeconds(5)).until(() -> redis.cmd(Command.LLEN, firstQueue).toLong() == 2);
            assertEquals(3, redis.cmd(Command.LLEN, ring).toLong());

            // another circle is not affected by B's full ring
            client.sendText(client.request(40, "play", Map.of("script", "1")));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> redis.cmd(Command.LLEN, "rhai_tasks:{" + CIRCLE + "}:caller:" + callerId()).toLong() >= 1);
        } finally {
            newcomer.close();
            waiting.forEach(WsClient::close);
        }
    }
}
