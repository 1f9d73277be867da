package io.circles.events;

import static io.restassured.RestAssured.given;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.circles.support.Vectors;

/** Signed Stripe deliveries, as Stripe sends them, for the subscription tests. */
public final class StripeDeliveries {
    static final String STRIPE_SECRET = Vectors.load("stripe-webhooks.json").get("valid").get(0).get("secret").asText();

    private StripeDeliveries() {
    }

    public static String newEventId() {
        return "evt_live_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** Posts a signed {@code payment_intent.succeeded}; returns the HTTP status. */
    public static int stripe(URI base, String circle, String eventId, long amount) {
        byte[] body = ("{\"id\":\"" + eventId + "\",\"object\":\"event\",\"type\":\"payment_intent.succeeded\",\"data\":{\"object\":{\"amount\":"
                + amount + "}}}").getBytes(StandardCharsets.UTF_8);
        long t = Instant.now().getEpochSecond();
        return given().baseUri(base.toString()).header("Stripe-Signature", "t=" + t + ",v1=" + hmac(t + "." + new String(body, StandardCharsets.UTF_8)))
                .contentType("application/json").body(body).post("/webhooks/stripe/" + circle).statusCode();
    }

    private static String hmac(String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(STRIPE_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
