package io.circles.webhook;

import static io.circles.webhook.WebhookTraffic.IDENFY_SECRET;
import static io.circles.webhook.WebhookTraffic.STRIPE_SECRET;
import static io.circles.webhook.WebhookTraffic.bytes;
import static io.circles.webhook.WebhookTraffic.canonical;
import static io.circles.webhook.WebhookTraffic.idenfyCallback;
import static io.circles.webhook.WebhookTraffic.idenfySignature;
import static io.circles.webhook.WebhookTraffic.newEventId;
import static io.circles.webhook.WebhookTraffic.stripeEvent;
import static io.circles.webhook.WebhookTraffic.stripeHeader;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.circle.CircleEvents;
import io.circles.crypto.KeyPair;
import io.circles.support.RawRedis;
import io.circles.support.TestCircles;
import io.circles.support.TestClock;
import io.circles.support.Vectors;
import io.circles.support.WsClient;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.redis.client.Command;

/**
 * {@code POST /webhooks/stripe|idenfy/<circle>} over real HTTP against the running app and its embedded Redis:
 * every status code, idempotency under redelivery and concurrency, the event log, and a handler script that
 * runs in the circle. Payloads are signed here with the vector secrets (the %test profile's), with fresh ids,
 * because marks live for 7 days in the Redis all tests share; the exact vector bytes are delivered once each.
 */
@QuarkusTest
class WebhookEndpointTest {
    private static final Duration WAIT = WsClient.WAIT;
    private static final JsonNode STRIPE = Vectors.load("stripe-webhooks.json");
    private static final JsonNode IDENFY = Vectors.load("idenfy-webhooks.json");
    /** Circle A has no handler: its events are only logged. Circle B has src/test/resources/handlers/<B>/stripe.rhai. */
    private static final String A = TestCircles.CIRCLE_A;
    private static final String B = TestCircles.CIRCLE_B;

    @TestHTTPResource("/")
    URI base;

    @Inject
    TestClock clock;

    @Inject
    ReactiveRedisDataSource redisSource;

    @Inject
    CircleEvents events;

    RawRedis redis;
    WebhookTraffic hooks;

    @BeforeEach
    void connect() {
        redis = new RawRedis(redisSource.getRedis());
        hooks = new WebhookTraffic(base, redis, events);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private void setClockTo(long epochSecond) {
        clock.reset();
        clock.advance(Duration.between(Instant.now(), Instant.ofEpochSecond(epochSecond)));
    }

    private static JsonPath ok(Response response) {
        assertEquals(200, response.statusCode(), response.asString());
        return response.jsonPath();
    }

    private static void refused(int status, Response response) {
        assertEquals(status, response.statusCode(), response.asString());
        assertTrue(response.jsonPath().getString("error").length() > 0, response.asString());
    }

    private void awaitCompleted(String taskId) {
        await().atMost(WAIT).until(() -> "completed".equals(hooks.task(taskId).get("status")));
    }

    // --- 200 ---------------------------------------------------------------------------------------------

    @Test
    void the_exact_stripe_vector_is_accepted_with_the_clock_at_its_timestamp() {
        JsonNode vector = STRIPE.get("valid").get(0);
        byte[] body = bytes(vector.get("payload").asText());
        String eventId = "evt_1PqA2bC3dE4fG5hI";
        redis.cmd(Command.DEL, WebhookTraffic.stripeMark(A, eventId)); // this test owns the vector's id in circle A

        // with the real clock, the 2024 timestamp is far outside the tolerance
        refused(400, hooks.stripe(A, vector.get("header").asText(), body));

        setClockTo(vector.get("timestamp").asLong());
        JsonPath receipt = ok(hooks.stripe(A, vector.get("header").asText(), body));
        assertEquals(eventId, receipt.getString("event_id"));
        assertFalse(receipt.getBoolean("duplicate"));
        assertNull(receipt.getString("task_id"), "circle A has no handler");

        List<Map<String, String>> logged = hooks.logged(A, "stripe", eventId);
        assertEquals(1, logged.size());
        assertEquals("payment_intent.succeeded", logged.get(0).get("type"));
        assertEquals(2500, WsClient.parse(logged.get(0).get("payload")).path("data").path("object").path("amount").asInt());

        // the rotation vector (two v1 values, one valid) is the same event: a duplicate
        JsonNode rotation = STRIPE.get("valid").get(2);
        JsonPath again = ok(hooks.stripe(A, rotation.get("header").asText(), bytes(rotation.get("payload").asText())));
        assertTrue(again.getBoolean("duplicate"));
        assertEquals(1, hooks.logged(A, "stripe", eventId).size());
    }

    @Test
    void a_signed_event_is_answered_with_its_task_which_the_event_log_names_too() {
        String id = newEventId();
        byte[] body = stripeEvent(id, 1234);
        JsonPath receipt = ok(hooks.stripe(B, stripeHeader(body), body));
        assertEquals(id, receipt.getString("event_id"));
        assertFalse(receipt.getBoolean("duplicate"));
        String taskId = receipt.getString("task_id");
        assertEquals(36, taskId.length(), "a task id (UUID)");
        assertEquals(List.of(taskId), hooks.tasksMentioning(id));
        assertEquals(taskId, hooks.logged(B, "stripe", id).get(0).get("task_id"));
        awaitCompleted(taskId);
    }

    @Test
    void the_circle_key_may_be_given_in_any_accepted_encoding() {
        String id = newEventId();
        byte[] body = stripeEvent(id, 1);
        ok(hooks.stripe(canonical(A), stripeHeader(body), body));
        assertEquals(1, hooks.logged(A, "stripe", id).size());
    }

    // --- idempotency ---------------------------------------------------------------------------------------

    @Test
    void a_redelivery_answers_duplicate_with_the_same_task_and_queues_nothing_more() {
        String id = newEventId();
        byte[] body = stripeEvent(id, 77);
        JsonPath first = ok(hooks.stripe(B, stripeHeader(body), body));
        String taskId = first.getString("task_id");
        awaitCompleted(taskId);

        // Stripe re-signs each delivery attempt with a new timestamp
        JsonPath second = ok(hooks.stripe(B, stripeHeader(STRIPE_SECRET, Instant.now().getEpochSecond() + 1, body), body));
        assertTrue(second.getBoolean("duplicate"));
        assertEquals(id, second.getString("event_id"));
        assertEquals(taskId, second.getString("task_id"));
        assertEquals(List.of(taskId), hooks.tasksMentioning(id));
        assertEquals(1, hooks.logged(B, "stripe", id).size());
    }

    @Test
    void the_same_event_id_in_another_circle_sharing_the_secret_is_a_duplicate() {
        // with one global secret a delivery could be replayed to any circle's URL, so event ids are claimed across circles
        String id = newEventId();
        byte[] body = stripeEvent(id, 5);
        assertFalse(ok(hooks.stripe(A, stripeHeader(body), body)).getBoolean("duplicate"));
        JsonPath inB = ok(hooks.stripe(B, stripeHeader(body), body));
        assertTrue(inB.getBoolean("duplicate"));
        assertNull(inB.getString("task_id"));
    }

    @Test
    void ten_concurrent_deliveries_of_one_event_make_exactly_one_task() throws Exception {
        String id = newEventId();
        byte[] body = stripeEvent(id, 10);
        String header = stripeHeader(body);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return hooks.stripe(B, header, body);
                }));
            }
            start.countDown();
            List<JsonPath> receipts = new ArrayList<>();
            for (Future<Response> future : futures) {
                receipts.add(ok(future.get()));
            }
            List<JsonPath> firsts = receipts.stream().filter(r -> !r.getBoolean("duplicate")).toList();
            assertEquals(1, firsts.size(), "exactly one delivery is not a duplicate");
            String taskId = firsts.get(0).getString("task_id");
            for (JsonPath receipt : receipts) {
                assertEquals(id, receipt.getString("event_id"));
                String seen = receipt.getString("task_id");
                // a duplicate that raced the first delivery's queuing does not know the task id yet
                assertTrue(seen == null || seen.equals(taskId), receipt.prettify());
            }
            assertEquals(List.of(taskId), hooks.tasksMentioning(id));
            assertEquals(1, hooks.logged(B, "stripe", id).size());
            awaitCompleted(taskId);
            assertEquals(List.of(taskId), hooks.tasksMentioning(id));
        } finally {
            pool.shutdownNow();
        }
    }

    // --- handler scripts and the event log -------------------------------------------------------------------

    @Test
    void the_circle_handler_reads_the_amount_stores_it_and_returns_it() {
        assertTrue(Files.isRegularFile(Path.of("src/test/resources/handlers", canonical(B), "stripe.rhai")), "the test handler of circle B");
        long amount = 4000 + (System.nanoTime() & 0xfff);
        String id = newEventId();
        byte[] body = stripeEvent(id, amount);
        String taskId = ok(hooks.stripe(B, stripeHeader(body), body)).getString("task_id");

        await().atMost(WAIT).until(() -> "completed".equals(hooks.task(taskId).get("status")));
        Map<String, String> task = hooks.task(taskId);
        assertEquals(Long.toString(amount), task.get("output"), task.toString());
        assertEquals("stripe", task.get("caller_id"));
        assertEquals(canonical(B), task.get("context_id"));
        JsonNode scope = WsClient.parse(task.get("scope"));
        assertEquals("stripe", scope.get("provider").asText());
        assertEquals(id, scope.path("event").path("id").asText());
        assertEquals(Long.toString(amount), redis.string(Command.HGET, WebhookTraffic.KEYS.data(canonical(B)), "last_amount"));
    }

    @Test
    void a_circle_without_a_handler_still_logs_the_event_and_queues_no_task() {
        String id = newEventId();
        byte[] body = stripeEvent(id, 321);
        JsonPath receipt = ok(hooks.stripe(A, stripeHeader(body), body));
        assertNull(receipt.getString("task_id"));
        assertFalse(receipt.getBoolean("duplicate"));
        List<Map<String, String>> logged = hooks.logged(A, "stripe", id);
        assertEquals(1, logged.size());
        Map<String, String> entry = logged.get(0);
        assertEquals("", entry.get("task_id"));
        assertEquals("stripe", entry.get("provider"));
        assertEquals(id, WsClient.parse(entry.get("payload")).get("id").asText());
        assertTrue(Long.parseLong(entry.get("received_at")) > 0);
        assertEquals(List.of(), hooks.tasksMentioning(id));
        // the mark holds "no task" for the full idempotency TTL
        assertEquals("", redis.string(Command.GET, WebhookTraffic.stripeMark(A, id)));
        assertTrue(Long.parseLong(redis.string(Command.TTL, WebhookTraffic.stripeMark(A, id))) > 6 * 86_400);
    }

    @Test
    void scripts_in_the_circle_read_its_webhook_events_newest_first() {
        String older = newEventId();
        String newer = newEventId();
        byte[] first = stripeEvent(older, 111);
        byte[] second = stripeEvent(newer, 222);
        ok(hooks.stripe(A, stripeHeader(first), first));
        ok(hooks.stripe(A, stripeHeader(second), second));
        try (WsClient client = WsClient.connect(base, A)) {
            client.authenticate(KeyPair.generate());
            JsonNode result = client.result("play", Map.of("script",
                    "let e = events(\"stripe\", 2); `${e[0].event_id}|${e[0].event.data.object.amount}|${e[1].event_id}|${e.len()}`"));
            assertEquals(newer + "|222|" + older + "|2", result.get("output").asText());
        }
    }

    // --- 400 -------------------------------------------------------------------------------------------------

    @Test
    void a_bad_missing_or_malformed_signature_is_400_and_leaves_nothing() {
        String id = newEventId();
        byte[] body = stripeEvent(id, 1);
        long now = Instant.now().getEpochSecond();
        refused(400, hooks.stripe(A, stripeHeader("whsec_wrong", now, body), body));
        refused(400, hooks.stripe(A, null, body));
        refused(400, hooks.stripe(A, "", body));
        refused(400, hooks.stripe(A, "garbage", body));
        refused(400, hooks.stripe(A, "t=" + now, body));
        refused(400, hooks.stripe(A, "t=" + now + ",v0=" + "00".repeat(32), body));
        refused(400, hooks.stripe(A, "t=soon,v1=" + "00".repeat(32), body));
        byte[] tampered = stripeEvent(id, 2);
        refused(400, hooks.stripe(A, stripeHeader(body), tampered));
        assertEquals(0, hooks.logged(A, "stripe", id).size());
        assertNull(redis.string(Command.GET, WebhookTraffic.stripeMark(A, id)));
    }

    @Test
    void a_timestamp_outside_the_tolerance_is_400_either_way() {
        String id = newEventId();
        byte[] body = stripeEvent(id, 1);
        long now = Instant.now().getEpochSecond();
        refused(400, hooks.stripe(A, stripeHeader(STRIPE_SECRET, now - 400, body), body));
        refused(400, hooks.stripe(A, stripeHeader(STRIPE_SECRET, now + 400, body), body));
        // a replay of a delivery signed 5 minutes ago passes once the clock is moved back to it...
        clock.advance(Duration.ofSeconds(-200));
        ok(hooks.stripe(A, stripeHeader(STRIPE_SECRET, now - 400, body), body));
        // ...and an old signature stops working when time moves on
        String later = newEventId();
        byte[] other = stripeEvent(later, 1);
        String header = stripeHeader(other);
        clock.reset();
        clock.advance(Duration.ofSeconds(301));
        refused(400, hooks.stripe(A, header, other));
        assertEquals(0, hooks.logged(A, "stripe", later).size());
    }

    @Test
    void a_correctly_signed_body_that_is_not_a_stripe_event_is_400() {
        for (String text : List.of("not json", "[1,2,3]", "{}", "{\"id\":42,\"type\":\"x\"}", "{\"id\":\"evt_x\"}", "{\"id\":\"\",\"type\":\"x\"}", "null")) {
            byte[] body = bytes(text);
            refused(400, hooks.stripe(A, stripeHeader(body), body));
        }
    }

    @Test
    void an_empty_body_is_400() {
        refused(400, hooks.stripe(A, stripeHeader(new byte[0]), new byte[0]));
        refused(400, hooks.idenfy(A, idenfySignature(IDENFY_SECRET, new byte[0]), new byte[0]));
    }

    // --- 404 -------------------------------------------------------------------------------------------------

    @Test
    void a_malformed_or_unserved_circle_is_404_even_with_a_valid_signature() {
        byte[] body = stripeEvent(newEventId(), 1);
        String header = stripeHeader(body);
        String unserved = KeyPair.generate().publicKeyCompressed();
        for (String circle : List.of("not-a-key", "0x1234", "02" + "ff".repeat(32), unserved, canonical(unserved))) {
            refused(404, hooks.stripe(circle, header, body));
            refused(404, hooks.idenfy(circle, idenfySignature(IDENFY_SECRET, body), body));
        }
    }

    // --- 413 -------------------------------------------------------------------------------------------------

    @Test
    void a_body_over_256_KiB_is_413_and_one_of_exactly_256_KiB_is_accepted() {
        String id = newEventId();
        byte[] event = stripeEvent(id, 1);
        // pad the JSON with whitespace before its closing brace up to the limit
        byte[] exact = Arrays.copyOf(event, 256 * 1024);
        Arrays.fill(exact, event.length - 1, exact.length - 1, (byte) ' ');
        exact[exact.length - 1] = '}';
        ok(hooks.stripe(A, stripeHeader(exact), exact));

        byte[] over = Arrays.copyOf(exact, exact.length + 1);
        over[over.length - 2] = ' ';
        over[over.length - 1] = '}';
        refused(413, hooks.stripe(A, stripeHeader(over), over));
        refused(413, hooks.stripe(A, "garbage", over));
        refused(413, hooks.idenfy(A, idenfySignature(IDENFY_SECRET, over), over));
    }

    // --- iDenfy ----------------------------------------------------------------------------------------------

    @Test
    void the_exact_idenfy_vectors_are_accepted_and_redelivery_is_a_duplicate() {
        for (JsonNode vector : IDENFY.get("valid")) {
            byte[] body = bytes(vector.get("body").asText());
            String scanRef = WsClient.parse(vector.get("body").asText()).get("scanRef").asText();
            for (var key : redis.cmd(Command.KEYS, WebhookTraffic.KEYS.seen(canonical(A), "idenfy", scanRef + ":*"))) {
                redis.cmd(Command.DEL, key.toString()); // this test owns the vectors' scanRefs in circle A
            }
            setClockTo(WsClient.parse(vector.get("body").asText()).get("finishTime").asLong()); // callbacks older than 24h are refused
            JsonPath receipt = ok(hooks.idenfy(A, vector.get("signature").asText(), body));
            assertFalse(receipt.getBoolean("duplicate"));
            assertTrue(receipt.getString("event_id").startsWith(scanRef + ":"), receipt.prettify());
            assertNull(receipt.getString("task_id"));
            List<Map<String, String>> logged = hooks.logged(A, "idenfy", receipt.getString("event_id"));
            assertEquals(1, logged.size());
            assertEquals(WsClient.parse(vector.get("body").asText()).path("status").path("overall").asText(), logged.get(0).get("type"));

            JsonPath again = ok(hooks.idenfy(A, vector.get("signature").asText(), body));
            assertTrue(again.getBoolean("duplicate"));
            assertEquals(receipt.getString("event_id"), again.getString("event_id"));
            assertEquals(1, hooks.logged(A, "idenfy", receipt.getString("event_id")).size());
        }
    }

    @Test
    void an_interim_and_a_final_idenfy_callback_of_one_scan_are_two_events() {
        String scanRef = UUID.randomUUID().toString();
        byte[] interim = idenfyCallback(scanRef, false, "SUSPECTED");
        byte[] fin = idenfyCallback(scanRef, true, "APPROVED");
        JsonPath first = ok(hooks.idenfy(B, idenfySignature(IDENFY_SECRET, interim), interim));
        JsonPath second = ok(hooks.idenfy(B, idenfySignature(IDENFY_SECRET, fin), fin));
        assertFalse(first.getBoolean("duplicate"));
        assertFalse(second.getBoolean("duplicate"));
        assertTrue(first.getString("event_id").startsWith(scanRef + ":interim:"));
        assertTrue(second.getString("event_id").startsWith(scanRef + ":final:"));
        assertNotEquals(first.getString("event_id"), second.getString("event_id"));
        assertNull(second.getString("task_id"), "circle B has no iDenfy handler");
        assertTrue(ok(hooks.idenfy(B, idenfySignature(IDENFY_SECRET, fin), fin)).getBoolean("duplicate"));
    }

    @Test
    void an_uppercase_hex_idenfy_signature_is_accepted() {
        byte[] body = idenfyCallback(UUID.randomUUID().toString(), true, "APPROVED");
        ok(hooks.idenfy(A, idenfySignature(IDENFY_SECRET, body).toUpperCase(), body));
    }

    @Test
    void a_bad_or_missing_idenfy_signature_or_a_callback_without_scan_ref_is_400() {
        String scanRef = UUID.randomUUID().toString();
        byte[] body = idenfyCallback(scanRef, true, "APPROVED");
        refused(400, hooks.idenfy(A, idenfySignature("other", body), body));
        refused(400, hooks.idenfy(A, null, body));
        refused(400, hooks.idenfy(A, "", body));
        refused(400, hooks.idenfy(A, "not-hex", body));
        refused(400, hooks.idenfy(A, idenfySignature(IDENFY_SECRET, body), idenfyCallback(scanRef, true, "DENIED")));
        for (JsonNode vector : IDENFY.get("invalid")) {
            // "wrong secret" is about the verifier's key, which the server fixes; the uppercase one is accepted
            if (!vector.path("ambiguous").asBoolean() && !vector.get("why").asText().equals("wrong secret")) {
                refused(400, hooks.idenfy(A, vector.get("signature").asText(), bytes(vector.get("body").asText())));
            }
        }
        byte[] noScanRef = bytes("{\"final\":true,\"status\":{\"overall\":\"APPROVED\"}}");
        refused(400, hooks.idenfy(A, idenfySignature(IDENFY_SECRET, noScanRef), noScanRef));
        byte[] notJson = bytes("scanRef=1");
        refused(400, hooks.idenfy(A, idenfySignature(IDENFY_SECRET, notJson), notJson));
        assertEquals(0, redis.cmd(Command.KEYS, "circles:webhook_seen:*:idenfy:" + scanRef + ":*").size());
    }
}
