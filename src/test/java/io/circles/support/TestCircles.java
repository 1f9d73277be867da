package io.circles.support;

import io.circles.crypto.KeyPair;

/**
 * Keys used across tests. The served circles are fixed in the {@code %test} profile of application.properties
 * ({@code circles.keys}); their private keys are known here so tests can sign as the circle itself.
 */
public final class TestCircles {
    /** Served circle A (private key 0x…a1). */
    public static final KeyPair CIRCLE_A_KEY = KeyPair.fromPrivateKey("0x" + "a1".repeat(32));
    /** Served circle B (private key 0x…b2). */
    public static final KeyPair CIRCLE_B_KEY = KeyPair.fromPrivateKey("0x" + "b2".repeat(32));
    public static final String CIRCLE_A = CIRCLE_A_KEY.publicKeyCompressed();
    public static final String CIRCLE_B = CIRCLE_B_KEY.publicKeyCompressed();

    private TestCircles() {
    }
}
