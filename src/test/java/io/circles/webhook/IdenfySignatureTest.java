package io.circles.webhook;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.support.Vectors;

/** {@code Idenfy-Signature} verification against the shared iDenfy vectors. */
class IdenfySignatureTest {
    private static final JsonNode VECTORS = Vectors.load("idenfy-webhooks.json");
    private static final JsonNode FIRST = VECTORS.get("valid").get(0);
    private static final String SECRET = FIRST.get("secret").asText();
    private static final String UPPERCASE = "uppercase hex of a valid signature: accept or reject, but document it";

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @TestFactory
    Stream<DynamicTest> every_valid_vector_verifies() {
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (JsonNode v : VECTORS.get("valid")) {
            tests.add(DynamicTest.dynamicTest("valid #" + i++ + " (" + v.get("signature").asText().substring(0, 8) + "…)",
                    () -> assertTrue(IdenfySignature.verify(v.get("signature").asText(), bytes(v.get("body").asText()), v.get("secret").asText()))));
        }
        return tests.stream();
    }

    /**
     * Every invalid vector is refused, except the uppercase-hex one, which we ACCEPT on purpose: hex is read
     * case-insensitively since both spellings name the same 32 bytes (docs/WEBHOOK_ARCHITECTURE.md).
     */
    @TestFactory
    Stream<DynamicTest> every_invalid_vector_is_refused_except_uppercase_hex_which_we_accept() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode v : VECTORS.get("invalid")) {
            String why = v.get("why").asText();
            tests.add(DynamicTest.dynamicTest(why, () -> {
                // the vector's secret is the one the server verifies with ("wrong secret": not the signer's)
                boolean accepted = IdenfySignature.verify(v.get("signature").asText(), bytes(v.get("body").asText()), v.get("secret").asText());
                if (why.equals(UPPERCASE)) {
                    assertTrue(v.path("ambiguous").asBoolean());
                    assertTrue(accepted, "uppercase hex is accepted by design");
                } else {
                    assertFalse(accepted);
                }
            }));
        }
        return tests.stream();
    }

    @Test
    void the_wrong_secret_vector_carries_a_genuine_signature_that_the_right_key_accepts() {
        for (JsonNode v : VECTORS.get("invalid")) {
            if (v.get("why").asText().equals("wrong secret")) {
                assertTrue(IdenfySignature.verify(v.get("signature").asText(), bytes(v.get("body").asText()), SECRET));
            }
        }
    }

    @Test
    void a_missing_or_blank_header_is_refused() {
        byte[] body = bytes(FIRST.get("body").asText());
        assertFalse(IdenfySignature.verify(null, body, SECRET));
        assertFalse(IdenfySignature.verify("", body, SECRET));
        assertFalse(IdenfySignature.verify("   ", body, SECRET));
    }

    @Test
    void surrounding_whitespace_is_ignored_but_truncated_or_non_hex_signatures_are_refused() {
        byte[] body = bytes(FIRST.get("body").asText());
        String signature = FIRST.get("signature").asText();
        assertTrue(IdenfySignature.verify(" " + signature + " ", body, SECRET));
        assertFalse(IdenfySignature.verify(signature.substring(1), body, SECRET));
        assertFalse(IdenfySignature.verify(signature + "0", body, SECRET));
        assertFalse(IdenfySignature.verify("g" + signature.substring(1), body, SECRET));
        assertFalse(IdenfySignature.verify("sha256=" + signature, body, SECRET), "no scheme prefix is expected");
    }

    @Test
    void one_changed_byte_of_the_body_fails() {
        byte[] body = bytes(FIRST.get("body").asText());
        body[body.length - 2] ^= 1;
        assertFalse(IdenfySignature.verify(FIRST.get("signature").asText(), body, SECRET));
    }
}
