package io.circles.crypto;

import java.nio.charset.StandardCharsets;

import org.bouncycastle.crypto.digests.KeccakDigest;

/** Ethereum's {@code personal_sign} message digest (EIP-191 version 0x45). */
public final class Eip191 {
    private static final byte[] PREFIX = "\u0019Ethereum Signed Message:\n".getBytes(StandardCharsets.UTF_8);

    private Eip191() {
    }

    /** keccak256("\x19Ethereum Signed Message:\n" + byteLength(message) + message), message as UTF-8. */
    public static byte[] digest(String message) {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        byte[] length = Integer.toString(body.length).getBytes(StandardCharsets.US_ASCII);
        KeccakDigest keccak = new KeccakDigest(256);
        keccak.update(PREFIX, 0, PREFIX.length);
        keccak.update(length, 0, length.length);
        keccak.update(body, 0, body.length);
        byte[] out = new byte[32];
        keccak.doFinal(out, 0);
        return out;
    }
}
