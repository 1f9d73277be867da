package io.circles.hostile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.crypto.KeyPair;
import io.circles.dispatch.RedisKeys;
import io.circles.support.RawRedis;
import io.circles.support.TestCircles;
import io.circles.support.WsClient;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.redis.client.Command;

/**
 * Members with fresh keys park big scripts in circle A's queues while its script threads are held
 * ({@link HostileHostFunctions#hold}): the per-caller and per-circle byte quotas (counted in Redis) and the
 * per-address quota (counted on the instance) refuse the excess at once with -32005, a member of circle B is served
 * meanwhile, every accepted play finishes once the threads are let go, and the byte counters leave nothing behind.
 */
@QuarkusTest
@TestProfile(ScriptAttackProfile.class)
class QueueQuotaAttacksTest {
    /** A script of exactly this many characters: one {@code hold()}, then a comment as padding. */
    static final int BIG = 260_000;

    @TestHTTPResource("/")
    URI base;

    @Inject
    ReactiveRedisDataSource redisSource;

    private final List<Attacker> attackers = new ArrayList<>();
    private RawRedis redis;

    @BeforeEach
    void holdCircleAThreads() {
        redis = new RawRedis(redisSource.getRedis());
        HostileHostFunctions.closeGate();
        Attacker holder = attacker("192.0.2.10");
        for (int i = 0; i < 3; i++) {
            holder.play("hold(); 1"); // threads-per-circle is 3: from now on circle A's tasks stay queued
        }
        await().atMost(WsClient.WAIT).until(() -> HostileHostFunctions.held() == 3);
    }

    @AfterEach
    void letGoAndCheckNothingWasLost() {
        HostileHostFunctions.openGate();
        for (Attacker attacker : attackers) {
            attacker.allAnswered();
        }
        assertEquals(0, redis.cmd(Command.EXISTS, queuedBytes()).toInteger(), "no byte counters remain once the queues are empty");
        Member.isUnaffected(base);
    }

    @Test
    void a_caller_beyond_its_queued_byte_quota_gets_busy_at_once() {
        Attacker attacker = attacker("192.0.2.11");
        int fit = ScriptAttackProfile.CALLER_QUOTA / BIG;
        for (int i = 0; i < fit; i++) {
            attacker.play(big(i));
        }
        allQueued((long) fit * BIG);
        JsonNode refused = attacker.playNow(big(fit));
        assertBusy(refused, "your queued scripts in this circle would pass " + ScriptAttackProfile.CALLER_QUOTA + " bytes");
        assertEquals(Long.toString((long) fit * BIG), redis.string(Command.HGET, queuedBytes(), "*"), "the circle's count in Redis");
        Member.isUnaffected(base);
    }

    @Test
    void a_circle_beyond_its_queued_byte_quota_refuses_a_new_caller_too() {
        int perCaller = ScriptAttackProfile.CALLER_QUOTA / BIG;
        int callers = ScriptAttackProfile.CIRCLE_QUOTA / (perCaller * BIG);
        for (int c = 0; c < callers; c++) {
            Attacker attacker = attacker("192.0.2." + (20 + c)); // each from its own address, under its quota
            for (int i = 0; i < perCaller; i++) {
                attacker.play(big(c * 100 + i));
            }
        }
        allQueued((long) callers * perCaller * BIG);
        JsonNode refused = attacker("192.0.2.29").playNow(big(999));
        assertBusy(refused, "the scripts queued in this circle would pass " + ScriptAttackProfile.CIRCLE_QUOTA + " bytes");
        assertEquals(Long.toString((long) callers * perCaller * BIG), redis.string(Command.HGET, queuedBytes(), "*"));
        Member.isUnaffected(base);
    }

    @Test
    void fresh_keys_from_one_address_beyond_its_unanswered_byte_quota_get_busy_at_once() {
        int perCaller = ScriptAttackProfile.CALLER_QUOTA / BIG;
        int fit = ScriptAttackProfile.ADDRESS_QUOTA / BIG;
        Attacker current = null;
        for (int i = 0; i < fit; i++) {
            if (i % perCaller == 0) {
                current = attacker("192.0.2.40"); // a fresh key each time the per-caller quota would stop it
            }
            current.play(big(i));
        }
        allQueued((long) fit * BIG);
        JsonNode refused = attacker("192.0.2.40").playNow(big(fit));
        assertBusy(refused, "too many script bytes unanswered from your address");
        assertEquals(Long.toString((long) fit * BIG), redis.string(Command.HGET, queuedBytes(), "*"), "all accepted plays are queued");
        Member.isUnaffected(base);
    }

    /**
     * Waits until the plays sent without waiting are all counted in Redis: plays of one connection may reach Redis
     * in any order (pooled connections), so the one meant to be refused must be sent after the others are queued.
     */
    private void allQueued(long bytes) {
        await().atMost(WsClient.WAIT).until(() -> Long.toString(bytes).equals(redis.string(Command.HGET, queuedBytes(), "*")));
    }

    private static void assertBusy(JsonNode refused, String why) {
        assertEquals(-32005, refused.path("error").path("code").asInt(), refused.toString());
        String message = refused.path("error").path("message").asText();
        assertTrue(message.startsWith("Busy") && message.contains(why), message);
    }

    private static String big(int n) {
        String head = "hold(); " + n + " // ";
        return head + "x".repeat(BIG - head.length());
    }

    private String queuedBytes() {
        // the server names circles without the 0x the test constant carries
        return new RedisKeys("rhai_task_details:", "rhai_tasks:", "rhai_reply:").queuedBytes(TestCircles.CIRCLE_A.replaceFirst("^0x", ""));
    }

    private Attacker attacker(String address) {
        Attacker attacker = new Attacker(WsClient.connect(base, TestCircles.CIRCLE_A, Map.of("X-Forwarded-For", address)));
        attackers.add(attacker);
        return attacker;
    }

    /** A fresh key on its own connection, sending plays without waiting for them. */
    private static final class Attacker {
        private final WsClient client;
        private final List<Long> sent = new ArrayList<>();
        private long nextId = 1000;

        Attacker(WsClient client) {
            this.client = client;
            assertTrue(client.authenticate(KeyPair.generate()).has("result"));
        }

        void play(String script) {
            long id = nextId++;
            client.sendText(client.request(id, "play", Map.of("script", script)));
            sent.add(id);
        }

        /** A play whose answer comes while the circle's threads are still held: a refusal, then. */
        JsonNode playNow(String script) {
            return client.call("play", Map.of("script", script));
        }

        /** Every play sent is answered with its script's value once the threads are let go. */
        void allAnswered() {
            try (client) {
                for (long id : sent) {
                    JsonNode answer = client.awaitResponse(id);
                    assertTrue(answer.path("result").has("output"), answer.toString());
                }
            }
        }
    }
}
