package io.circles.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;

import jakarta.inject.Inject;

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
 * A Redis at {@code maxmemory} with {@code noeviction} (as deploy/redis runs it) refuses writes: plays are answered
 * "busy" (-32005) at once instead of hanging or evicting queues, and the server recovers when memory is freed.
 */
@QuarkusTest
@TestProfile(HostileProfile.class)
class RedisFullTest {
    @TestHTTPResource("/")
    URI base;

    @Inject
    ReactiveRedisDataSource redisSource;

    @Test
    void a_play_while_redis_refuses_writes_is_answered_busy_and_the_next_one_after_recovery_runs() {
        RawRedis redis = new RawRedis(redisSource.getRedis());
        try (WsClient member = WsClient.connect(base, TestCircles.CIRCLE_A)) {
            assertTrue(member.authenticate(KeyPair.generate()).has("result"));
            redis.cmd(Command.CONFIG, "SET", "maxmemory-policy", "noeviction");
            redis.cmd(Command.CONFIG, "SET", "maxmemory", "1");
            JsonNode refused;
            try {
                refused = member.call("play", Map.of("script", "40 + 2"));
            } finally {
                redis.cmd(Command.CONFIG, "SET", "maxmemory", "0");
            }
            assertEquals(-32005, refused.path("error").path("code").asInt(), refused.toString());
            assertTrue(refused.path("error").path("message").asText().toLowerCase().contains("busy"), refused.toString());
            assertEquals("42", member.result("play", Map.of("script", "40 + 2")).path("output").asText());
        }
        Member.isUnaffected(base);
    }
}
