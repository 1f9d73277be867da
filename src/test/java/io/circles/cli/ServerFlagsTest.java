package io.circles.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The original launcher's flags map onto configuration properties. */
class ServerFlagsTest {
    private static final List<String> PROPERTIES = List.of("quarkus.http.host", "quarkus.http.port", "circles.auth.enabled",
            "circles.redis-url", "circles.keys", "quarkus.http.ssl.certificate.files", "quarkus.http.ssl.certificate.key-files",
            "quarkus.http.insecure-requests", "quarkus.http.ssl-port", "circles.server.enabled");

    @AfterEach
    void clear() {
        PROPERTIES.forEach(System::clearProperty);
    }

    @Test
    void each_flag_sets_its_property() {
        List<String> rest = ServerFlags.apply(new String[] {"--host", "127.0.0.1", "--port", "9000", "--no-auth",
                "--redis-url", "redis://r:6379", "-k", "02aa", "--circle", "03bb:init.rhai", "-Dfoo=bar"});
        assertEquals("127.0.0.1", System.getProperty("quarkus.http.host"));
        assertEquals("9000", System.getProperty("quarkus.http.port"));
        assertEquals("false", System.getProperty("circles.auth.enabled"));
        assertEquals("redis://r:6379", System.getProperty("circles.redis-url"));
        assertEquals("02aa,03bb:init.rhai", System.getProperty("circles.keys"));
        assertEquals(List.of("-Dfoo=bar"), rest);
    }

    @Test
    void tls_needs_a_certificate_and_a_key_and_serves_only_https() {
        assertThrows(IllegalArgumentException.class, () -> ServerFlags.apply(new String[] {"--tls", "--cert", "c.pem"}));
        ServerFlags.apply(new String[] {"--tls", "--cert", "c.pem", "--key", "k.pem", "--port", "8443"});
        assertEquals("c.pem", System.getProperty("quarkus.http.ssl.certificate.files"));
        assertEquals("k.pem", System.getProperty("quarkus.http.ssl.certificate.key-files"));
        assertEquals("disabled", System.getProperty("quarkus.http.insecure-requests"));
        assertEquals("8443", System.getProperty("quarkus.http.ssl-port"));
    }

    @Test
    void the_worker_subcommand_turns_the_server_role_off() {
        ServerFlags.apply(new String[] {"worker"});
        assertEquals("false", System.getProperty("circles.server.enabled"));
    }

    @Test
    void a_flag_without_its_value_is_a_usage_error() {
        assertThrows(IllegalArgumentException.class, () -> ServerFlags.apply(new String[] {"--port"}));
    }
}
