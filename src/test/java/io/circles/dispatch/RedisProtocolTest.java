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
        redis.cmd(Command.DEL, "rhai_tasks:" + CIRCLE);
        client = WsClient.connect(base, TestCircles.CIRCLE_A);
        client.authenticate(caller);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    /** Takes the next task like a worker would: BLMOVE into this worker's processing list. */
    private String takeTask(String workerId) {
        String[] taken = new String[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> (taken[0] = redis.string(Command.BLMOVE, "rhai_tasks:" + CIRCLE,
                "rhai_tasks:" + CIRCLE + ":processing:" + workerId, "RIGHT", "LEFT", "1")) != null);
        return taken[0];
    }

    @Test
    void a_raw_redis_worker_can_serve_the_queue() {
        redis.cmd(Command.SET, "rhai_worker:raw", "1", "EX", "60");
        client.sendText(client.request(1, "play", Map.of("script", "1 + 1")));
        String taskId = takeTask("raw");
        Map<String, String> task = redis.hash("rhai_task_details:" + taskId);
        assertEquals(taskId, task.get("task_id"));
        assertEquals("1 + 1", task.get("script"));
        assertEquals("pending", task.get("status"));
        assertEquals(caller.publicKeyCompressed().substring(2), task.get("caller_id"));
        assertEquals(CIRCLE, task.get("context_id"));
        assertTrue(task.get("reply_queue_name").startsWith("rhai_reply:"));
        assertNotNull(task.get("created_at"));
        assertNotNull(task.get("updated_at"));
        assertNotNull(task.get("timeout"));
        assertTrue(redis.cmd(Command.TTL, "rhai_task_details:" + taskId).toLong() > 0, "task hashes expire");

        redis.cmd(Command.HSET, "rhai_task_details:" + taskId, "status", "completed", "output", "2");
        redis.cmd(Command.LPUSH, task.get("reply_queue_name"), taskId);
        redis.cmd(Command.LREM, "rhai_tasks:" + CIRCLE + ":processing:raw", "1", taskId);

        JsonNode response = client.awaitResponse(1);
        assertEquals("2", response.path("result").path("output").asText(), response.toString());
    }

    @Test
    void a_worker_that_dies_mid_task_is_reported_to_the_caller() {
        client.sendText(client.request(2, "play", Map.of("script", "40 + 2")));
        String taskId = takeTask("dead-" + System.nanoTime());
        JsonNode response = client.awaitResponse(2);
        assertEquals(-32000, response.path("error").path("code").asInt(), response.toString());
        assertTrue(response.path("error").path("data").path("error").asText().contains("worker lost"), response.toString());
        assertEquals("error", redis.hash("rhai_task_details:" + taskId).get("status"));
    }

    @Test
    void a_time_out_names_the_task_and_the_task_keeps_its_result() {
        client.sendText(client.request(3, "play", Map.of("script", "6 * 7")));
        JsonNode timeout = client.awaitResponse(3);
        assertEquals(-32003, timeout.path("error").path("code").asInt(), timeout.toString());
        String taskId = timeout.path("error").path("data").path("task_id").asText();
        assertEquals("pending", client.result("task_status", Map.of("task_id", taskId)).get("status").asText());

        redis.cmd(Command.SET, "rhai_worker:late", "1", "EX", "60");
        assertEquals(taskId, takeTask("late"));
        redis.cmd(Command.HSET, "rhai_task_details:" + taskId, "status", "completed", "output", "42");
        JsonNode status = client.result("task_status", Map.of("task_id", taskId));
        assertEquals("completed", status.get("status").asText());
        assertEquals("42", status.get("output").asText());
    }

    @Test
    void plays_beyond_the_in_flight_cap_are_refused_not_queued() {
        for (int i = 0; i < 4; i++) {
            client.sendText(client.request(10 + i, "play", Map.of("script", "1")));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> redis.cmd(Command.LLEN, "rhai_tasks:" + CIRCLE).toLong() == 4);
        JsonNode refused = client.call("play", Map.of("script", "1"));
        assertEquals(-32005, refused.path("error").path("code").asInt(), refused.toString());
        for (int i = 0; i < 4; i++) {
            assertEquals(-32003, client.awaitResponse(10 + i).path("error").path("code").asInt());
        }
    }

}
