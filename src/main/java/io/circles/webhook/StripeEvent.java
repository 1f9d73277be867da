package io.circles.webhook;

import com.fasterxml.jackson.databind.JsonNode;

/** The typed core of a Stripe event: {@code id, type, created, livemode, data.object}. */
public record StripeEvent(String id, String type, long created, boolean livemode, JsonNode dataObject) {

    /** Reads the fields Stripe always sends; throws {@link IllegalArgumentException} when one is missing. */
    public static StripeEvent from(JsonNode body) {
        JsonNode id = body.get("id");
        JsonNode type = body.get("type");
        if (id == null || !id.isTextual() || id.asText().isEmpty() || type == null || !type.isTextual()) {
            throw new IllegalArgumentException("a Stripe event needs a string id and type");
        }
        return new StripeEvent(id.asText(), type.asText(), body.path("created").asLong(), body.path("livemode").asBoolean(),
                body.path("data").path("object"));
    }

    public WebhookEvent toEvent(JsonNode body) {
        return new WebhookEvent("stripe", id, type, body);
    }
}
