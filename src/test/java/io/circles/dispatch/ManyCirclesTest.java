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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.crypto.KeyPair;
import io.circles.support.RawRedis;
import io.circles.support.WsClient;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.redis.client.Command;

/**
 * A multi-circle server under the loads that broke the per-circle design: a thousand circles, and circles whose
 * members keep runaway scripts queued. Real server, real worker, real Redis (serve-all mode).
 */
@QuarkusTest
@TestProfile(ServeAllProfile.class)
class ManyCirclesTest {
    private static final int RUNAWAY_CIRCLES = 4;
    private static final int RUNAWAYS_IN_FLIGHT = 16;

    @TestHTTPResource("/")
    URI base;

    @Inject
    ReactiveRedisDataSource dataSource;

    @Test
    void a_thousand_circles_are_served_with_the_same_threads_and_connections_as_ten() throws Exception {
        playInNewCircles(10);
        long threadsAfterTen = workerThreads();
        long connectionsAfterTen = redisConnections();

        playInNewCircles(990);
        assertEquals(threadsAfterTen, workerThreads(), "no thread per circle");
        long connectionsAfterThousand = redisConnections();
        assertTrue(connectionsAfterThousand <= Math.max(connectionsAfterTen, 40),
                "Redis connections stay within the pool: " + connectionsAfterTen + " then " + connectionsAfterThousand);

        String circle = KeyPair.generate().publicKeyCompressed();
        try (WsClient client = WsClient.connect(base, circle)) {
            client.authenticate(KeyPair.generate());
            assertEquals("2", client.result("play", Map.of("script", "1 + 1")).get("output").asText());
        }
    }

    @Test
    void members_flooding_four_circles_with_runaway_scripts_do_not_keep_another_circle_waiting() throws Exception {
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicInteger runawaysAnswered = new AtomicInteger();
        ExecutorService floods = Executors.newFixedThreadPool(RUNAWAY_CIRCLES);
        List<Future<?>> floodsDone = new ArrayList<>();
        try {
            for (int c = 0; c < RUNAWAY_CIRCLES; c++) {
                floodsDone.add(floods.submit(() -> flood(flooding, runawaysAnswered)));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> runawaysAnswered.get() >= RUNAWAY_CIRCLES);

            try (WsClient client = WsClient.connect(base, KeyPair.generate().publicKeyCompressed())) {
                client.authenticate(KeyPair.generate());
                for (int probe = 0; probe < 10; probe++) {
                    long id = 1000 + probe;
                    client.sendText(client.request(id, "play", Map.of("script", "1 + 1")));
                    JsonNode answer = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> client.awaitResponse(id),
                            "probe " + probe + " waited behind the runaway circles");
                    assertEquals("2", answer.path("result").path("output").asText(), answer.toString());
                }
            }
        } finally {
            flooding.set(false);
            for (Future<?> flood : floodsDone) {
                flood.get();
            }
            floods.shutdownNow();
        }
    }

    /** One member of a fresh circle keeping {@link #RUNAWAYS_IN_FLIGHT} runaway plays in flight while {@code flooding}. */
    private void flood(AtomicBoolean flooding, AtomicInteger answered) {
        try (WsClient member = WsClient.connect(base, KeyPair.generate().publicKeyCompressed())) {
            member.authenticate(KeyPair.generate());
            long next = 1;
            for (; next <= RUNAWAYS_IN_FLIGHT; next++) {
                member.sendText(member.request(next, "play", Map.of("script", "loop { }")));
            }
            for (long done = 1; flooding.get(); done++, next++) {
                JsonNode answer = member.awaitResponse(done);
                assertEquals(-32000, answer.path("error").path("code").asInt(), answer.toString());
                answered.incrementAndGet();
                member.sendText(member.request(next, "play", Map.of("script", "loop { }")));
            }
        }
    }

    private void playInNewCircles(int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> outputs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                outputs.add(pool.submit(() -> {
                    try (WsClient client = WsClient.connect(base, KeyPair.generate().publicKeyCompressed())) {
                        client.authenticate(KeyPair.generate());
                        return client.result("play", Map.of("script", n + " * 2")).get("output").asText();
                    }
                }));
            }
            for (int i = 0; i < count; i++) {
                assertEquals(String.valueOf(i * 2), outputs.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static long workerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("rhai-")).count();
    }

    private long redisConnections() {
        String clients = new RawRedis(dataSource.getRedis()).string(Command.CLIENT, "LIST");
        return clients.lines().count();
    }
}
