package io.circles.metrics;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Random;

/**
 * A W3C Trace Context {@code traceparent} value ({@code 00-<trace id>-<parent span id>-<flags>}). Carried in the
 * task hash so a worker in another process continues the caller's trace, with or without an OpenTelemetry SDK.
 *
 * @param traceId 32 lower-case hex digits, not all zero
 * @param spanId  16 lower-case hex digits, not all zero
 * @param flags   2 hex digits ({@code 01} = sampled)
 */
public record Traceparent(String traceId, String spanId, String flags) {
    private static final Random RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_SPAN = "0".repeat(16);

    /**
     * Parses a header value; {@code null} when it is absent or not valid (an invalid header starts a new trace, as
     * the specification says, rather than failing the request).
     */
    public static Traceparent parse(String header) {
        if (header == null) {
            return null;
        }
        String value = header.strip();
        if (value.length() < 55 || value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-') {
            return null;
        }
        String version = value.substring(0, 2);
        // version 00 is exactly 55 characters; later versions may append fields after another '-'
        if (!isHex(version) || version.equals("ff") || (version.equals("00") ? value.length() != 55
                : value.length() > 55 && value.charAt(55) != '-')) {
            return null;
        }
        String traceId = value.substring(3, 35);
        String spanId = value.substring(36, 52);
        String flags = value.substring(53, 55);
        if (!isHex(traceId) || !isHex(spanId) || !isHex(flags) || traceId.equals(ZERO_TRACE) || spanId.equals(ZERO_SPAN)) {
            return null;
        }
        return new Traceparent(traceId, spanId, flags);
    }

    /** A new sampled trace with a random root span id. */
    public static Traceparent random() {
        return new Traceparent(randomHex(16, ZERO_TRACE), randomHex(8, ZERO_SPAN), "01");
    }

    /** The same trace, with a new span id: what a hop that has no tracer passes on. */
    public Traceparent child() {
        return new Traceparent(traceId, randomHex(8, ZERO_SPAN), flags);
    }

    public boolean sampled() {
        return (HEX.fromHexDigits(flags) & 1) == 1;
    }

    /** The header value. */
    public String format() {
        return "00-" + traceId + "-" + spanId + "-" + flags;
    }

    @Override
    public String toString() {
        return format();
    }

    private static String randomHex(int bytes, String zero) {
        byte[] raw = new byte[bytes];
        String hex;
        do {
            RANDOM.nextBytes(raw);
            hex = HEX.formatHex(raw);
        } while (hex.equals(zero));
        return hex;
    }

    /** Lower-case hex only: the specification forbids upper case. */
    private static boolean isHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
