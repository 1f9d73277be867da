package io.circles.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.support.Vectors;
import io.circles.webhook.StripeSignature.Verdict;

/**
 * {@code Stripe-Signature} verification against the stripe-node vectors, with the clock fixed at each
 * vector's timestamp, plus the tolerance window and secret rotation.
 */
class StripeSignatureTest {
    private static final JsonNode VECTORS = Vectors.load("stripe-webhooks.json");
    private static final Duration TOLERANCE = Duration.ofSeconds(300);
    private static final JsonNode FIRST = VECTORS.get("valid").get(0);
    private static final String SECRET = FIRST.get("secret").asText();
    private static final byte[] BODY = bytes(FIRST.get("payload").asText());
    private static final long T = FIRST.get("timestamp").asLong();

    /** Why each invalid vector is refused. */
    private static final Map<String, Verdict> EXPECTED = Map.of(
            "wrong secret", Verdict.MISMATCH,
            "payload modified after signing", Verdict.MISMATCH,
            "timestamp in header changed", Verdict.MISMATCH,
            "no v1 signature (only v0)", Verdict.NO_SIGNATURE,
            "malformed header", Verdict.MALFORMED);

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Verdict verifyAt(long now, String header, byte[] body, String... secrets) {
        return StripeSignature.verify(header, body, List.of(secrets), Instant.ofEpochSecond(now), TOLERANCE);
    }

    private static String sign(String secret, long t, byte[] body) {
        return HexFormat.of().formatHex(Hmac.sha256(secret, bytes(t + "."), body));
    }

    @TestFactory
    Stream<DynamicTest> every_valid_vector_verifies_at_its_own_timestamp() {
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (JsonNode v : VECTORS.get("valid")) {
            String name = "valid #" + i++ + (v.has("note") ? ": " + v.get("note").asText() : ": " + v.get("header").asText().substring(0, 12));
            tests.add(DynamicTest.dynamicTest(name, () -> assertEquals(Verdict.VALID,
                    verifyAt(v.get("timestamp").asLong(), v.get("header").asText(), bytes(v.get("payload").asText()), v.get("secret").asText()))));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> every_invalid_vector_is_refused_for_its_reason() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode v : VECTORS.get("invalid")) {
            String why = v.get("why").asText();
            tests.add(DynamicTest.dynamicTest(why, () -> {
                // the vector's secret is the one the server verifies with ("wrong secret": not the signer's)
                Verdict verdict = verifyAt(v.get("timestamp").asLong(), v.get("header").asText(), bytes(v.get("payload").asText()),
                        v.get("secret").asText());
                assertNotEquals(Verdict.VALID, verdict);
                if (EXPECTED.containsKey(why)) {
                    assertEquals(EXPECTED.get(why), verdict);
                }
            }));
        }
        return tests.stream();
    }

    @Test
    void the_wrong_secret_vector_carries_a_genuine_signature_that_the_right_secret_accepts() {
        for (JsonNode v : VECTORS.get("invalid")) {
            if (v.get("why").asText().equals("wrong secret")) {
                assertEquals(Verdict.VALID, verifyAt(v.get("timestamp").asLong(), v.get("header").asText(),
                        bytes(v.get("payload").asText()), SECRET));
            }
        }
    }

    @Test
    void timestamps_within_the_tolerance_either_side_of_now_are_accepted() {
        String header = FIRST.get("header").asText();
        assertEquals(Verdict.VALID, verifyAt(T + 300, header, BODY, SECRET));
        assertEquals(Verdict.VALID, verifyAt(T - 300, header, BODY, SECRET));
    }

    @Test
    void a_stale_timestamp_beyond_the_tolerance_is_refused() {
        assertEquals(Verdict.STALE, verifyAt(T + 301, FIRST.get("header").asText(), BODY, SECRET));
        assertEquals(Verdict.STALE, verifyAt(T + 86_400, FIRST.get("header").asText(), BODY, SECRET));
    }

    @Test
    void a_timestamp_in_the_future_beyond_the_tolerance_is_refused_too() {
        // stricter than stripe-node, which only refuses old timestamps: our window is symmetric
        assertEquals(Verdict.STALE, verifyAt(T - 301, FIRST.get("header").asText(), BODY, SECRET));
    }

    @Test
    void the_tolerance_is_a_parameter() {
        String header = FIRST.get("header").asText();
        Instant now = Instant.ofEpochSecond(T + 10);
        assertEquals(Verdict.STALE, StripeSignature.verify(header, BODY, List.of(SECRET), now, Duration.ofSeconds(5)));
        assertEquals(Verdict.VALID, StripeSignature.verify(header, BODY, List.of(SECRET), now, Duration.ofSeconds(10)));
    }

    @Test
    void any_of_several_v1_values_may_match_in_any_position() {
        String good = sign(SECRET, T, BODY);
        String bad = "0".repeat(64);
        assertEquals(Verdict.VALID, verifyAt(T, "t=" + T + ",v1=" + good + ",v1=" + bad, BODY, SECRET));
        assertEquals(Verdict.VALID, verifyAt(T, "t=" + T + ",v1=" + bad + ",v1=" + good + ",v1=" + bad, BODY, SECRET));
        assertEquals(Verdict.VALID, verifyAt(T, "v1=" + good + ",t=" + T, BODY, SECRET));
        assertEquals(Verdict.MISMATCH, verifyAt(T, "t=" + T + ",v1=" + bad + ",v1=" + bad, BODY, SECRET));
    }

    @Test
    void during_rotation_either_configured_secret_verifies() {
        String old = "whsec_old_secret";
        String current = "whsec_new_secret";
        assertEquals(Verdict.VALID, verifyAt(T, "t=" + T + ",v1=" + sign(old, T, BODY), BODY, current, old));
        assertEquals(Verdict.VALID, verifyAt(T, "t=" + T + ",v1=" + sign(current, T, BODY), BODY, current, old));
        assertEquals(Verdict.MISMATCH, verifyAt(T, "t=" + T + ",v1=" + sign("whsec_third", T, BODY), BODY, current, old));
    }

    @Test
    void v0_and_unknown_schemes_are_ignored_next_to_a_valid_v1() {
        String header = "t=" + T + ",v0=" + "ab".repeat(32) + ",v1=" + sign(SECRET, T, BODY) + ",v2=zz";
        assertEquals(Verdict.VALID, verifyAt(T, header, BODY, SECRET));
    }

    @Test
    void a_stale_timestamp_with_a_wrong_signature_is_reported_as_a_mismatch() {
        assertEquals(Verdict.MISMATCH, verifyAt(T + 10_000, "t=" + T + ",v1=" + "0".repeat(64), BODY, SECRET));
    }

    @Test
    void missing_blank_and_malformed_headers_are_malformed() {
        String v1 = sign(SECRET, T, BODY);
        assertEquals(Verdict.MALFORMED, verifyAt(T, null, BODY, SECRET));
        assertEquals(Verdict.MALFORMED, verifyAt(T, "", BODY, SECRET));
        assertEquals(Verdict.MALFORMED, verifyAt(T, "   ", BODY, SECRET));
        assertEquals(Verdict.MALFORMED, verifyAt(T, "v1=" + v1, BODY, SECRET), "no t");
        assertEquals(Verdict.MALFORMED, verifyAt(T, "t=abc,v1=" + v1, BODY, SECRET), "t not a number");
        assertEquals(Verdict.MALFORMED, verifyAt(T, "t=" + T + ",=" + v1, BODY, SECRET), "empty key");
        assertEquals(Verdict.NO_SIGNATURE, verifyAt(T, "t=" + T, BODY, SECRET));
    }

    @Test
    void spaces_around_elements_are_tolerated() {
        assertEquals(Verdict.VALID, verifyAt(T, " t=" + T + " , v1=" + sign(SECRET, T, BODY) + " ", BODY, SECRET));
    }

    @Test
    void hex_is_read_case_insensitively_but_must_be_whole_and_hex() {
        String v1 = sign(SECRET, T, BODY);
        assertEquals(Verdict.VALID, verifyAt(T, "t=" + T + ",v1=" + v1.toUpperCase(), BODY, SECRET));
        assertEquals(Verdict.MISMATCH, verifyAt(T, "t=" + T + ",v1=" + v1.substring(2), BODY, SECRET), "truncated");
        assertEquals(Verdict.MISMATCH, verifyAt(T, "t=" + T + ",v1=" + v1 + "00", BODY, SECRET), "too long");
        assertEquals(Verdict.MISMATCH, verifyAt(T, "t=" + T + ",v1=" + "zz" + v1.substring(2), BODY, SECRET), "not hex");
    }

    @Test
    void the_signature_covers_the_raw_bytes_not_the_parsed_json() {
        // the same JSON re-serialised without the pretty-printing no longer matches
        byte[] compact = bytes(FIRST.get("payload").asText().replace("\n", "").replace("  ", ""));
        assertEquals(Verdict.MISMATCH, verifyAt(T, FIRST.get("header").asText(), compact, SECRET));
    }
}
