package io.circles.crypto;

import java.util.HexFormat;

/** Hex helpers that accept the optional {@code 0x} prefix used throughout the Ethereum ecosystem. */
public final class Hex {
    private static final HexFormat LOWER = HexFormat.of();

    private Hex() {
    }

    /** Decodes hex with or without {@code 0x}; throws {@link IllegalArgumentException} on anything else. */
    public static byte[] decode(String text) {
        if (text == null) {
            throw new IllegalArgumentException("hex string is missing");
        }
        String digits = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException("hex string has an odd number of digits");
        }
        try {
            return LOWER.parseHex(digits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a hex string");
        }
    }

    /** Lower-case hex without prefix. */
    public static String encode(byte[] bytes) {
        return LOWER.formatHex(bytes);
    }
}
