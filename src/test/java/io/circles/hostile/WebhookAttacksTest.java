package io.circles.hostile;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.circles.circle.CircleEvents;
import io.circles.circle.CircleKeys;
import io.circles.support.TestCircles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Attacks through the webhook endpoints: a delivery signed for one circle replayed to another, a secret of one
 * circle used on another's URL, an old iDenfy callback replayed, and an event log flooded with large events.
 * Circles A and B share the global secrets; C has its own Stripe secret (see {@link HostileProfile}).
 */
@QuarkusTest
@TestProfile(HostileProfile.class)
class WebhookAttacksTest {
    /** The %test profile's global secrets (application.properties). */
    private static final String STRIPE_SECRET = "whsec_test_5f2b8c1e9a7d4e3f6b0a1c2d3e4f5a6b";
    private static final String IDENFY_SECRET = "idenfy-signing-key-7c1e2d";
    private static final String A = TestCircles.CIRCLE_A;
    private static final String B = TestCircles.CIRCLE_B;
    private static final String C = HostileProfile.CIRCLE_C;

    @TestHTTPResource("/")
    URI base;

    @Inject
    CircleEvents events;

    private static byte[] stripeEvent(String id, String padding) {
        return ("{\"id\":\"" + id + "\",\"object\":\"event\",\"type\":\"payment_intent.succeeded\",\"created\":"
                + Instant.now().getEpochSecond() + ",\"data\":{\"object\":{\"amount\":777,\"note\":\"" + padding + "\"}}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String hmac(String secret, byte[] prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(prefix);
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String stripeSignature(String secret, byte[] body) {
        long t = Instant.now().getEpochSecond();
        return "t=" + t + ",v1=" + hmac(secret, (t + ".").getBytes(StandardCharsets.US_ASCII), body);
    }

    private Response post(String provider, String circle, String header, String signature, byte[] body) {
        return given().baseUri(base.toString()).contentType("application/json").header(header, signature).body(body)
                .post("/webhooks/" + provider + "/" + circle);
    }

    private Response stripe(String circle, String secret, byte[] body) {
        return post("stripe", circle, "Stripe-Signature", stripeSignature(secret, body), body);
    }

    private List<Map<String, String>> logged(String circle, String eventId) {
        return events.latest(CircleKeys.canonicalOrNull(circle), "*", CircleEvents.MAX_COUNT).stream()
                .filter(entry -> eventId.equals(entry.get("event_id"))).toList();
    }

    @Test
    void a_delivery_for_circle_a_replayed_to_circle_b_is_a_duplicate_and_runs_no_handler() {
        String id = "evt_" + UUID.randomUUID();
        byte[] body = stripeEvent(id, "");
        Response first = stripe(A, STRIPE_SECRET, body);
        assertEquals(200, first.statusCode(), first.asString());
        assertFalse(first.jsonPath().getBoolean("duplicate"));

        Response replay = stripe(B, STRIPE_SECRET, body); // B has a Stripe handler that would run
        assertEquals(200, replay.statusCode(), replay.asString());
        assertTrue(replay.jsonPath().getBoolean("duplicate"), replay.asString());
        assertEquals(null, replay.jsonPath().getString("task_id"));
        assertEquals(0, logged(B, id).size(), "nothing reached B's event log");
        assertEquals(1, logged(A, id).size(), "A's delivery is kept");
        Member.isUnaffected(base);
    }

    @Test
    void a_circle_with_its_own_secret_accepts_only_that_secret_and_others_refuse_it() {
        byte[] body = stripeEvent("evt_" + UUID.randomUUID(), "");
        assertEquals(400, stripe(A, HostileProfile.CIRCLE_C_STRIPE_SECRET, body).statusCode(), "C's secret is not A's");
        assertEquals(400, stripe(C, STRIPE_SECRET, body).statusCode(), "the shared secret is not C's");
        Response own = stripe(C, HostileProfile.CIRCLE_C_STRIPE_SECRET, body);
        assertEquals(200, own.statusCode(), own.asString());
        assertFalse(own.jsonPath().getBoolean("duplicate"));
        Member.isUnaffected(base);
    }

    @Test
    void an_idenfy_callback_older_than_a_day_is_refused_and_a_fresh_one_is_taken() {
        long now = Instant.now().getEpochSecond();
        byte[] old = idenfy(UUID.randomUUID().toString(), now - Duration.ofHours(25).toSeconds());
        Response refused = post("idenfy", A, "Idenfy-Signature", hmac(IDENFY_SECRET, new byte[0], old), old);
        assertEquals(400, refused.statusCode(), refused.asString());
        assertTrue(refused.jsonPath().getString("error").contains("older"));
        byte[] fresh = idenfy(UUID.randomUUID().toString(), now - 60);
        assertEquals(200, post("idenfy", A, "Idenfy-Signature", hmac(IDENFY_SECRET, new byte[0], fresh), fresh).statusCode());
        Member.isUnaffected(base);
    }

    @Test
    void a_flood_of_large_events_keeps_the_event_log_within_its_byte_bound_and_keeps_the_newest() {
        String padding = "p".repeat(16 * 1024);
        String last = null;
        for (int i = 0; i < 40; i++) {
            last = "evt_flood_" + i + "_" + UUID.randomUUID();
            assertEquals(200, stripe(A, STRIPE_SECRET, stripeEvent(last, padding)).statusCode());
        }
        List<Map<String, String>> log = events.latest(CircleKeys.canonicalOrNull(A), "*", CircleEvents.MAX_COUNT);
        long bytes = log.stream().mapToLong(WebhookAttacksTest::entryBytes).sum();
        assertTrue(bytes <= 256 * 1024, "event log holds " + bytes + " bytes");
        assertTrue(log.size() < 40, "old entries were dropped: " + log.size());
        assertEquals(last, log.get(0).get("event_id"), "the newest event is kept");
        Member.isUnaffected(base);
    }

    private static long entryBytes(Map<String, String> entry) {
        return entry.entrySet().stream().filter(e -> !e.getKey().equals("id"))
                .mapToLong(e -> e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length)
                .sum();
    }

    private static byte[] idenfy(String scanRef, long finishTime) {
        return ("{\"final\":true,\"status\":{\"overall\":\"APPROVED\"},\"scanRef\":\"" + scanRef + "\",\"clientId\":\"m-1\",\"startTime\":"
                + (finishTime - 300) + ",\"finishTime\":" + finishTime + "}").getBytes(StandardCharsets.UTF_8);
    }
}
