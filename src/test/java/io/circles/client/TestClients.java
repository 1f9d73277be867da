package io.circles.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.circles.crypto.KeyPair;

/**
 * The client tests' shared set-up: clients of the test server with a quick reconnect, all closed after each test
 * (call {@link #closeAll()} from an {@code @AfterEach}).
 */
final class TestClients {
    private final List<CircleClient> clients = new ArrayList<>();

    /** A builder for {@code circle} on the server at {@code base} (http://host:port/), reconnecting quickly. */
    static CircleClient.Builder builder(URI base, String circle, KeyPair key) {
        return CircleClient.builder()
                .url(base.toString().replaceFirst("^http", "ws"))
                .circle(circle)
                .key(key)
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofSeconds(1));
    }

    /** Keeps {@code client} to be closed after the test. */
    CircleClient add(CircleClient client) {
        clients.add(client);
        return client;
    }

    void closeAll() {
        clients.forEach(c -> c.close().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join());
        clients.clear();
    }
}
