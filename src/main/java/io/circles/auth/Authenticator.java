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

    /**
     * A fresh nonce for {@code canonicalKey} on {@code circle}. Its text starts with
     * {@code nonce_<unix seconds>_<128 random bits as hex>} and, like an EIP-4361 sign-in message, names the server
     * domain ({@code circles.auth.domain}, else the Host the client connected to) and the circle, so the signer sees
     * where the signature is good for and a signature relayed from elsewhere names the wrong place.
     */
    public Nonce issue(String canonicalKey, String circle, String requestHost) {
        byte[] bytes = new byte[NONCE_BYTES];
        random.nextBytes(bytes);
        Instant now = clock.instant();
        String domain = config.auth().domain().orElse(requestHost == null || requestHost.isBlank() ? "unknown-host" : requestHost);
        String value = "nonce_" + now.getEpochSecond() + "_" + HexFormat.of().formatHex(bytes)
                + "\n" + domain + " asks you to sign in to circle " + circle + " as " + canonicalKey + ".";
        return new Nonce(value, canonicalKey, now.plus(config.auth().nonceTtl()), circle, domain);
    }

    /** The outcome of an authentication attempt: the canonical key on success, otherwise the reason. */
    public record Verdict(String canonicalKey, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    /**
     * Checks an answer to {@code pending}. The caller must already have removed {@code pending} from the
     * connection: a nonce is consumed by any attempt, good or bad. The key is decoded once, here. {@code circle}
     * is the connection's: a nonce names the circle it was issued on and is good for that circle only.
     */
    public Verdict check(Nonce pending, String circle, String publicKey, String signatureHex) {
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
        if (!pending.circle().equals(circle) || !pending.value().contains(" circle " + circle + " ")) {
            return new Verdict(null, "Nonce was issued for another circle");
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
