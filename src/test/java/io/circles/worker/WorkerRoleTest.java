package io.circles.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.support.RawRedis;
import io.circles.support.TestCircles;
import io.circles.support.WsClient;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Response;

/** A worker-only process: no WebSockets or webhooks, but it serves tasks that any producer queues in Redis. */
@QuarkusTest
@TestProfile(WorkerRoleTest.WorkerOnly.class)
class WorkerRoleTest {

    public static class WorkerOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("circles.server.enabled", "false");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    ReactiveRedisDataSource dataSource;

    @Test
    void websocket_upgrades_are_refused() {
        URI uri = URI.create(base.toString().replaceFirst("^http", "ws") + TestCircles.CIRCLE_A);
        try {
            HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() { }).join().abort();
            throw new AssertionError("upgrade should have been refused");
        } catch (CompletionException e) {
            assertEquals(503, ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
        }
    }

    @Test
    void a_task_queued_by_any_producer_is_run_and_answered() {
        RawRedis redis = new RawRedis(dataSource.getRedis());
        String circle = TestCircles.CIRCLE_B.substring(2);
        String taskId = UUID.randomUUID().toString();
        String replyList = "rhai_reply:test-" + taskId;
        // Redis forgets its scripts on a restart: the worker's first FINISH then meets NOSCRIPT, and even then the
        // reply must not be readable before the hash says the task ended
        redis.cmd(Command.SCRIPT, "FLUSH");
        String taskKey = "rhai_task_details:{" + circle + "}:" + taskId;
        redis.cmd(Command.HSET, taskKey, "task_id", taskId, "script", "print(CALLER_ID); 6 * 7",
                "status", "pending", "caller_id", "raw-producer", "context_id", circle, "reply_queue_name", replyList,
                "created_at", "0", "updated_at", "0", "timeout", "30");
        // docs/DISPATCH_PROTOCOL.md, "Producing a task", as plain commands: the work first, then the wake-up
        redis.cmd(Command.LPUSH, "rhai_tasks:{" + circle + "}:caller:raw-producer", taskId);
        redis.cmd(Command.RPUSH, "rhai_tasks:{" + circle + "}:callers", "raw-producer");
        redis.cmd(Command.ZADD, "circles:ready", "NX", System.currentTimeMillis(), circle);

        Response popped = redis.cmd(Command.BLPOP, replyList, "20");
        JsonNode reply = WsClient.parse(popped.get(1).toString());
        assertEquals(taskId, reply.get("task_id").asText());
        assertEquals("completed", reply.get("status").asText());
        assertEquals("42", reply.get("output").asText());
        assertEquals("raw-producer", reply.get("logs").get(0).asText());
        Map<String, String> hash = redis.hash(taskKey);
        assertEquals("completed", hash.get("status"));
        assertTrue(hash.containsKey("worker_id"));
    }
}
