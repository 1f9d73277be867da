package io.circles.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.circles.support.RedisServers;
import io.vertx.mutiny.core.Vertx;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * The byte counters of the queue quotas, step by step against a real Redis: {@link TaskScripts#ENQUEUE} counts or
 * refuses without side effects, {@link TaskScripts#CANCEL} and {@link TaskScripts#TAKE} give bytes back, a task hash
 * that expired while queued is written off when its caller's queue empties, and the counters key goes at zero.
 * Run on a standalone Redis and on a three-master Cluster (every key a step touches lives in the circle's slot).
 * Also the batched {@link TaskScripts#FINISH}: each of its tasks recorded or left alone on its own, and one push per
 * reply list.
 */
class QueuedBytesTest {
    private static final String CIRCLE = "02" + "ab".repeat(32);
    private static final RedisKeys KEYS = new RedisKeys("rhai_task_details:", "rhai_tasks:", "rhai_reply:");
    private static Vertx vertx;
    private static final List<RedisServers> SERVERS = new ArrayList<>();
    private static final List<Redis> CLIENTS = new ArrayList<>();
    private Redis redis;

    @BeforeAll
    static void start() {
        RedisServers.require();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        CLIENTS.forEach(Redis::close);
        SERVERS.forEach(RedisServers::close);
        if (vertx != null) {
            vertx.closeAndAwait();
        }
    }

    private static Redis client(RedisServers servers) {
        SERVERS.add(servers);
        RedisOptions options = new RedisOptions().setType(servers.isCluster() ? RedisClientType.CLUSTER : RedisClientType.STANDALONE);
        for (String url : servers.url().split(",")) {
            options.addConnectionString(url);
        }
        Redis client = Redis.createClient(vertx, options);
        CLIENTS.add(client);
        return client;
    }

    @Test
    void on_a_standalone_redis() {
        redis = client(RedisServers.standalone());
        countsAreExactAndLeaveNothingBehind();
    }

    @Test
    void on_a_redis_cluster() {
        redis = client(RedisServers.cluster());
        countsAreExactAndLeaveNothingBehind();
    }

    @Test
    void a_batched_finish_records_each_task_on_its_own_and_pushes_each_reply_to_its_list() {
        redis = client(RedisServers.standalone());
        for (String caller : List.of("alice", "bob", "carol")) {
            assertEquals(1, enqueue("f-" + caller, caller, 10, 1000, 1000));
        }
        Response taken = TaskScripts.TAKE.run(redis::send, new String[] {KEYS.callers(CIRCLE), KEYS.running(CIRCLE)},
                KEYS.taskPrefix(CIRCLE), KEYS.callerQueuePrefix(CIRCLE), System.currentTimeMillis(), "w1", 3, 8, 0,
                System.currentTimeMillis() / 1000).await().atMost(Duration.ofSeconds(5));
        assertEquals(5, taken.size(), "three tasks claimed: " + taken);
        send(Request.cmd(Command.HSET).arg(KEYS.task(CIRCLE, "f-carol")).arg(TaskHash.WORKER_ID).arg("w2")); // no longer w1's

        String[] keys = {KEYS.running(CIRCLE), KEYS.callers(CIRCLE), KEYS.task(CIRCLE, "f-alice"), KEYS.task(CIRCLE, "f-bob"),
            KEYS.task(CIRCLE, "f-carol"), KEYS.ready(), "replies-a", "replies-b"};
        Response finished = TaskScripts.FINISH.run(redis::send, keys, "w1", 60, CIRCLE, System.currentTimeMillis(),
                System.currentTimeMillis() / 1000, "", "", 3600, 3, 1,
                "f-alice", "completed", TaskHash.OUTPUT, "1", "[]", "", "reply-alice", 1,
                "f-bob", "error", TaskHash.ERROR, "boom", "[]", "", "reply-bob", 2,
                "f-carol", "completed", TaskHash.OUTPUT, "3", "[]", "", "reply-carol", 1)
                .await().atMost(Duration.ofSeconds(5));
        assertEquals(List.of(0L, 2L), List.of(finished.get(0).toLong(), finished.get(1).toLong()), "nobody waits; two recorded");
        assertEquals("completed", get(Command.HGET, KEYS.task(CIRCLE, "f-alice"), TaskHash.STATUS));
        assertEquals("1", get(Command.HGET, KEYS.task(CIRCLE, "f-alice"), TaskHash.OUTPUT));
        assertNull(get(Command.HGET, KEYS.task(CIRCLE, "f-alice"), TaskHash.SCRIPT), "the script goes when the task ends");
        assertEquals("boom", get(Command.HGET, KEYS.task(CIRCLE, "f-bob"), TaskHash.ERROR));
        assertEquals("processing", get(Command.HGET, KEYS.task(CIRCLE, "f-carol"), TaskHash.STATUS), "another worker's task is left alone");
        assertEquals(0, send(Request.cmd(Command.ZCARD).arg(KEYS.running(CIRCLE))).toInteger());
        assertEquals(List.of("reply-carol", "reply-alice"), range("replies-a"));
        assertEquals(List.of("reply-bob"), range("replies-b"));
        assertEquals(3600, send(Request.cmd(Command.TTL).arg("replies-b")).toInteger());
    }

    private List<String> range(String list) {
        List<String> values = new ArrayList<>();
        send(Request.cmd(Command.LRANGE).arg(list).arg(0).arg(-1)).forEach(value -> values.add(value.toString()));
        return values;
    }

    /** Counts stay exact through refusals, a cancel, a take and an expired task, and nothing is left behind. */
    private void countsAreExactAndLeaveNothingBehind() {
        assertEquals(1, enqueue("t1", "alice", 100, 150, 1000));
        assertEquals(1, enqueue("t2", "alice", 50, 150, 1000));
        assertEquals(-2, enqueue("t3", "alice", 1, 150, 1000), "alice is at her quota");
        assertEquals(-3, enqueue("t4", "bob", 31, 150, 180), "the circle would pass its quota");
        assertEquals(1, enqueue("t5", "bob", 30, 150, 180));
        assertNull(get(Command.HGET, KEYS.task(CIRCLE, "t3"), "status"), "a refused task leaves no hash");
        assertEquals(List.of("150", "30", "180"), counters("alice", "bob"));

        cancel("t2", "alice");
        assertEquals(List.of("100", "30", "130"), counters("alice", "bob"));

        send(Request.cmd(Command.DEL).arg(KEYS.task(CIRCLE, "t1"))); // as if its hash had expired while queued
        Response taken = TaskScripts.TAKE.run(redis::send, new String[] {KEYS.callers(CIRCLE), KEYS.running(CIRCLE)},
                KEYS.taskPrefix(CIRCLE), KEYS.callerQueuePrefix(CIRCLE), System.currentTimeMillis(), "w1", 5, 8, 0, System.currentTimeMillis() / 1000).await().atMost(Duration.ofSeconds(5));
        assertEquals(3, taken.size(), "only bob's task was still pending: " + taken);
        assertEquals(0, send(Request.cmd(Command.EXISTS).arg(KEYS.queuedBytes(CIRCLE))).toInteger(), "nothing is left counted");
        assertEquals(1, enqueue("t6", "alice", 150, 150, 180), "alice's written-off bytes no longer count");
    }

    private long enqueue(String id, String caller, int bytes, long callerQuota, long circleQuota) {
        String[] keys = {KEYS.task(CIRCLE, id), KEYS.callerQueue(CIRCLE, caller), KEYS.callers(CIRCLE), KEYS.queuedBytes(CIRCLE)};
        // no wake-up line among the keys and no announcement: only the queue and its counters are under test
        return TaskScripts.ENQUEUE.run(redis::send, keys, id, caller, 16, 256, 3600, callerQuota, circleQuota, CIRCLE, 0, "", "", "",
                TaskHash.TASK_ID, id, TaskHash.SCRIPT, "x".repeat(bytes), TaskHash.STATUS, "pending")
                .await().atMost(Duration.ofSeconds(5)).toLong();
    }

    private void cancel(String id, String caller) {
        String[] keys = {KEYS.task(CIRCLE, id), KEYS.callerQueue(CIRCLE, caller), KEYS.callers(CIRCLE), KEYS.running(CIRCLE)};
        assertEquals(1, TaskScripts.CANCEL.run(redis::send, keys, id, caller, "cancelled", 0, 60, 0)
                .await().atMost(Duration.ofSeconds(5)).toInteger());
    }

    private List<String> counters(String... callers) {
        List<String> values = new ArrayList<>();
        for (String caller : callers) {
            values.add(get(Command.HGET, KEYS.queuedBytes(CIRCLE), caller));
        }
        values.add(get(Command.HGET, KEYS.queuedBytes(CIRCLE), "*"));
        return values;
    }

    private String get(Command command, String key, String field) {
        Response response = send(Request.cmd(command).arg(key).arg(field));
        return response == null ? null : response.toString();
    }

    private Response send(Request request) {
        return redis.send(request).await().atMost(Duration.ofSeconds(5));
    }
}
