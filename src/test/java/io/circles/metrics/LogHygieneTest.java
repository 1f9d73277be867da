package io.circles.metrics;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.circles.crypto.KeyPair;
import io.circles.support.TestCircles;
import io.circles.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Reads everything logged at INFO and above during a scripted run that fails in every way it can (scripts that
 * throw their secret, bad signatures, a forged webhook) and finds no script, secret, signature or key in it.
 */
@QuarkusTest
public class LogHygieneTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.INFO.intValue()) {
                lines.add(formatter.format(record));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void no_script_secret_signature_or_key_reaches_the_info_log() {
        String secret = "s3cr3t_" + UUID.randomUUID().toString().replace("-", "");
        KeyPair member = KeyPair.generate();
        String signature;
        try (WsClient client = WsClient.connect(base, TestCircles.CIRCLE_A);
                WsClient forger = WsClient.connect(base, TestCircles.CIRCLE_A)) {
            client.authenticate(member);
            String nonce = forger.result("fetch_nonce", MAPPER.createObjectNode().put("pubkey", member.publicKeyCompressed()))
                    .get("nonce").asText();
            signature = KeyPair.generate().signPersonal(nonce);
            JsonNode refused = forger.call("authenticate", MAPPER.createObjectNode().put("pubkey", member.publicKeyCompressed())
                    .put("signature", signature));
            assertTrue(refused.has("error"));
            assertTrue(client.call("play", Map.of("script", "let k = \"" + secret + "\"; k.len()")).has("result"));
            assertTrue(client.call("play", Map.of("script", "throw \"" + secret + "\";")).has("error"));
            assertTrue(client.call("play", Map.of("script", "let x = \"" + secret + "\" +;")).has("error"));
            assertTrue(client.call("play", Map.of("script", "print(\"" + secret + "\"); sleep(30)")).has("error"));
        }
        String forgedHeader = "t=" + Instant.now().getEpochSecond() + ",v1=" + "ab".repeat(32);
        given().baseUri(base.toString()).contentType("application/json").header("Stripe-Signature", forgedHeader)
                .body("{\"id\":\"evt_" + secret + "\"}").post("/webhooks/stripe/" + TestCircles.CIRCLE_B).then().statusCode(400);
        // the run did log at INFO (connections, failed tasks): the check below reads real lines
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().anyMatch(l -> l.contains("outcome=timed_out")));

        List<String> forbidden = List.of(secret, member.privateKeyHex(), strip(member.publicKeyCompressed()), strip(signature),
                "ab".repeat(32));
        for (String line : lines) {
            for (String needle : forbidden) {
                assertFalse(line.toLowerCase().contains(needle.toLowerCase()), "logged at INFO+: " + line);
            }
        }
    }

    private static String strip(String hex) {
        return hex.startsWith("0x") ? hex.substring(2) : hex;
    }
}
