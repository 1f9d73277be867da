package io.circles.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.crypto.KeyPair;
import io.circles.support.TestCircles;
import io.circles.support.TestClock;
import io.circles.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Nonce lifetime, with the injectable clock (so these scenarios run in-process only). */
@QuarkusTest
class NonceExpiryTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void nonce_is_fresh_long_enough_and_expires_in_the_configured_time() {
        KeyPair key = KeyPair.generate();
        try (WsClient client = WsClient.connect(base, TestCircles.CIRCLE_A)) {
            JsonNode first = client.result("fetch_nonce", Map.of("pubkey", key.publicKeyCompressed()));
            JsonNode second = client.result("fetch_nonce", Map.of("pubkey", key.publicKeyCompressed()));
            assertFalse(first.get("nonce").asText().equals(second.get("nonce").asText()));
            assertTrue(first.get("nonce").asText().length() >= "nonce_".length() + 32);
            long now = clock.instant().getEpochSecond();
            assertTrue(Math.abs(first.get("expires_at").asLong() - (now + 300)) <= 2);
        }
    }

    @Test
    void an_expired_nonce_is_refused() {
        KeyPair key = KeyPair.generate();
        try (WsClient client = WsClient.connect(base, TestCircles.CIRCLE_A)) {
            String nonce = client.result("fetch_nonce", Map.of("pubkey", key.publicKeyCompressed())).get("nonce").asText();
            clock.advance(Duration.ofSeconds(301));
            JsonNode response = client.call("authenticate", Map.of("pubkey", key.publicKeyCompressed(), "signature", key.signPersonal(nonce)));
            assertEquals(-32002, response.path("error").path("code").asInt());
            assertTrue(response.path("error").path("message").asText().contains("expired"));
        }
    }

}
