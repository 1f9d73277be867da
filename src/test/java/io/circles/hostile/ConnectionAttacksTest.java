package io.circles.hostile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.crypto.KeyPair;
import io.circles.limits.ConnectionCounter;
import io.circles.support.TestCircles;
import io.circles.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/** Attacks on connections: caps per address and per instance, idle unauthenticated sockets, clients that never read. */
@QuarkusTest
@TestProfile(HostileProfile.class)
class ConnectionAttacksTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URI base;

    @Inject
    ConnectionCounter counter;

    private final List<Sockets.Upgrade> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(Sockets.Upgrade::close);
        opened.clear();
        await().atMost(WAIT).until(() -> counter.total() == 0);
    }

    private Sockets.Upgrade open(String address) {
        Sockets.Upgrade upgrade = Sockets.upgrade(base, TestCircles.CIRCLE_A, address, new WebSocket.Listener() { });
        opened.add(upgrade);
        return upgrade;
    }

    @Test
    void one_address_gets_429_beyond_its_cap_while_other_addresses_still_connect() {
        for (int i = 0; i < 64; i++) {
            assertEquals(101, open("198.51.100.1").status(), "connection " + (i + 1));
        }
        assertEquals(429, open("198.51.100.1").status());
        assertEquals(64, counter.from("198.51.100.1"));
        assertEquals(101, open("198.51.100.2").status());
        Member.isUnaffected(base);
    }

    @Test
    void the_instance_gets_503_beyond_its_global_cap_and_recovers_when_connections_close() {
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < HostileProfile.MAX_CONNECTIONS + 10; i++) {
            int status = open("203.0.113." + (i / 50)).status();
            accepted += status == 101 ? 1 : 0;
            refused += status == 503 ? 1 : 0;
        }
        assertEquals(HostileProfile.MAX_CONNECTIONS, accepted);
        assertEquals(10, refused);
        closeAll();
        Member.isUnaffected(base);
    }

    @Test
    void an_unauthenticated_connection_is_closed_with_1008_while_an_authenticated_one_stays() {
        try (WsClient idle = WsClient.connect(base, TestCircles.CIRCLE_A);
                WsClient member = WsClient.connect(base, TestCircles.CIRCLE_A)) {
            assertTrue(member.authenticate(KeyPair.generate()).has("result"));
            assertEquals(1008, idle.awaitClose());
            assertFalse(member.isClosed());
            assertTrue(member.result("whoami", null).path("authenticated").asBoolean());
        }
        Member.isUnaffected(base);
    }

    @Test
    void a_client_that_never_reads_is_paused_then_closed_and_the_server_stays_healthy() throws Exception {
        String batch = batchOf("rpc.discover", 100); // ~0.5 MB of replies per batch: the limits are reached in seconds
        ExecutorService flood = Executors.newSingleThreadExecutor();
        try (Sockets.Raw attacker = new Sockets.Raw(base, TestCircles.CIRCLE_A, "192.0.2.66")) {
            attacker.authenticate(KeyPair.generate()); // so the unauthenticated timeout is not what ends it
            await().atMost(WAIT).until(() -> counter.from("192.0.2.66") == 1);
            Future<Integer> sent = flood.submit(() -> {
                int batches = 0;
                try {
                    for (; batches < 25_000; batches++) {
                        attacker.sendText(batch); // blocks once the server stops reading; fails once it hangs up
                    }
                } catch (IOException closedByServer) {
                    // expected
                }
                return batches;
            });
            await().atMost(WAIT).until(() -> counter.from("192.0.2.66") == 0);
            int batches = sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(batches < 25_000, "the server stopped taking requests after " + batches + " batches");
        } finally {
            flood.shutdownNow();
        }
        assertEquals(200, RestAssured.given().baseUri(base.toString()).get("/q/health/live").statusCode());
        Member.isUnaffected(base);
    }

    @Test
    void a_batch_whose_response_exceeds_the_cap_gets_one_error_and_the_connection_stays() {
        try (WsClient client = WsClient.connect(base, TestCircles.CIRCLE_A)) {
            assertTrue(client.authenticate(KeyPair.generate()).has("result"));
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 10; i++) {
                batch.append(i == 0 ? "" : ",").append(client.request(100 + i, "play",
                        Map.of("script", "let s = \"x\"; for i in 0..19 { s += s; } s")));
            }
            client.sendText(batch.append("]").toString());
            JsonNode error = client.nextJson();
            assertEquals(-32600, error.path("error").path("code").asInt(), error.toString());
            assertTrue(error.path("error").path("message").asText().contains("exceeds the limit"));
            assertEquals("42", client.result("play", Map.of("script", "40 + 2")).path("output").asText());
        }
        Member.isUnaffected(base);
    }

    private static String batchOf(String method, int size) {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"jsonrpc\":\"2.0\",\"id\":").append(i).append(",\"method\":\"" + method + "\"}");
        }
        return batch.append("]").toString();
    }

}
