package io.circles.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.crypto.SignatureVerifier;
import io.circles.support.Vectors;

/** {@code sign} prints the same signature a wallet makes, for hand-driven sessions. */
class SignCommandTest {

    private static CliRun run(String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "sign";
        System.arraycopy(args, 0, full, 1, args.length);
        return CliRun.run(full);
    }

    @Test
    void the_signature_matches_the_wallet_vector_and_verifies() {
        JsonNode vector = Vectors.load("eip191-secp256k1.json").get("valid").get(1);
        CliRun run = run("--key", vector.get("privateKey").asText(), vector.get("message").asText());
        assertEquals(0, run.code(), run.err());
        String printed = run.out();
        assertTrue(printed.contains("pubkey:    " + vector.get("publicKeyCompressed").asText()), printed);
        assertTrue(printed.contains("signature: " + vector.get("signature").asText()), printed);
        assertTrue(SignatureVerifier.verifyPersonalSign(vector.get("publicKeyCompressed").asText(), vector.get("message").asText(),
                vector.get("signature").asText()));
    }

    @Test
    void missing_arguments_are_a_usage_error() {
        CliRun noMessage = run("--key", io.circles.crypto.KeyPair.generate().privateKeyHex());
        assertEquals(2, noMessage.code());
        assertTrue(noMessage.err().contains("Missing required parameter: 'MESSAGE'"), noMessage.err());
        assertTrue(noMessage.err().contains("Usage: circles sign"), noMessage.err());
        assertEquals(2, run("--key", "nothex", "msg").code());
    }
}
