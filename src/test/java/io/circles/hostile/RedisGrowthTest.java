package io.circles.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.circles.crypto.KeyPair;
import io.circles.support.RawRedis;
import io.circles.support.WsClient;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.redis.client.Command;

/**
 * One member plays 100 distinct ~100 KB scripts: once they have finished, Redis ({@code INFO memory}
 * {@code used_memory}) has grown by at most a quarter of the script bytes submitted, because a finished task keeps
 * its status, output and logs but not its script.
 */
@QuarkusTest
@TestProfile(ScriptAttackProfile.class)
class RedisGrowthTest {
    private static final int PLAYS = 100;
    private static final int SIZE = 100_000;
    private static final int IN_FLIGHT = 6;

    @TestHTTPResource("/")
    URI base;

    @Inject
    ReactiveRedisDataSource redisSource;

    @Test
    void a_hundred_finished_plays_of_100_kb_scripts_grow_redis_by_at_most_a_quarter_of_their_bytes() {
        RawRedis redis = new RawRedis(redisSource.getRedis());
        try (WsClient member = WsClient.connect(base, HostileProfile.CIRCLE_C, Map.of("X-Forwarded-For", "192.0.2.50"))) {
            assertTrue(member.authenticate(KeyPair.generate()).has("result"));
            assertEquals("0", member.result("play", Map.of("script", script(0))).path("output").asText()); // warms up
            long before = usedMemory(redis);
            Deque<Long> pending = new ArrayDeque<>();
            for (int i = 1; i <= PLAYS; i++) {
                if (pending.size() == IN_FLIGHT) {
                    answered(member, pending.removeFirst());
                }
                member.sendText(member.request(i, "play", Map.of("script", script(i))));
                pending.addLast((long) i);
            }
            while (!pending.isEmpty()) {
                answered(member, pending.removeFirst());
            }
            long grown = usedMemory(redis) - before;
            long submitted = (long) PLAYS * SIZE;
            System.out.printf("Redis grew by %d bytes after %d finished plays of %d script bytes (%.4f)%n", grown, PLAYS, submitted,
                    (double) grown / submitted);
            assertTrue(grown <= submitted / 4, "Redis grew by " + grown + " bytes for " + submitted + " script bytes");
        }
        Member.isUnaffected(base);
    }

    private static void answered(WsClient member, long id) {
        String output = member.awaitResponse(id).path("result").path("output").asText();
        assertEquals(Long.toString(id), output);
    }

    /** A distinct script of exactly {@link #SIZE} characters whose value is {@code n}. */
    private static String script(int n) {
        String head = n + " // ";
        return head + "y".repeat(SIZE - head.length());
    }

    private static long usedMemory(RawRedis redis) {
        String info = redis.cmd(Command.INFO, "memory").toString();
        return info.lines().filter(line -> line.startsWith("used_memory:")).mapToLong(line -> Long.parseLong(line.substring(12).strip()))
                .findFirst().orElseThrow();
    }
}
