package io.circles.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        List<String> command = new ArrayList<>(List.of(java(), "-jar", JAR.toString()));
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

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
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
    void play_runs_a_script_on_the_packaged_server() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String circle = KeyPair.generate().publicKeyCompressed();
        Path serverLog = dir.resolve("server.log");
        Process server = new ProcessBuilder(java(), "-Dquarkus.shutdown.timeout=1s", "-jar", JAR.toString(), "--host", "127.0.0.1", "--port", String.valueOf(port), "-k", circle)
                .redirectErrorStream(true)
                .redirectOutput(serverLog.toFile())
                .start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> server.isAlive() && http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);

            Path keyFile = dir.resolve("player.key");
            assertEquals(0, run("keygen", "--out", keyFile.toString()).code());
            Path script = dir.resolve("double.rhai");
            Files.writeString(script, "print(\"doubling\");\nlet x = 10; x * 2\n");
            String url = "ws://127.0.0.1:" + port + "/" + circle;

            Result ok = run("play", "--url", url, "--key", "@" + keyFile, script.toString());
            assertEquals(0, ok.code(), ok.err() + "\n" + Files.readString(serverLog));
            assertEquals("doubling\n20", ok.out().strip().replace("\r", ""));

            Files.writeString(script, "let x = ;");
            Result failed = run("play", "--url", url, "--key", "@" + keyFile, script.toString());
            assertEquals(1, failed.code());
            assertTrue(failed.err().contains("error -32000"), failed.err());
        } finally {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    @Test
    void play_without_url_is_a_usage_error() throws Exception {
        Result result = run("play");
        assertEquals(2, result.code(), result.err());
        assertTrue(result.err().contains("--url"), result.err());
    }

    @Test
    void unknown_commands_and_flags_exit_2_without_starting_a_server() throws Exception {
        for (String[] args : List.of(new String[] {"bogus"}, new String[] {"plya", "x.rhai"}, new String[] {"--bogus-flag"})) {
            Result result = run(args);
            assertEquals(2, result.code(), String.join(" ", args) + ": " + result.err());
            assertTrue(result.err().contains("Usage: circles"), result.err());
            assertTrue(!result.out().contains("Listening on"), result.out());
        }
        assertTrue(run("plya", "x.rhai").err().contains("Did you mean: circles play?"));
    }

    @Test
    void pubkey_prints_the_public_key_of_a_key_file() throws Exception {
        Path file = dir.resolve("me.key");
        Result made = run("keygen", "--out", file.toString());
        Result pubkey = run("pubkey", "--key", "@" + file);
        assertEquals(0, pubkey.code(), pubkey.err());
        assertEquals(made.out(), pubkey.out());
    }
}
