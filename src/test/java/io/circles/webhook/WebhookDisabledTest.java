package io.circles.webhook;

import static io.circles.webhook.WebhookTraffic.IDENFY_SECRET;
import static io.circles.webhook.WebhookTraffic.idenfyCallback;
import static io.circles.webhook.WebhookTraffic.idenfySignature;
import static io.circles.webhook.WebhookTraffic.newEventId;
import static io.circles.webhook.WebhookTraffic.stripeEvent;
import static io.circles.webhook.WebhookTraffic.stripeHeader;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.circles.support.TestCircles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** Without a signing secret an endpoint is disabled: 404 with a clear reason, even for a correctly signed body. */
@QuarkusTest
@TestProfile(WebhookDisabledTest.NoSecrets.class)
class WebhookDisabledTest {

    /** Both secrets unset (an empty value is no value); no in-process worker, nothing is dispatched here. */
    public static class NoSecrets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("circles.webhooks.stripe.secret", "",
                    "circles.webhooks.idenfy.secret", "",
                    "circles.worker.enabled", "false");
        }
    }

    @TestHTTPResource("/")
    URI base;

    private Response post(String provider, String header, String signature, byte[] body) {
        return given().baseUri(base.toString()).contentType("application/json").header(header, signature).body(body)
                .post("/webhooks/" + provider + "/" + TestCircles.CIRCLE_A);
    }

    @Test
    void a_provider_without_a_secret_answers_404_saying_the_endpoint_is_disabled() {
        byte[] event = stripeEvent(newEventId(), 1);
        Response stripe = post("stripe", "Stripe-Signature", stripeHeader(event), event);
        assertEquals(404, stripe.statusCode(), stripe.asString());
        assertTrue(stripe.jsonPath().getString("error").contains("disabled"), stripe.asString());

        byte[] callback = idenfyCallback(UUID.randomUUID().toString(), true, "APPROVED");
        Response idenfy = post("idenfy", "Idenfy-Signature", idenfySignature(IDENFY_SECRET, callback), callback);
        assertEquals(404, idenfy.statusCode(), idenfy.asString());
        assertTrue(idenfy.jsonPath().getString("error").contains("disabled"), idenfy.asString());
    }
}
