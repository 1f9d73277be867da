package io.circles.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.circles.crypto.KeyPair;

/** {@code pubkey} derives the public key that keygen printed for the same private key. */
class PubkeyCommandTest {

    @Test
    void prints_both_encodings_of_the_public_key_of_a_key_file(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("me.key");
        CliRun made = CliRun.run("keygen", "--out", file.toString());
        assertEquals(0, made.code(), made.err());

        CliRun run = CliRun.run("pubkey", "--key", "@" + file);
        assertEquals(0, run.code(), run.err());
        assertEquals(made.out(), run.out());
        KeyPair key = KeyPair.fromPrivateKey(Files.readString(file).strip());
        assertEquals("public_key:              " + key.publicKeyCompressed() + "\n"
                + "public_key_uncompressed: " + key.publicKeyUncompressed() + "\n", run.out());
    }

    @Test
    void accepts_the_key_as_hex_too() {
        KeyPair key = KeyPair.generate();
        CliRun run = CliRun.run("pubkey", "--key", key.privateKeyHex());
        assertEquals(0, run.code(), run.err());
        assertEquals(key.publicKeyCompressed(), run.out().lines().findFirst().orElseThrow().split("\\s+")[1]);
    }
}
