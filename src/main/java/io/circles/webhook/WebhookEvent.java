package io.circles.webhook;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A verified provider event, reduced to what routing and de-duplication need; {@code payload} is the whole
 * parsed body, handed to the handler script as {@code event}.
 *
 * @param provider       {@code stripe} or {@code idenfy}
 * @param idempotencyKey identity of the delivery's content: a Stripe event id, or an iDenfy scanRef plus its final/status
 * @param type           event type (Stripe {@code type}, iDenfy {@code status.overall})
 * @param payload        the parsed body
 */
public record WebhookEvent(String provider, String idempotencyKey, String type, JsonNode payload) {
}
