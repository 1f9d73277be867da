package io.circles.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.circles.crypto.KeyPair;

class KeygenCommandTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "keygen";
        System.arraycopy(args, 0, full, 1, args.length);
        return CliRun.run(full);
    }

    private static Map<String, String> fields(String out) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return fields;
    }

    @Test
    void prints_a_private_key_and_its_public_keys() {
        CliRun run = run();
        assertEquals(0, run.code(), run.err());
        Map<String, String> fields = fields(run.out());
        KeyPair key = KeyPair.fromPrivateKey(fields.get("private_key"));
        assertEquals(key.publicKeyCompressed(), fields.get("public_key"));
        assertEquals(key.publicKeyUncompressed(), fields.get("public_key_uncompressed"));
        assertTrue(fields.get("public_key").matches("0x0[23][0-9a-f]{64}"));
        assertTrue(fields.get("public_key_uncompressed").matches("0x04[0-9a-f]{128}"));
    }

    @Test
    void two_runs_give_different_keys() {
        assertFalse(fields(run().out()).get("private_key").equals(fields(run().out()).get("private_key")));
    }

    @Test
    void out_writes_the_private_key_owner_only_and_prints_only_public_keys() throws Exception {
        Path file = dir.resolve("me.key");
        CliRun run = run("--out", file.toString());
        assertEquals(0, run.code(), run.err());
        assertFalse(run.out().contains("private_key"), run.out());
        String hex = Files.readString(file).strip();
        KeyPair key = KeyPair.fromPrivateKey(hex);
        Map<String, String> fields = fields(run.out());
        assertEquals(key.publicKeyCompressed(), fields.get("public_key"));
        assertEquals(key.publicKeyUncompressed(), fields.get("public_key_uncompressed"));
        assertFalse(run.out().contains(hex.substring(2)));
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void out_never_overwrites_an_existing_file() throws Exception {
        Path file = dir.resolve("existing.key");
        Files.writeString(file, "keep me");
        CliRun run = run("--out", file.toString());
        assertEquals(1, run.code());
        assertTrue(run.err().contains("already exists"), run.err());
        assertEquals("keep me", Files.readString(file));
    }

    @Test
    void usage_errors_exit_2() {
        assertEquals(2, run("--out").code());
        assertEquals(2, run("--bogus").code());
        assertEquals(0, run("--help").code());
    }
}
