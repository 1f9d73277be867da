package io.circles.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;

import jakarta.inject.Singleton;

import io.circles.config.CirclesConfig;
import io.circles.crypto.SignatureVerifier;

/**
 * Issues nonces and checks signed answers (EIP-191 {@code personal_sign} over the nonce text). Holds no
 * state itself: the pending nonce lives in the connection's {@link io.circles.ws.ConnectionState}.
 */
@Singleton
public class Authenticator {
    private static final int NONCE_BYTES = 16;

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final CirclesConfig config;

    public Authenticator(Clock clock, CirclesConfig config) {
        this.clock = clock;
        this.config = config;
    }

    /** A fresh nonce for {@code canonicalKey}: {@code nonce_<unix seconds>_<128 random bits as hex>}. */
    public Nonce issue(String canonicalKey) {
        byte[] bytes = new byte[NONCE_BYTES];
        random.nextBytes(bytes);
        Instant now = clock.instant();
        String value = "nonce_" + now.getEpochSecond() + "_" + HexFormat.of().formatHex(bytes);
        return new Nonce(value, canonicalKey, now.plus(config.auth().nonceTtl()));
    }

    /**
     * Checks an answer to {@code pending}. The caller must already have removed {@code pending} from the
     * connection: a nonce is consumed by any attempt, good or bad.
     *
     * @return {@code null} when the answer is valid, otherwise the reason it is not
     */
    public String check(Nonce pending, String canonicalKey, String signatureHex) {
        if (pending == null) {
            return "No nonce pending on this connection: call fetch_nonce first";
        }
        if (pending.expiredAt(clock.instant())) {
            return "Nonce expired: call fetch_nonce again";
        }
        if (!pending.publicKey().equals(canonicalKey)) {
            return "Nonce was issued for another public key";
        }
        if (!SignatureVerifier.verifyPersonalSign(canonicalKey, pending.value(), signatureHex)) {
            return "Invalid signature";
        }
        return null;
    }
}
