package io.circles.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;

import jakarta.inject.Singleton;

import io.circles.config.CirclesConfig;
import org.bouncycastle.math.ec.ECPoint;

import io.circles.crypto.Eip191;
import io.circles.crypto.EthSignature;
import io.circles.crypto.Secp256k1;
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

    /** The outcome of an authentication attempt: the canonical key on success, otherwise the reason. */
    public record Verdict(String canonicalKey, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    /**
     * Checks an answer to {@code pending}. The caller must already have removed {@code pending} from the
     * connection: a nonce is consumed by any attempt, good or bad. The key is decoded once, here.
     */
    public Verdict check(Nonce pending, String publicKey, String signatureHex) {
        ECPoint point;
        try {
            point = Secp256k1.decodePublicKey(publicKey);
        } catch (IllegalArgumentException e) {
            return new Verdict(null, "pubkey is not a secp256k1 public key");
        }
        String canonicalKey = Secp256k1.canonical(point);
        if (pending == null) {
            return new Verdict(null, "No nonce pending on this connection: call fetch_nonce first");
        }
        if (pending.expiredAt(clock.instant())) {
            return new Verdict(null, "Nonce expired: call fetch_nonce again");
        }
        if (!pending.publicKey().equals(canonicalKey)) {
            return new Verdict(null, "Nonce was issued for another public key");
        }
        EthSignature signature;
        try {
            signature = EthSignature.parse(signatureHex);
        } catch (IllegalArgumentException e) {
            return new Verdict(null, "Invalid signature: " + e.getMessage());
        }
        if (!SignatureVerifier.verify(point, Eip191.digest(pending.value()), signature)) {
            return new Verdict(null, "Invalid signature");
        }
        return new Verdict(canonicalKey, null);
    }
}
