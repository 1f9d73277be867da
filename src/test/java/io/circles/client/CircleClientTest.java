package io.circles.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.circles.crypto.KeyPair;
import io.circles.support.TestCircles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.OpenConnections;

/** The client library against the real server: WebSocket, EIP-191 auth, Redis, worker and Rhai engine. */
@QuarkusTest
class CircleClientTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URI base;

    @Inject
    OpenConnections openConnections;

    private final TestClients clients = new TestClients();

    @AfterEach
    void closeClients() {
        clients.closeAll();
    }

    private CircleClient client(KeyPair key, Duration timeout) {
        return clients.add(TestClients.builder(base, TestCircles.CIRCLE_A, key).timeout(timeout).build());
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        } catch (Exception e) {
            throw new AssertionError("no answer within " + WAIT, e);
        }
    }

    private static Throwable failure(CompletableFuture<?> future) {
        CompletionException e = assertThrows(CompletionException.class, () -> join(future));
        return e.getCause();
    }

    @Test
    void connects_authenticates_and_plays() {
        KeyPair key = KeyPair.generate();
        CircleClient client = client(key, Duration.ofSeconds(30));
        join(client.connect());
        assertEquals(1, client.connectionCount());

        Identity identity = join(client.whoami());
        assertTrue(identity.authenticated());
        assertEquals(key.publicKeyCompressed().substring(2), identity.pubkey());
        assertEquals(TestCircles.CIRCLE_A.substring(2), identity.circle());

        PlayResult result = join(client.play("let x = 10; x * 2"));
        assertEquals("20", result.output());
        assertNotNull(result.taskId());

        PlayResult printed = join(client.play("print(\"hello\"); 1"));
        assertEquals(List.of("hello"), printed.logs());

        TaskStatus status = join(client.taskStatus(result.taskId()));
        assertEquals(TaskStatus.COMPLETED, status.status());
        assertEquals("20", status.output());
        assertEquals(result.taskId(), status.taskId());
        assertTrue(status.isDone());

        // Explicit re-authentication on the same connection works too.
        join(client.authenticate());
        assertTrue(join(client.whoami()).authenticated());
    }

    @Test
    void a_full_url_ending_with_the_circle_works_and_calls_connect_on_demand() {
        CircleClient client = CircleClient.builder()
                .url(base.toString().replaceFirst("^http", "ws") + TestCircles.CIRCLE_A)
                .key(KeyPair.generate())
                .build();
        clients.add(client);
        assertEquals("7", join(client.play("3 + 4")).output());
    }

    @Test
    void a_script_error_is_an_execution_error_with_its_position() {
        CircleClient client = client(KeyPair.generate(), Duration.ofSeconds(30));
        join(client.connect());
        Throwable error = failure(client.play("print(\"before\"); let x = ;"));
        CircleRpcException rpc = assertInstanceOf(CircleRpcException.class, error);
        assertEquals(CircleRpcException.EXECUTION_ERROR, rpc.code());
        assertNotNull(rpc.dataError());
        assertTrue(rpc.dataError().contains("line 1"), rpc.dataError());
    }

    @Test
    void play_without_a_key_needs_authentication() {
        CircleClient client = client(null, Duration.ofSeconds(30));
        join(client.connect());
        assertFalse(join(client.whoami()).authenticated());
        CircleRpcException rpc = assertInstanceOf(CircleRpcException.class, failure(client.play("1")));
        assertEquals(CircleRpcException.AUTHENTICATION_REQUIRED, rpc.code());
        assertInstanceOf(IllegalStateException.class, failure(client.authenticate()));
    }

    @Test
    void an_unknown_task_is_invalid_params() {
        CircleClient client = client(KeyPair.generate(), Duration.ofSeconds(30));
        CircleRpcException rpc = assertInstanceOf(CircleRpcException.class, failure(client.taskStatus("no-such-task")));
        assertEquals(CircleRpcException.INVALID_PARAMS, rpc.code());
    }

    @Test
    void an_unserved_circle_fails_to_connect_with_the_http_status() {
        CircleClient client = CircleClient.builder()
                .url(base.toString().replaceFirst("^http", "ws"))
                .circle(KeyPair.generate().publicKeyCompressed())
                .build();
        clients.add(client);
        Throwable error = failure(client.connect());
        assertInstanceOf(CircleConnectionException.class, error);
        assertTrue(error.getMessage().contains("404"), error.getMessage());
    }

    @Test
    void a_slow_call_times_out_on_the_client_without_hanging() {
        CircleClient client = client(KeyPair.generate(), Duration.ofSeconds(30));
        join(client.connect());
        long start = System.nanoTime();
        Throwable error = failure(client.play("sleep(5); 1", Duration.ofMillis(500)));
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        CircleTimeoutException timeout = assertInstanceOf(CircleTimeoutException.class, error);
        assertEquals("play", timeout.method());
        assertTrue(elapsed < 4000, "took " + elapsed + " ms");
        // The connection is still usable.
        assertTrue(join(client.whoami()).authenticated());
    }

    @Test
    void reconnects_and_authenticates_again_after_the_server_closes_the_connection() {
        KeyPair key = KeyPair.generate();
        CircleClient client = client(key, Duration.ofSeconds(30));
        join(client.connect());
        assertEquals("20", join(client.play("let x = 10; x * 2")).output());
        long before = client.connectionCount();

        openConnections.forEach(c -> c.close().await().indefinitely());

        await().atMost(WAIT).until(() -> client.connectionCount() > before && client.isConnected());
        Identity identity = join(client.whoami());
        assertTrue(identity.authenticated());
        assertEquals(key.publicKeyCompressed().substring(2), identity.pubkey());
        assertEquals("20", join(client.play("let x = 10; x * 2")).output());
    }

    @Test
    void calls_in_flight_when_the_connection_drops_fail_clearly_and_later_calls_work() {
        CircleClient client = client(KeyPair.generate(), Duration.ofSeconds(30));
        join(client.connect());
        CompletableFuture<PlayResult> slow = client.play("sleep(2); 1");
        long before = client.connectionCount();

        openConnections.forEach(c -> c.close().await().indefinitely());

        Throwable error = failure(slow);
        assertInstanceOf(CircleConnectionException.class, error);
        assertTrue(error.getMessage().contains("lost"), error.getMessage());
        // Issued while reconnecting: waits for the new connection instead of failing.
        assertEquals("5", join(client.play("2 + 3")).output());
        assertTrue(client.connectionCount() > before);
    }

    @Test
    void keep_alive_pings_are_answered_and_the_connection_stays_up() {
        CircleClient client = CircleClient.builder()
                .url(base.toString().replaceFirst("^http", "ws"))
                .circle(TestCircles.CIRCLE_A)
                .key(KeyPair.generate())
                .keepAlive(Duration.ofMillis(100))
                .build();
        clients.add(client);
        join(client.connect());
        await().atMost(WAIT).until(() -> client.pongs.get() >= 3);
        assertEquals(1, client.connectionCount());
        assertTrue(join(client.whoami()).authenticated());
    }

    @Test
    void a_closed_client_refuses_calls() {
        CircleClient client = client(KeyPair.generate(), Duration.ofSeconds(30));
        join(client.connect());
        join(client.close());
        assertInstanceOf(CircleConnectionException.class, failure(client.whoami()));
        assertFalse(client.isConnected());
    }

    @Test
    void backoff_grows_exponentially_with_jitter_up_to_the_cap() {
        CircleClient client = CircleClient.builder().url("ws://localhost:1/" + TestCircles.CIRCLE_A).build();
        clients.add(client);
        for (int attempt = 0; attempt < 30; attempt++) {
            long delay = client.backoffMillis(attempt);
            long cap = Math.min(250L << Math.min(attempt, 20), 30_000);
            assertTrue(delay >= cap / 2 && delay <= cap, attempt + ": " + delay);
        }
    }

    @Test
    void builder_rejects_urls_without_a_circle() {
        assertThrows(IllegalArgumentException.class, () -> CircleClient.builder().url("ws://localhost:8080").build());
        assertThrows(IllegalArgumentException.class, () -> CircleClient.builder().url("ftp://x/" + TestCircles.CIRCLE_A).build());
        CircleClient client = CircleClient.builder().url("https://example.org/").circle(TestCircles.CIRCLE_A).build();
        clients.add(client);
        assertEquals(URI.create("wss://example.org/" + TestCircles.CIRCLE_A), client.uri());
    }
}
