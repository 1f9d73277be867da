package io.circles.circle;

import io.circles.crypto.Secp256k1;

/** Circle and client keys: any accepted encoding in, one canonical text out. */
public final class CircleKeys {
    private CircleKeys() {
    }

    /** Canonical form (compressed, lower-case hex, no prefix) or {@code null} when the text is not a public key. */
    public static String canonicalOrNull(String text) {
        if (text == null || text.length() > 132) {
            return null;
        }
        try {
            return Secp256k1.canonicalPublicKey(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
