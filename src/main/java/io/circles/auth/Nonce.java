package io.circles.auth;

import java.time.Instant;

/**
 * A challenge handed out by {@code fetch_nonce}: single-use, bound to one connection, one public key, and the
 * circle and server domain its text names (so a signature of it is worthless on another circle or server).
 */
public record Nonce(String value, String publicKey, Instant expiresAt, String circle, String domain) {

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
