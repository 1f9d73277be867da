package io.circles.crypto;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * A 65-byte Ethereum signature {@code r ‖ s ‖ v}. {@code v} may be 27/28 (wallets) or 0/1 (raw recovery id).
 * Parsing enforces the range rules wallets rely on: {@code 1 ≤ r, s < n} and low-s (EIP-2), so a malleable
 * twin of a valid signature is refused.
 */
public record EthSignature(BigInteger r, BigInteger s, int recoveryId) {

    /** Parses hex (optional {@code 0x}); throws {@link IllegalArgumentException} with the reason. */
    public static EthSignature parse(String hex) {
        byte[] bytes = Hex.decode(hex);
        if (bytes.length != 65) {
            throw new IllegalArgumentException("signature must be 65 bytes (r ‖ s ‖ v)");
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(bytes, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(bytes, 32, 64));
        int v = bytes[64] & 0xff;
        int recoveryId = switch (v) {
            case 27, 28 -> v - 27;
            case 0, 1 -> v;
            default -> throw new IllegalArgumentException("signature v must be 27, 28, 0 or 1");
        };
        if (r.signum() == 0 || r.compareTo(Secp256k1.N) >= 0 || s.signum() == 0 || s.compareTo(Secp256k1.N) >= 0) {
            throw new IllegalArgumentException("signature r or s out of range");
        }
        if (s.compareTo(Secp256k1.HALF_N) > 0) {
            throw new IllegalArgumentException("signature is not canonical (high s)");
        }
        return new EthSignature(r, s, recoveryId);
    }

    /** Hex with {@code 0x} and v as 27/28, the form wallets produce. */
    public String toHex() {
        byte[] out = new byte[65];
        copy32(r, out, 0);
        copy32(s, out, 32);
        out[64] = (byte) (27 + recoveryId);
        return "0x" + Hex.encode(out);
    }

    private static void copy32(BigInteger value, byte[] out, int offset) {
        byte[] raw = value.toByteArray();
        int skip = raw.length > 32 ? raw.length - 32 : 0;
        System.arraycopy(raw, skip, out, offset + 32 - (raw.length - skip), raw.length - skip);
    }
}
