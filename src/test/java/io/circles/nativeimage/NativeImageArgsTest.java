package io.circles.nativeimage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Checks what the native build would get, from {@code ./mvnw package -Dnative -Dquarkus.native.sources-only=true}
 * (run by .ci/run before verify; no GraalVM needed): the {@code native-image.args} and the configuration
 * Quarkus generated into the runner jar. Skipped when that step has not run.
 */
class NativeImageArgsTest {
    private static final Path SOURCES = Path.of("target/native-sources");

    private static String args() throws IOException {
        Path args = SOURCES.resolve("native-image.args");
        Assumptions.assumeTrue(Files.exists(args), "run ./mvnw package -Dnative -Dquarkus.native.sources-only=true first");
        return Files.readString(args);
    }

    private static String fromRunnerJar(String entry) throws IOException {
        try (var files = Files.list(SOURCES)) {
            Path jar = files.filter(p -> p.toString().endsWith("-runner.jar")).findFirst().orElseThrow();
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                return new String(zip.getInputStream(zip.getEntry(entry)).readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    @Test
    void the_image_is_built_from_the_runner_jar_without_fallback() throws IOException {
        String args = args();
        assertTrue(args.contains("-runner.jar"), args);
        assertTrue(args.contains("--no-fallback"), args);
    }

    @Test
    void the_api_contract_and_handler_scripts_are_native_resources() throws IOException {
        args();
        String resources = fromRunnerJar("META-INF/native-image/resource-config.json");
        assertTrue(resources.contains("openrpc\\\\.json"), resources);
        assertTrue(resources.contains("handlers/"), resources);
    }

    @Test
    void the_embedded_redis_library_is_initialised_at_run_time_only() throws IOException {
        assertTrue(args().contains("--initialize-at-run-time=redis.embedded"), "embedded-redis must not initialise at build time");
    }

    @Test
    void no_jca_provider_is_registered_for_bouncycastle() throws IOException {
        String args = args();
        assertTrue(!args.contains("BouncyCastleProvider"), "signatures use BouncyCastle's lightweight API only");
    }
}
