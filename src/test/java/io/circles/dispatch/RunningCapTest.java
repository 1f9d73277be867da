package io.circles.dispatch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.circle.CircleKeys;
import io.circles.crypto.KeyPair;
import io.circles.support.RawRedis;
import io.circles.support.WsClient;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.redis.client.Command;

/**
 * {@code circles.dispatch.max-running-per-circle} attacked on its own: the worker would give the circle six
 * threads, the cap allows two, and six members each send a slow script at once. Real server, worker and Redis.
 */
@QuarkusTest
@TestProfile(RunningCapTest.CapOfTwo.class)
class RunningCapTest {
    private static final int CAP = 2;
    private static final int MEMBERS = 6;

    /** Serve-all mode, a generous per-circle thread share, and a running cap of two. */
    public static class CapOfTwo implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("circles.keys", "", "circles.worker.threads-per-circle", "6",
                    "circles.dispatch.max-running-per-circle", Integer.toString(CAP));
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    ReactiveRedisDataSource dataSource;

    @Inject
    DispatchConfig dispatch;

    @Test
    void a_circle_never_runs_more_scripts_at_once_than_its_cap_and_another_circle_is_still_served() throws Exception {
        String circle = KeyPair.generate().publicKeyCompressed();
        String runningSet = new RedisKeys(dispatch).running(CircleKeys.canonicalOrNull(circle));
        RawRedis redis = new RawRedis(dataSource.getRedis());
        List<WsClient> members = new ArrayList<>();
        List<CompletableFuture<JsonNode>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < MEMBERS; i++) {
                WsClient member = WsClient.connect(base, circle);
                member.authenticate(KeyPair.generate());
                members.add(member);
            }
            for (WsClient member : members) {
                answers.add(CompletableFuture.supplyAsync(() -> member.call("play", Map.of("script", "sleep(0.5); 7"))));
            }
            AtomicLong most = new AtomicLong();
            // sampled until every play is answered: never above the cap, and at the cap at some point
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
                most.accumulateAndGet(redis.cmd(Command.ZCARD, runningSet).toLong(), Math::max);
                return answers.stream().allMatch(CompletableFuture::isDone);
            });
            assertTrue(most.get() <= CAP, "at most " + CAP + " scripts of the circle ran at once, saw " + most.get());
            assertEquals(CAP, most.get(), "the circle reached its cap, so the cap (not a thread share) bounded it");
            for (CompletableFuture<JsonNode> answer : answers) {
                assertEquals("7", answer.get().path("result").path("output").asText(), "every play was answered, none lost");
            }
        } finally {
            members.forEach(WsClient::close);
        }
    }

    @Test
    void a_member_of_another_circle_is_answered_while_a_circle_is_at_its_cap() throws Exception {
        String busy = KeyPair.generate().publicKeyCompressed();
        String runningSet = new RedisKeys(dispatch).running(CircleKeys.canonicalOrNull(busy));
        RawRedis redis = new RawRedis(dataSource.getRedis());
        List<WsClient> members = new ArrayList<>();
        try {
            for (int i = 0; i < MEMBERS; i++) {
                WsClient member = WsClient.connect(base, busy);
                member.authenticate(KeyPair.generate());
                member.sendText(member.request(1, "play", Map.of("script", "sleep(2); 1")));
                members.add(member);
            }
            // the probe goes in while the busy circle is at its cap with callers still waiting behind it
            await().atMost(Duration.ofSeconds(30)).until(() -> redis.cmd(Command.ZCARD, runningSet).toLong() == CAP);
            try (WsClient other = WsClient.connect(base, KeyPair.generate().publicKeyCompressed())) {
                other.authenticate(KeyPair.generate());
                JsonNode answer = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> other.call("play", Map.of("script", "1 + 1")));
                assertEquals("2", answer.path("result").path("output").asText(), answer.toString());
            }
            assertTrue(redis.cmd(Command.ZCARD, runningSet).toLong() <= CAP, "the busy circle stayed within its cap");
            for (WsClient member : members) {
                assertEquals("1", member.awaitResponse(1).path("result").path("output").asText());
            }
        } finally {
            members.forEach(WsClient::close);
        }
    }
}
