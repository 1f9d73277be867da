package io.circles.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.support.Vectors;

/** EIP-191 signatures checked against the ethers v6 vectors in ../shared/vectors. */
class SignatureVerifierTest {
    private static final JsonNode VECTORS = Vectors.load("eip191-secp256k1.json");

    @TestFactory
    List<DynamicTest> every_valid_vector_verifies_with_both_key_forms_and_both_v_forms() {
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (JsonNode v : VECTORS.get("valid")) {
            String name = "valid #" + (i++) + " " + v.get("message").asText();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                for (String key : List.of(v.get("publicKeyCompressed").asText(), v.get("publicKeyUncompressed").asText())) {
                    assertTrue(SignatureVerifier.verifyPersonalSign(key, v.get("message").asText(), v.get("signature").asText()));
                    assertTrue(SignatureVerifier.verifyPersonalSign(key, v.get("message").asText(), v.get("signatureV01").asText()));
                }
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> every_invalid_vector_is_rejected() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode v : VECTORS.get("invalid")) {
            tests.add(DynamicTest.dynamicTest(v.get("why").asText(), () -> assertFalse(SignatureVerifier.verifyPersonalSign(
                    v.get("publicKey").asText(), v.get("message").asText(), v.get("signature").asText()))));
        }
        return tests;
    }

    @Test
    void digest_matches_the_wallet_library() {
        for (JsonNode v : VECTORS.get("valid")) {
            assertEquals(v.get("eip191Digest").asText(), "0x" + Hex.encode(Eip191.digest(v.get("message").asText())));
        }
    }

    @Test
    void signing_reproduces_the_wallet_signature_exactly() {
        for (JsonNode v : VECTORS.get("valid")) {
            KeyPair key = KeyPair.fromPrivateKey(v.get("privateKey").asText());
            assertEquals(v.get("publicKeyCompressed").asText(), key.publicKeyCompressed());
            assertEquals(v.get("publicKeyUncompressed").asText(), key.publicKeyUncompressed());
            assertEquals(v.get("signature").asText(), key.signPersonal(v.get("message").asText()));
        }
    }

    @Test
    void a_flipped_recovery_id_is_rejected() {
        JsonNode v = VECTORS.get("valid").get(0);
        String signature = v.get("signature").asText();
        String flipped = signature.substring(0, signature.length() - 2) + (signature.endsWith("1b") ? "1c" : "1b");
        assertFalse(SignatureVerifier.verifyPersonalSign(v.get("publicKeyCompressed").asText(), v.get("message").asText(), flipped));
    }

    @Test
    void fresh_keys_sign_and_verify() {
        for (int i = 0; i < 20; i++) {
            KeyPair key = KeyPair.generate();
            String message = "nonce_" + i;
            assertTrue(SignatureVerifier.verifyPersonalSign(key.publicKeyUncompressed(), message, key.signPersonal(message)));
            assertFalse(SignatureVerifier.verifyPersonalSign(key.publicKeyCompressed(), message + "x", key.signPersonal(message)));
        }
    }

    @Test
    void two_encodings_of_one_point_have_one_canonical_form() {
        JsonNode v = VECTORS.get("valid").get(0);
        assertEquals(Secp256k1.canonicalPublicKey(v.get("publicKeyCompressed").asText()),
                Secp256k1.canonicalPublicKey(v.get("publicKeyUncompressed").asText().substring(2)));
    }

    @Test
    void malformed_keys_are_refused_with_a_reason() {
        assertThrows(IllegalArgumentException.class, () -> Secp256k1.decodePublicKey("0x1234"));
        assertThrows(IllegalArgumentException.class, () -> Secp256k1.decodePublicKey("zz"));
        assertThrows(IllegalArgumentException.class, () -> Secp256k1.decodePublicKey("02" + "ff".repeat(32)));
        assertFalse(Secp256k1.isPublicKey("05" + "11".repeat(32)));
    }
}
