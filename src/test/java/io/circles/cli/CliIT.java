package io.circles.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.circles.crypto.KeyPair;

/** The CLI subcommands through the packaged jar (run by failsafe after {@code package}). */
class CliIT {
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    @BeforeEach
    void needsTheJar() {
        Assumptions.assumeTrue(Files.isRegularFile(JAR), "no packaged jar at " + JAR.toAbsolutePath());
    }

    private Result run(String... args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("circles " + String.join(" ", args) + " did not finish");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void keygen_prints_a_key_pair() throws Exception {
        Result result = run("keygen");
        assertEquals(0, result.code(), result.err());
        String[] lines = result.out().strip().split("\\R");
        assertEquals(3, lines.length, result.out());
        assertTrue(lines[0].startsWith("private_key:"), result.out());
        KeyPair key = KeyPair.fromPrivateKey(lines[0].substring(lines[0].indexOf(':') + 1).strip());
        assertEquals("public_key:              " + key.publicKeyCompressed(), lines[1]);
        assertEquals("public_key_uncompressed: " + key.publicKeyUncompressed(), lines[2]);
    }

    @Test
    void keygen_out_writes_an_owner_only_key_file() throws Exception {
        Path file = dir.resolve("me.key");
        Result result = run("keygen", "--out", file.toString());
        assertEquals(0, result.code(), result.err());
        KeyPair key = KeyPair.fromPrivateKey(Files.readString(file).strip());
        assertTrue(result.out().contains(key.publicKeyCompressed()), result.out());
    }

    @Test
    void play_without_url_is_a_usage_error() throws Exception {
        Result result = run("play");
        assertEquals(2, result.code(), result.err());
        assertTrue(result.err().contains("--url"), result.err());
    }
}
