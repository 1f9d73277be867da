package io.circles.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.file.Path;
import java.util.Map;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ExplodedImporter;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.crypto.KeyPair;
import io.circles.support.TestCircles;
import io.circles.support.WsClient;
import io.quarkus.test.QuarkusDevModeTest;

/**
 * The whole application in dev mode ({@code ./mvnw quarkus:dev}): a value a play stores is still there after a
 * live reload, because the embedded redis-server is handed to the restarted application instead of stopped.
 */
class DevModeReloadTest {
    private static final int PORT = freePort();

    // The project's own target/classes comes first on the dev-mode class path, so its application.properties
    // wins over one in the archive: the port goes in as a command-line flag, as a user would give it (the CLI
    // sets it as a system property, cleared afterwards).
    @RegisterExtension
    @Order(2)
    static final QuarkusDevModeTest DEV = new QuarkusDevModeTest()
            .withApplicationRoot(jar -> jar.merge(ShrinkWrap.create(ExplodedImporter.class)
                    .importDirectory(Path.of("target/classes").toFile()).as(JavaArchive.class)))
            .setCommandLineArgs(new String[] {"--port", String.valueOf(PORT), "--host", "127.0.0.1"})
            .setBuildSystemProperty("quarkus.devservices.enabled", "false")
            .setLogRecordPredicate(record -> record.getLoggerName().startsWith("io.circles"));

    /**
     * Runs after dev mode stopped (after-callbacks run in reverse order). Stopping dev mode in a JVM that lives on
     * looks like a live reload, so the redis-server was handed off: stop it here rather than leave it running.
     */
    @RegisterExtension
    @Order(1)
    static final AfterAllCallback STOP_HANDED_OFF_REDIS = context -> {
        EmbeddedRedis kept = EmbeddedRedis.adoptHandedOff();
        if (kept != null) {
            kept.stop();
        }
    };

    @AfterAll
    static void forgetFlags() {
        System.clearProperty("quarkus.http.port");
        System.clearProperty("quarkus.http.host");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void a_stored_value_survives_a_live_reload() {
        URI base = URI.create("http://127.0.0.1:" + PORT + "/");
        KeyPair member = KeyPair.generate();
        assertEquals("stored", play(base, member, "db_set(\"kept\", 42); \"stored\""));

        DEV.modifyResourceFile("application.properties", text -> text + "\n# touched by DevModeReloadTest\n");

        // The first HTTP request after the change runs the reload and is answered by the restarted application.
        assertEquals(200, get(base.resolve("/q/health/ready")));
        assertEquals("42", play(base, member, "db_get(\"kept\")"));
        assertTrue(DEV.getLogRecords().stream().anyMatch(r -> r.getMessage().contains("kept the embedded redis-server")),
                "the restarted application adopted the running redis-server");
    }

    private static int get(URI uri) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String play(URI base, KeyPair member, String script) {
        try (WsClient client = WsClient.connect(base, TestCircles.CIRCLE_A)) {
            client.authenticate(member);
            JsonNode reply = client.call("play", Map.of("script", script));
            return reply.path("result").path("output").asText(reply.toString());
        }
    }
}
