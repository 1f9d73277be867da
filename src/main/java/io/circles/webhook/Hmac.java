package io.circles.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/** HMAC-SHA256 and a constant-time comparison of hex signatures (case-insensitive: hex names bytes). */
final class Hmac {
    private Hmac() {
    }

    static byte[] sha256(String secret, byte[]... parts) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(secret.getBytes(StandardCharsets.UTF_8)));
        for (byte[] part : parts) {
            mac.update(part, 0, part.length);
        }
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return out;
    }

    /** Whether {@code hex} encodes exactly {@code expected}; time does not depend on where they differ. */
    static boolean matches(byte[] expected, String hex) {
        if (hex == null || hex.length() != expected.length * 2) {
            return false;
        }
        byte[] given = new byte[expected.length];
        for (int i = 0; i < given.length; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                return false;
            }
            given[i] = (byte) (hi << 4 | lo);
        }
        return MessageDigest.isEqual(expected, given);
    }
}
