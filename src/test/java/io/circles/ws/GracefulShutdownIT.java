package io.circles.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.circles.crypto.KeyPair;
import io.circles.support.TestCircles;
import io.circles.support.WsClient;

/**
 * SIGTERM on the packaged server: the play in flight is answered, then open WebSockets are closed with 1001
 * (going away) and the process exits by itself within the grace period. Starts {@code target/quarkus-app/quarkus-run.jar} as a real process.
 */
class GracefulShutdownIT {
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    @Test
    void sigterm_closes_websockets_with_1001_and_the_process_exits() throws Exception {
        Assumptions.assumeTrue(Files.exists(JAR), "package the application first");
        int port = freePort();
        File log = File.createTempFile("circles-shutdown", ".log");
        Process server = new ProcessBuilder(List.of(javaBinary(), "-jar", JAR.toString(), "--port", String.valueOf(port),
                "-k", TestCircles.CIRCLE_A))
                .redirectErrorStream(true).redirectOutput(log).start();
        try {
            URI base = URI.create("http://127.0.0.1:" + port + "/");
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> ready(base));
            try (WsClient client = WsClient.connect(base, TestCircles.CIRCLE_A)) {
                client.authenticate(KeyPair.generate());
                assertEquals("2", client.result("play", Map.of("script", "1 + 1")).get("output").asText());
                client.sendText(client.request(7, "play", Map.of("script", "sleep(1); 5")));
                client.result("whoami", null); // frames are handled in order: the play is in flight now
                server.destroy(); // SIGTERM while a play is in flight
                assertEquals("5", client.awaitResponse(7).path("result").path("output").asText(), "the play in flight is answered");
                assertEquals(1001, client.awaitClose());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> !server.isAlive());
            assertTrue(Files.readString(log.toPath()).contains("with 1001"), "the shutdown is logged");
        } finally {
            server.destroyForcibly();
        }
    }

    private static boolean ready(URI base) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(base.resolve("/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
