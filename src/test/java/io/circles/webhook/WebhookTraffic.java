package io.circles.webhook;

import static io.restassured.RestAssured.given;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.circles.circle.CircleEvents;
import io.circles.dispatch.RedisKeys;
import io.circles.support.RawRedis;
import io.circles.support.Vectors;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.redis.client.Command;

/** Builds, signs and posts webhook deliveries the way Stripe and iDenfy do, and reads what they left in Redis. */
final class WebhookTraffic {
    /** The default key layout (the test profile keeps the default prefixes). */
    static final RedisKeys KEYS = new RedisKeys("rhai_task_details:", "rhai_tasks:", "rhai_reply:");
    static final String STRIPE_SECRET = Vectors.load("stripe-webhooks.json").get("valid").get(0).get("secret").asText();
    static final String IDENFY_SECRET = Vectors.load("idenfy-webhooks.json").get("valid").get(0).get("secret").asText();

    private final URI base;
    private final RawRedis redis;
    private final CircleEvents events;

    WebhookTraffic(URI base, RawRedis redis, CircleEvents events) {
        this.base = base;
        this.redis = redis;
        this.events = events;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The canonical circle key (no 0x): how Redis keys and handler directories name a circle. */
    static String canonical(String circle) {
        return circle.startsWith("0x") ? circle.substring(2) : circle;
    }

    static String newEventId() {
        return "evt_test_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** A payment_intent.succeeded event like Stripe's, pretty-printed as Stripe sends it. */
    static byte[] stripeEvent(String id, long amount) {
        return bytes("""
                {
                  "id": "%s",
                  "object": "event",
                  "api_version": "2024-06-20",
                  "created": %d,
                  "type": "payment_intent.succeeded",
                  "livemode": false,
                  "data": {
                    "object": {
                      "id": "pi_%s",
                      "object": "payment_intent",
                      "amount": %d,
                      "currency": "eur",
                      "status": "succeeded"
                    }
                  }
                }""".formatted(id, Instant.now().getEpochSecond(), id, amount));
    }

    /** {@code t=<t>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}. */
    static String stripeHeader(String secret, long t, byte[] body) {
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(Hmac.sha256(secret, bytes(t + "."), body));
    }

    /** Signed now with the configured secret. */
    static String stripeHeader(byte[] body) {
        return stripeHeader(STRIPE_SECRET, Instant.now().getEpochSecond(), body);
    }

    static byte[] idenfyCallback(String scanRef, boolean isFinal, String overall) {
        return bytes("{\"final\":" + isFinal + ",\"platform\":\"PC\",\"status\":{\"overall\":\"" + overall
                + "\",\"suspicionReasons\":[],\"denyReasons\":[],\"fraudTags\":[],\"mismatchTags\":[]},"
                + "\"data\":{\"docFirstName\":\"JANE\"},\"scanRef\":\"" + scanRef + "\",\"clientId\":\"member-1\"}");
    }

    static String idenfySignature(String secret, byte[] body) {
        return HexFormat.of().formatHex(Hmac.sha256(secret, body));
    }

    private RequestSpecification request(String header, String value, byte[] body) {
        RequestSpecification spec = given().baseUri(base.toString()).contentType("application/json; charset=utf-8").body(body);
        return value == null ? spec : spec.header(header, value);
    }

    Response stripe(String circle, String signature, byte[] body) {
        return request("Stripe-Signature", signature, body).post("/webhooks/stripe/" + circle);
    }

    Response idenfy(String circle, String signature, byte[] body) {
        return request("Idenfy-Signature", signature, body).post("/webhooks/idenfy/" + circle);
    }

    /** Entries of the circle's event log for one event id, oldest first. */
    List<Map<String, String>> logged(String circle, String provider, String eventId) {
        List<Map<String, String>> found = new ArrayList<>();
        for (Map<String, String> entry : events.latest(canonical(circle), provider, 1000)) {
            if (eventId.equals(entry.get("event_id"))) {
                found.add(0, entry);
            }
        }
        return found;
    }

    /** Ids of the task hashes whose scope carries {@code marker} (an event id): every task queued for that event. */
    List<String> tasksMentioning(String marker) {
        List<String> ids = new ArrayList<>();
        for (var key : redis.cmd(Command.KEYS, "rhai_task_details:*")) {
            String scope = redis.string(Command.HGET, key.toString(), "scope");
            if (scope != null && scope.contains(marker)) {
                String name = key.toString();
                ids.add(name.substring(name.lastIndexOf(':') + 1));
            }
        }
        return ids;
    }

    /** The task hash of {@code taskId}, whichever circle it belongs to (empty when there is none). */
    Map<String, String> task(String taskId) {
        var keys = redis.cmd(Command.KEYS, "rhai_task_details:*:" + taskId);
        return keys.size() == 0 ? Map.of() : redis.hash(keys.get(0).toString());
    }

    /** The idempotency mark of a Stripe event. */
    static String stripeMark(String circle, String eventId) {
        return KEYS.seen(canonical(circle), "stripe", eventId);
    }
}
