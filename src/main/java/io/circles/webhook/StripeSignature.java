package io.circles.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies a {@code Stripe-Signature} header: {@code t=<unix seconds>,v1=<hex>[,v1=<hex>…]} where
 * {@code v1 = hex(HMAC-SHA256(secret, t + "." + rawBody))}. Any {@code v1} may match any configured secret
 * (rotation); other schemes ({@code v0}) are ignored; {@code t} must be within the tolerance of now.
 */
public final class StripeSignature {

    /** Why a header was refused, or {@code VALID}. */
    public enum Verdict { VALID, MALFORMED, NO_SIGNATURE, MISMATCH, STALE }

    private StripeSignature() {
    }

    public static Verdict verify(String header, byte[] body, List<String> secrets, Instant now, Duration tolerance) {
        if (header == null || header.isBlank()) {
            return Verdict.MALFORMED;
        }
        Long timestamp = null;
        List<String> signatures = new ArrayList<>();
        for (String element : header.split(",")) {
            int eq = element.indexOf('=');
            if (eq <= 0) {
                return Verdict.MALFORMED;
            }
            String key = element.substring(0, eq).strip();
            String value = element.substring(eq + 1).strip();
            if (key.equals("t")) {
                try {
                    timestamp = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    return Verdict.MALFORMED;
                }
            } else if (key.equals("v1")) {
                signatures.add(value);
            }
        }
        if (timestamp == null) {
            return Verdict.MALFORMED;
        }
        if (signatures.isEmpty()) {
            return Verdict.NO_SIGNATURE;
        }
        byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.UTF_8);
        boolean matched = false;
        for (String secret : secrets) {
            byte[] expected = Hmac.sha256(secret, prefix, body);
            for (String signature : signatures) {
                matched |= Hmac.matches(expected, signature);
            }
        }
        if (!matched) {
            return Verdict.MISMATCH;
        }
        long skew = Math.abs(now.getEpochSecond() - timestamp);
        return skew > tolerance.toSeconds() ? Verdict.STALE : Verdict.VALID;
    }
}
