package io.circles.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server flags become configuration properties, and only the server commands start the server. */
class ServerOptionsTest {
    private static final List<String> PROPERTIES = List.of("quarkus.http.host", "quarkus.http.port", "circles.auth.enabled",
            "circles.redis-url", "circles.keys", "quarkus.http.ssl.certificate.files", "quarkus.http.ssl.certificate.key-files",
            "quarkus.http.insecure-requests", "quarkus.http.ssl-port", "circles.server.enabled");

    @AfterEach
    void clear() {
        PROPERTIES.forEach(System::clearProperty);
    }

    @Test
    void each_flag_sets_its_property_and_the_server_is_the_default_command() {
        CliRun run = CliRun.run("--host", "127.0.0.1", "--port", "9000", "--no-auth", "--redis-url", "redis://r:6379",
                "-k", "02aa", "--circle", "03bb:init.rhai");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.startsServer());
        assertEquals("127.0.0.1", System.getProperty("quarkus.http.host"));
        assertEquals("9000", System.getProperty("quarkus.http.port"));
        assertEquals("false", System.getProperty("circles.auth.enabled"));
        assertEquals("redis://r:6379", System.getProperty("circles.redis-url"));
        assertEquals("02aa,03bb:init.rhai", System.getProperty("circles.keys"));
        assertNull(System.getProperty("circles.server.enabled"));
    }

    @Test
    void unset_flags_leave_the_configuration_alone() {
        CliRun run = CliRun.run("serve");
        assertTrue(run.startsServer());
        PROPERTIES.forEach(p -> assertNull(System.getProperty(p), p));
    }

    @Test
    void tls_files_switch_to_https_only_on_the_http_port(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("c.pem"), "cert");
        Path key = Files.writeString(dir.resolve("k.pem"), "key");
        CliRun run = CliRun.run("--tls-cert", cert.toString(), "--tls-key", key.toString());
        assertEquals(0, run.code(), run.err());
        assertEquals(cert.toString(), System.getProperty("quarkus.http.ssl.certificate.files"));
        assertEquals(key.toString(), System.getProperty("quarkus.http.ssl.certificate.key-files"));
        assertEquals("disabled", System.getProperty("quarkus.http.insecure-requests"));
        assertEquals("${quarkus.http.port}", System.getProperty("quarkus.http.ssl-port"));
    }

    @Test
    void the_worker_command_turns_the_server_role_off() {
        CliRun run = CliRun.run("worker", "--redis-url", "redis://r:6379");
        assertTrue(run.startsServer());
        assertEquals("false", System.getProperty("circles.server.enabled"));
    }

    @Test
    void client_commands_never_start_the_server() {
        assertFalse(CliRun.run("keygen").startsServer());
        assertFalse(CliRun.run("worker", "--help").startsServer());
    }

    @Test
    void loopback_addresses_are_told_apart_from_public_ones() {
        assertTrue(NoAuthWarning.isLoopback("127.0.0.1"));
        assertTrue(NoAuthWarning.isLoopback("::1"));
        assertTrue(NoAuthWarning.isLoopback("localhost"));
        assertFalse(NoAuthWarning.isLoopback("0.0.0.0"));
        assertFalse(NoAuthWarning.isLoopback("example.org"));
    }
}
