package io.circles.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.crypto.SignatureVerifier;
import io.circles.support.Vectors;

/** {@code sign} prints the same signature a wallet makes, for hand-driven sessions. */
class SignCommandTest {

    private static int run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        return SignCommand.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void the_signature_matches_the_wallet_vector_and_verifies() {
        JsonNode vector = Vectors.load("eip191-secp256k1.json").get("valid").get(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, run(out, new ByteArrayOutputStream(), "--key", vector.get("privateKey").asText(), vector.get("message").asText()));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("signature: " + vector.get("signature").asText()), printed);
        assertTrue(SignatureVerifier.verifyPersonalSign(vector.get("publicKeyCompressed").asText(), vector.get("message").asText(),
                vector.get("signature").asText()));
    }

    @Test
    void missing_arguments_are_a_usage_error() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, run(new ByteArrayOutputStream(), err, "--key", "0x01"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage"));
        assertEquals(2, run(new ByteArrayOutputStream(), new ByteArrayOutputStream(), "--key", "nothex", "msg"));
    }
}
