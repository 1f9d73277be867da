package io.circles.webhook;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.net.URI;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.circles.crypto.KeyPair;
import io.circles.support.TestCircles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Webhook deliveries against the packaged application: accepted once, duplicates, bad signatures, unknown circles. */
@QuarkusIntegrationTest
class WebhookIT {

    @TestHTTPResource("/")
    URI base;

    @Test
    void a_signed_stripe_event_is_accepted_once_and_queued_for_the_handler() {
        WebhookTraffic traffic = new WebhookTraffic(base, null, null);
        byte[] body = WebhookTraffic.stripeEvent(WebhookTraffic.newEventId(), 1234);
        String header = WebhookTraffic.stripeHeader(WebhookTraffic.STRIPE_SECRET, Instant.now().getEpochSecond(), body);
        traffic.stripe(TestCircles.CIRCLE_B, header, body).then().statusCode(200)
                .body("duplicate", equalTo(false)).body("task_id", notNullValue());
        traffic.stripe(TestCircles.CIRCLE_B, header, body).then().statusCode(200).body("duplicate", equalTo(true));
    }

    @Test
    void bad_signatures_and_unknown_circles_are_refused() {
        WebhookTraffic traffic = new WebhookTraffic(base, null, null);
        byte[] body = WebhookTraffic.stripeEvent(WebhookTraffic.newEventId(), 1);
        String header = WebhookTraffic.stripeHeader("whsec_wrong", Instant.now().getEpochSecond(), body);
        traffic.stripe(TestCircles.CIRCLE_A, header, body).then().statusCode(400);
        String good = WebhookTraffic.stripeHeader(WebhookTraffic.STRIPE_SECRET, Instant.now().getEpochSecond(), body);
        traffic.stripe(KeyPair.generate().publicKeyCompressed(), good, body).then().statusCode(404);
        traffic.idenfy(TestCircles.CIRCLE_A, "00", WebhookTraffic.idenfyCallback("scan-it", true, "APPROVED")).then().statusCode(400);
    }
}
