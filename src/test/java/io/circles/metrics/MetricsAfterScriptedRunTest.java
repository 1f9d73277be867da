package io.circles.metrics;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.circles.crypto.KeyPair;
import io.circles.support.TestCircles;
import io.circles.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A scripted client run (authentications that pass and fail, plays that complete, fail and time out, an unknown
 * method, a webhook delivered twice, a refused upgrade) moves each meter by exactly what happened. The app is
 * shared with other test classes, so the test compares two scrapes once the workers are idle.
 */
@QuarkusTest
public class MetricsAfterScriptedRunTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    @BeforeEach
    void workersAreIdle() {
        await().atMost(Duration.ofSeconds(30)).until(() -> Scrape.of(base).value("circles_worker_threads_busy") == 0);
    }

    @Test
    void every_meter_moves_by_exactly_what_the_scripted_run_did() throws Exception {
        Scrape before = Scrape.of(base);
        KeyPair member = KeyPair.generate();
        try (WsClient good = WsClient.connect(base, TestCircles.CIRCLE_A);
                WsClient bad = WsClient.connect(base, TestCircles.CIRCLE_A)) {
            assertTrue(good.authenticate(member).has("result"));
            failAuthentication(bad, KeyPair.generate());
            Scrape during = Scrape.of(base);
            assertEquals(2, during.value("circles_connections_open") - before.value("circles_connections_open"));
            assertEquals(1, during.value("circles_connections_authenticated") - before.value("circles_connections_authenticated"));

            assertTrue(good.call("play", Map.of("script", "40 + 2")).has("result"));
            assertTrue(good.call("play", Map.of("script", "\"a\" + \"b\"")).has("result"));
            assertEquals(-32000, good.call("play", Map.of("script", "let x = ;")).path("error").path("code").asInt());
            JsonNode runaway = good.call("play", Map.of("script", "sleep(30); 1"));
            assertTrue(runaway.path("error").path("message").asText().contains("timed out"), runaway.toString());
            assertEquals(-32601, good.call("no_such_method_" + UUID.randomUUID(), Map.of()).path("error").path("code").asInt());
        }
        refusedUpgrade();
        String event = stripeEvent();
        assertFalse(postStripe(event).path("duplicate").asBoolean());
        assertTrue(postStripe(event).path("duplicate").asBoolean());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Scrape now = Scrape.of(base);
            assertEquals(5, delta(before, now, "circles_tasks_ended_total"));
            assertEquals(before.value("circles_connections_open"), now.value("circles_connections_open"));
        });
        Scrape after = Scrape.of(base);

        assertEquals(1, delta(before, after, "circles_authentications_total", "outcome", "ok", "reason", "none"));
        assertEquals(1, delta(before, after, "circles_authentications_total", "outcome", "failed", "reason", "bad_signature"));
        assertEquals(2, delta(before, after, "circles_rpc_calls_total", "method", "play", "outcome", "ok"));
        assertEquals(2, delta(before, after, "circles_rpc_calls_total", "method", "play", "outcome", "-32000"));
        assertEquals(1, delta(before, after, "circles_rpc_calls_total", "method", "other", "outcome", "-32601"));
        assertEquals(1, delta(before, after, "circles_rpc_calls_total", "method", "authenticate", "outcome", "-32002"));
        assertEquals(4, delta(before, after, "circles_play_latency_seconds_count"));
        assertEquals(4, delta(before, after, "circles_tasks_queued_total", "source", "play"));
        assertEquals(1, delta(before, after, "circles_tasks_queued_total", "source", "webhook"));
        assertEquals(5, delta(before, after, "circles_tasks_started_total"));
        assertEquals(3, delta(before, after, "circles_tasks_ended_total", "outcome", "completed"));
        assertEquals(1, delta(before, after, "circles_tasks_ended_total", "outcome", "failed"));
        assertEquals(1, delta(before, after, "circles_tasks_ended_total", "outcome", "timed_out"));
        assertEquals(0, delta(before, after, "circles_tasks_lost_total"));
        assertEquals(5, delta(before, after, "circles_task_run_seconds_count"));
        assertEquals(5, delta(before, after, "circles_task_queue_wait_seconds_count"));
        assertEquals(1, delta(before, after, "circles_webhook_deliveries_total", "provider", "stripe", "outcome", "accepted"));
        assertEquals(1, delta(before, after, "circles_webhook_deliveries_total", "provider", "stripe", "outcome", "duplicate"));
        assertEquals(1, delta(before, after, "circles_upgrades_refused_total", "reason", "bad_key"));
        assertTrue(after.value("circles_worker_threads_total") > 0);
        assertTrue(delta(before, after, "circles_redis_commands_seconds_count", "operation", "queue the script", "outcome", "ok") >= 4);
        assertTrue(delta(before, after, "circles_engine_operations_count") >= 1);

        for (String name : CirclesMetrics.PROMETHEUS_NAMES) {
            assertTrue(after.has(name), name + " is not at /q/metrics");
        }
        String caller = member.publicKeyCompressed().substring(2).toLowerCase();
        List<String> circles = List.of(TestCircles.CIRCLE_A.substring(2), TestCircles.CIRCLE_B.substring(2));
        for (Scrape.Series series : after.series) {
            series.labels().forEach((label, value) -> {
                assertFalse(value.toLowerCase().contains(caller), "a caller key is a label of " + series);
                // configured circles may label the sampled gauges, and nothing else (HTTP metrics included)
                if (!label.equals("circle")) {
                    circles.forEach(circle -> assertFalse(value.contains(circle), "a circle key is in " + label + " of " + series));
                }
            });
        }
    }

    @Test
    void readiness_reports_that_the_server_accepts_clients() throws Exception {
        JsonNode health = MAPPER.readTree(given().baseUri(base.toString()).get("/q/health/ready").then().statusCode(200)
                .extract().asString());
        boolean found = false;
        for (JsonNode check : health.path("checks")) {
            if (io.circles.health.ServerAcceptingReadiness.NAME.equals(check.path("name").asText())) {
                found = true;
                assertEquals("UP", check.path("status").asText());
            }
        }
        assertTrue(found, health.toString());
    }

    private static double delta(Scrape before, Scrape after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    private static void failAuthentication(WsClient client, KeyPair key) {
        client.result("fetch_nonce", MAPPER.createObjectNode().put("pubkey", key.publicKeyCompressed()));
        JsonNode answer = client.call("authenticate", MAPPER.createObjectNode().put("pubkey", key.publicKeyCompressed())
                .put("signature", KeyPair.generate().signPersonal("not the nonce")));
        assertEquals(-32002, answer.path("error").path("code").asInt(), answer.toString());
    }

    private void refusedUpgrade() {
        URI uri = URI.create(base.toString().replaceFirst("^http", "ws").replaceAll("/$", "") + "/not-a-key");
        try {
            HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() { })
                    .get(10, TimeUnit.SECONDS).abort();
            throw new AssertionError("the upgrade to a bad key was accepted");
        } catch (Exception expected) {
            assertTrue(expected instanceof java.util.concurrent.ExecutionException || expected instanceof CompletionException,
                    expected.toString());
        }
    }

    private static String stripeEvent() {
        String id = "evt_metrics_" + UUID.randomUUID().toString().replace("-", "");
        return "{\"id\":\"" + id + "\",\"object\":\"event\",\"created\":" + Instant.now().getEpochSecond()
                + ",\"type\":\"payment_intent.succeeded\",\"data\":{\"object\":{\"id\":\"pi_1\",\"amount\":100}}}";
    }

    private JsonNode postStripe(String event) throws Exception {
        byte[] body = event.getBytes(StandardCharsets.UTF_8);
        long t = Instant.now().getEpochSecond();
        String secret = ConfigProvider.getConfig().getValue("circles.webhooks.stripe.secret", String.class);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
        String header = "t=" + t + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body));
        String answer = given().baseUri(base.toString()).contentType("application/json").header("Stripe-Signature", header)
                .body(body).post("/webhooks/stripe/" + TestCircles.CIRCLE_B).then().statusCode(200).extract().asString();
        return MAPPER.readTree(answer);
    }

}
