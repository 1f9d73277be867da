package io.circles.dispatch;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.crypto.KeyPair;
import io.circles.redis.EmbeddedRedis;
import io.circles.redis.RedisLocator;
import io.circles.support.TestCircles;
import io.circles.support.WsClient;
import io.circles.worker.TaskWorker;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Redis goes away and comes back: prompt errors, readiness DOWN, then recovery without a restart. */
@QuarkusTest
class RedisOutageTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisLocator locator;

    @Inject
    TaskWorker worker;

    @AfterEach
    void redisIsBack() {
        locator.embedded().ifPresent(EmbeddedRedis::restart);
    }

    @Test
    void plays_fail_promptly_while_redis_is_down_and_work_again_when_it_returns() {
        EmbeddedRedis redis = locator.embedded().orElseThrow();
        try (WsClient client = WsClient.connect(base, TestCircles.CIRCLE_A)) {
            client.authenticate(KeyPair.generate());
            assertEquals("3", client.result("play", Map.of("script", "1 + 2")).get("output").asText());

            client.sendText(client.request(7, "play", Map.of("script", "sleep(2); 1")));
            await().atMost(Duration.ofSeconds(10)).until(() -> worker.busyThreads() > 0);
            redis.stop();
            // the play in flight is failed as soon as the reply path is lost, not at the 30 s reply deadline (-32003)
            JsonNode inFlight = client.awaitResponse(7);
            assertEquals(-32000, inFlight.path("error").path("code").asInt(), inFlight.toString());
            JsonNode failed = client.call("play", Map.of("script", "1 + 2"));
            assertEquals(-32000, failed.path("error").path("code").asInt(), failed.toString());
            assertFalse(failed.toString().contains("1 + 2"), "errors never echo the script or Redis's protocol");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().baseUri(base.toString())
                    .get("/q/health/ready").then().statusCode(503));
            given().baseUri(base.toString()).get("/q/health/live").then().statusCode(200);

            redis.restart();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().baseUri(base.toString())
                    .get("/q/health/ready").then().statusCode(200));
            // the worker's intake and the reply listener reconnect with a backoff of at most 2 s; the bound is
            // generous because a loaded CI machine can stretch that
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertEquals("7",
                    client.call("play", Map.of("script", "3 + 4")).path("result").path("output").asText()));
        }
    }
}
