package io.circles.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;


import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.crypto.KeyPair;
import io.circles.support.TestCircles;
import io.circles.support.Vectors;
import io.circles.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The nonce → personal_sign → authenticate flow over real WebSockets, with the wallet vectors' keys. */
@QuarkusTest
public class AuthenticationFlowTest {

    @TestHTTPResource("/")
    URI base;

    static List<KeyPair> vectorKeys() {
        List<KeyPair> keys = new ArrayList<>();
        Vectors.load("eip191-secp256k1.json").get("valid").forEach(v -> {
            KeyPair key = KeyPair.fromPrivateKey(v.get("privateKey").asText());
            if (keys.stream().noneMatch(k -> k.publicKeyCompressed().equals(key.publicKeyCompressed()))) {
                keys.add(key);
            }
        });
        return keys;
    }

    private int upgradeStatus(String path) {
        URI uri = URI.create(base.toString().replaceFirst("^http", "ws") + path);
        try {
            HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() { }).join().abort();
            return 101;
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException handshake) {
                return handshake.getResponse().statusCode();
            }
            throw e;
        }
    }

    @Test
    void upgrade_is_refused_for_a_malformed_circle_key() {
        assertEquals(400, upgradeStatus("not-a-key"));
        assertEquals(400, upgradeStatus("02" + "ff".repeat(32)));
        assertEquals(400, upgradeStatus("0x1234"));
    }

    @Test
    void upgrade_is_refused_for_a_circle_not_served() {
        assertEquals(404, upgradeStatus(KeyPair.generate().publicKeyCompressed().substring(2)));
    }

    @Test
    void both_encodings_of_a_served_circle_connect() {
        assertEquals(101, upgradeStatus(TestCircles.CIRCLE_A));
        assertEquals(101, upgradeStatus(TestCircles.CIRCLE_A_KEY.publicKeyUncompressed().substring(2)));
    }

    @Test
    void every_vector_key_authenticates_and_whoami_reports_it() {
        for (KeyPair key : vectorKeys()) {
            try (WsClient client = WsClient.connect(base, TestCircles.CIRCLE_A)) {
                JsonNode before = client.result("whoami", null);
                assertFalse(before.get("authenticated").asBoolean());
                assertTrue(before.get("pubkey").isNull());
                assertEquals(true, client.authenticate(key).path("result").path("authenticated").asBoolean());
                JsonNode after = client.result("whoami", null);
                assertTrue(after.get("authenticated").asBoolean());
                assertEquals(key.publicKeyCompressed().substring(2), after.get("pubkey").asText());
                assertEquals(TestCircles.CIRCLE_A.substring(2), after.get("circle").asText());
            }
        }
    }

    @Test
    void the_v1_credentials_shape_and_uncompressed_keys_are_accepted() {
        KeyPair key = KeyPair.generate();
        try (WsClient client = WsClient.connect(base, TestCircles.CIRCLE_A)) {
            String nonce = client.result("fetch_nonce", Map.of("pubkey", key.publicKeyUncompressed())).get("nonce").asText();
            JsonNode response = client.call("authenticate", Map.of("credentials",
                    Map.of("pubkey", key.publicKeyCompressed(), "signature", key.signPersonal(nonce))));
            assertTrue(response.path("result").path("authenticated").asBoolean(), response.toString());
        }
    }

    @Test
    void a_nonce_cannot_be_used_twice() {
        KeyPair key = KeyPair.generate();
        try (WsClient client = WsClient.connect(base, TestCircles.CIRCLE_A)) {
            String nonce = client.result("fetch_nonce", Map.of("pubkey", key.publicKeyCompressed())).get("nonce").asText();
            Map<String, String> params = Map.of("pubkey", key.publicKeyCompressed(), "signature", key.signPersonal(nonce));
            assertTrue(client.call("authenticate", params).has("result"));
            assertEquals(-32002, client.call("authenticate", params).path("error").path("code").asInt());
        }
    }

    @Test
    void a_failed_attempt_consumes_the_nonce() {
        KeyPair key = KeyPair.generate();
        try (WsClient client = WsClient.connect(base, TestCircles.CIRCLE_A)) {
            String nonce = client.result("fetch_nonce", Map.of("pubkey", key.publicKeyCompressed())).get("nonce").asText();
            assertEquals(-32002, client.call("authenticate", Map.of("pubkey", key.publicKeyCompressed(),
                    "signature", key.signPersonal(nonce + "x"))).path("error").path("code").asInt());
            assertEquals(-32002, client.call("authenticate", Map.of("pubkey", key.publicKeyCompressed(),
                    "signature", key.signPersonal(nonce))).path("error").path("code").asInt());
        }
    }

    @Test
    void a_nonce_from_another_connection_is_refused() {
        KeyPair key = KeyPair.generate();
        try (WsClient issuer = WsClient.connect(base, TestCircles.CIRCLE_A);
                WsClient thief = WsClient.connect(base, TestCircles.CIRCLE_A)) {
            String nonce = issuer.result("fetch_nonce", Map.of("pubkey", key.publicKeyCompressed())).get("nonce").asText();
            JsonNode response = thief.call("authenticate", Map.of("pubkey", key.publicKeyCompressed(), "signature", key.signPersonal(nonce)));
            assertEquals(-32002, response.path("error").path("code").asInt());
        }
    }

    @Test
    void a_signature_by_another_key_is_refused() {
        KeyPair claimed = KeyPair.generate();
        KeyPair signer = KeyPair.generate();
        try (WsClient client = WsClient.connect(base, TestCircles.CIRCLE_A)) {
            String nonce = client.result("fetch_nonce", Map.of("pubkey", claimed.publicKeyCompressed())).get("nonce").asText();
            JsonNode response = client.call("authenticate", Map.of("pubkey", claimed.publicKeyCompressed(), "signature", signer.signPersonal(nonce)));
            assertEquals(-32002, response.path("error").path("code").asInt());
            String again = client.result("fetch_nonce", Map.of("pubkey", claimed.publicKeyCompressed())).get("nonce").asText();
            JsonNode switched = client.call("authenticate", Map.of("pubkey", signer.publicKeyCompressed(), "signature", signer.signPersonal(again)));
            assertEquals(-32002, switched.path("error").path("code").asInt());
            assertFalse(client.result("whoami", null).get("authenticated").asBoolean());
        }
    }

    @Test
    void play_requires_authentication() {
        try (WsClient client = WsClient.connect(base, TestCircles.CIRCLE_A)) {
            assertEquals(-32001, client.call("play", Map.of("script", "1")).path("error").path("code").asInt());
        }
    }

    @Test
    void a_hundred_connections_authenticate_concurrently() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                results.add(pool.submit(() -> {
                    KeyPair key = KeyPair.generate();
                    try (WsClient client = WsClient.connect(base, TestCircles.CIRCLE_B)) {
                        boolean ok = client.authenticate(key).path("result").path("authenticated").asBoolean();
                        return ok && key.publicKeyCompressed().substring(2).equals(client.result("whoami", null).get("pubkey").asText());
                    }
                }));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

}
