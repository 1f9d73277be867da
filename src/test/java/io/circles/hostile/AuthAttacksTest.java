package io.circles.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CompletionStage;
import java.net.http.WebSocket;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.circles.circle.CircleKeys;
import io.circles.crypto.KeyPair;
import io.circles.support.TestCircles;
import io.circles.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import static org.awaitility.Awaitility.await;

/** Attacks on authentication: nonce floods, password-guessing style signature floods, relayed signatures. */
@QuarkusTest
@TestProfile(HostileProfile.class)
class AuthAttacksTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    /** A JSON-RPC client claiming {@code address}; requests go out as text, replies are collected by id. */
    private static final class Client implements AutoCloseable {
        private final ConcurrentLinkedQueue<JsonNode> replies = new ConcurrentLinkedQueue<>();
        private final Sockets.Upgrade upgrade;
        private long ids;

        Client(URI base, String circle, String address) {
            upgrade = Sockets.upgrade(base, circle, address, new WebSocket.Listener() {
                private final StringBuilder partial = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                        replies.add(WsClient.parse(partial.toString()));
                        partial.setLength(0);
                    }
                    socket.request(1);
                    return null;
                }
            });
            assertEquals(101, upgrade.status());
        }

        JsonNode call(String method, ObjectNode params) {
            long id = ++ids;
            ObjectNode request = MAPPER.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
            request.set("params", params);
            upgrade.socket().sendText(request.toString(), true).join();
            JsonNode[] reply = new JsonNode[1];
            await().atMost(WsClient.WAIT).until(() -> (reply[0] = replies.stream().filter(r -> r.path("id").asLong() == id)
                    .findFirst().orElse(null)) != null);
            replies.remove(reply[0]);
            return reply[0];
        }

        /** {@code count} copies of one request in a single batch frame; the replies, in any order. */
        List<JsonNode> batch(String method, ObjectNode params, int count) {
            com.fasterxml.jackson.databind.node.ArrayNode batch = MAPPER.createArrayNode();
            for (int i = 0; i < count; i++) {
                batch.addObject().put("jsonrpc", "2.0").put("id", 1000 + i).put("method", method).set("params", params);
            }
            upgrade.socket().sendText(batch.toString(), true).join();
            JsonNode[] reply = new JsonNode[1];
            await().atMost(WsClient.WAIT).until(() -> (reply[0] = replies.poll()) != null);
            List<JsonNode> out = new ArrayList<>();
            reply[0].forEach(out::add);
            return out;
        }

        String nonce(KeyPair key) {
            JsonNode reply = call("fetch_nonce", MAPPER.createObjectNode().put("pubkey", key.publicKeyCompressed()));
            assertTrue(reply.has("result"), reply.toString());
            return reply.path("result").path("nonce").asText();
        }

        JsonNode authenticate(KeyPair key, String signature) {
            return call("authenticate", MAPPER.createObjectNode().put("pubkey", key.publicKeyCompressed()).put("signature", signature));
        }

        @Override
        public void close() {
            upgrade.close();
        }
    }

    private static int code(JsonNode reply) {
        return reply.path("error").path("code").asInt();
    }

    @Test
    void a_nonce_flood_from_one_address_is_rate_limited_while_another_address_is_not() {
        KeyPair key = KeyPair.generate();
        List<JsonNode> replies = new ArrayList<>();
        try (Client flood = new Client(base, TestCircles.CIRCLE_A, "198.51.100.20")) {
            replies.addAll(flood.batch("fetch_nonce", MAPPER.createObjectNode().put("pubkey", key.publicKeyCompressed()), 60));
        }
        long limited = replies.stream().filter(r -> code(r) == -32005).count();
        assertTrue(limited >= 20, "most of the flood beyond the burst of 20 is refused: " + limited);
        JsonNode refusal = replies.stream().filter(r -> code(r) == -32005).findFirst().orElseThrow();
        assertTrue(refusal.path("error").path("data").path("retry_after_ms").asLong() > 0, refusal.toString());
        try (Client other = new Client(base, TestCircles.CIRCLE_A, "198.51.100.21")) {
            other.nonce(key);
        }
        Member.isUnaffected(base);
    }

    @Test
    void failed_authentications_back_off_per_connection_and_per_key() {
        KeyPair victim = KeyPair.generate();
        KeyPair stranger = KeyPair.generate();
        try (Client guesser = new Client(base, TestCircles.CIRCLE_A, "198.51.100.30")) {
            for (int attempt = 1; attempt <= 4; attempt++) {
                guesser.nonce(victim);
                assertEquals(-32002, code(guesser.authenticate(victim, stranger.signPersonal("guess " + attempt))), "attempt " + attempt);
            }
            guesser.nonce(victim);
            JsonNode refused = guesser.authenticate(victim, stranger.signPersonal("guess 5"));
            assertEquals(-32005, code(refused), refused.toString());
            assertTrue(refused.path("error").path("message").asText().contains("failed authentications"));
        }
        try (Client elsewhere = new Client(base, TestCircles.CIRCLE_A, "198.51.100.31")) {
            elsewhere.nonce(victim);
            assertEquals(-32005, code(elsewhere.authenticate(victim, stranger.signPersonal("guess 6"))), "the key waits too");
            String nonce = elsewhere.nonce(stranger);
            assertTrue(elsewhere.authenticate(stranger, stranger.signPersonal(nonce)).has("result"), "another key is not held up");
        }
        Member.isUnaffected(base);
    }

    @Test
    void the_nonce_names_domain_and_circle_and_a_signature_from_another_circle_or_domain_is_refused() {
        KeyPair member = KeyPair.generate();
        try (Client onA = new Client(base, TestCircles.CIRCLE_A, "198.51.100.40");
                Client onB = new Client(base, TestCircles.CIRCLE_B, "198.51.100.40")) {
            String nonceA = onA.nonce(member);
            assertTrue(nonceA.contains(HostileProfile.DOMAIN), nonceA);
            assertTrue(nonceA.contains("circle " + CircleKeys.canonicalOrNull(TestCircles.CIRCLE_A) + " "), nonceA);
            String signedForA = member.signPersonal(nonceA);

            String nonceB = onB.nonce(member);
            assertTrue(nonceB.contains("circle " + CircleKeys.canonicalOrNull(TestCircles.CIRCLE_B) + " "), nonceB);
            assertEquals(-32002, code(onB.authenticate(member, signedForA)), "A's signature is refused on B");

            String nonceB2 = onB.nonce(member);
            String otherDomain = nonceB2.replace(HostileProfile.DOMAIN, "evil.example");
            assertEquals(-32002, code(onB.authenticate(member, member.signPersonal(otherDomain))), "another domain's text is refused");

            String nonceB3 = onB.nonce(member);
            assertTrue(onB.authenticate(member, member.signPersonal(nonceB3)).has("result"));
        }
        Member.isUnaffected(base);
    }
}
