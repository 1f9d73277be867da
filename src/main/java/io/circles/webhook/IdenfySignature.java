package io.circles.webhook;

/**
 * Verifies an {@code Idenfy-Signature} header: {@code hex(HMAC-SHA256(signing key, rawBody))}. Hex is read
 * case-insensitively (it names the same bytes either way).
 */
public final class IdenfySignature {
    private IdenfySignature() {
    }

    public static boolean verify(String header, byte[] body, String secret) {
        return header != null && !header.isBlank() && Hmac.matches(Hmac.sha256(secret, body), header.strip());
    }
}
