package io.circles.webhook;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.bouncycastle.crypto.digests.SHA256Digest;

import com.fasterxml.jackson.databind.JsonNode;

/** The typed core of an iDenfy verification callback. */
public record IdenfyCallback(String clientId, String scanRef, boolean isFinal, String overall, JsonNode status) {

    /** Reads the callback; throws {@link IllegalArgumentException} when {@code scanRef} is missing. */
    public static IdenfyCallback from(JsonNode body) {
        JsonNode scanRef = body.get("scanRef");
        if (scanRef == null || !scanRef.isTextual() || scanRef.asText().isEmpty()) {
            throw new IllegalArgumentException("an iDenfy callback needs a scanRef");
        }
        return new IdenfyCallback(body.path("clientId").asText(null), scanRef.asText(), body.path("final").asBoolean(),
                body.path("status").path("overall").asText(null), body.path("status"));
    }

    /**
     * iDenfy calls back more than once per scan (a non-final result, then the final one), so identity is the
     * scanRef plus the content that changes between those calls.
     */
    public WebhookEvent toEvent(JsonNode body) {
        String key = scanRef + ":" + (isFinal ? "final" : "interim") + ":" + fingerprint(status.toString());
        return new WebhookEvent("idenfy", key, overall == null ? "unknown" : overall, body);
    }

    private static String fingerprint(String text) {
        SHA256Digest digest = new SHA256Digest();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update(bytes, 0, bytes.length);
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return HexFormat.of().formatHex(out, 0, 16);
    }
}
