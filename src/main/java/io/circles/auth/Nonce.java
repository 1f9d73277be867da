package io.circles.auth;

import java.time.Instant;

/** A challenge handed out by {@code fetch_nonce}: single-use, bound to one connection and one public key. */
public record Nonce(String value, String publicKey, Instant expiresAt) {

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
