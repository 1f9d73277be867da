package io.circles.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.support.TestCircles;
import io.circles.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** JSON-RPC 2.0 framing over the real WebSocket: ids, errors, batches, notifications, hostile input. */
@QuarkusTest
public class JsonRpcProtocolTest {
    static final String CIRCLE = TestCircles.CIRCLE_A;

    @TestHTTPResource("/")
    URI base;

    WsClient client;

    @BeforeEach
    void connect() {
        client = WsClient.connect(base, CIRCLE);
    }

    @AfterEach
    void close() {
        client.close();
    }

    private JsonNode roundTrip(String frame) {
        client.sendText(frame);
        return client.nextJson();
    }

    private void assertError(JsonNode response, int code) {
        assertEquals("2.0", response.get("jsonrpc").asText(), response.toString());
        assertEquals(code, response.path("error").path("code").asInt(), response.toString());
        assertFalse(response.has("result"));
    }

    private void stillAlive() {
        JsonNode whoami = client.result("whoami", null);
        assertFalse(whoami.get("authenticated").asBoolean());
    }

    @Test
    void ids_are_echoed_exactly_whatever_their_json_type() {
        for (String id : List.of("\"abc\"", "7", "-3", "1.50", "123456789012345678901234567890", "null", "\"\"")) {
            client.sendText("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"whoami\"}");
            String raw = client.next();
            assertTrue(raw.contains("\"id\":" + id), raw);
            assertTrue(WsClient.parse(raw).has("result"));
        }
    }

    @Test
    void garbage_is_a_parse_error_and_does_not_close_connection() {
        for (String frame : List.of("{", "not json", "{\"a\":1} trailing", "", "\u0000\u0001")) {
            JsonNode response = roundTrip(frame);
            assertError(response, -32700);
            assertTrue(response.get("id").isNull());
        }
        stillAlive();
    }

    @Test
    void invalid_request_does_not_close_connection() {
        assertError(roundTrip("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"whoami\"}"), -32600);
        assertError(roundTrip("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":42}"), -32600);
        assertError(roundTrip("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"whoami\"}"), -32600);
        assertError(roundTrip("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"whoami\",\"params\":5}"), -32600);
        assertError(roundTrip("42"), -32600);
        assertError(roundTrip("\"text\""), -32600);
        stillAlive();
    }

    @Test
    void unknown_method_is_method_not_found() {
        JsonNode response = roundTrip("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"no_such\"}");
        assertError(response, -32601);
        assertEquals(9, response.get("id").asInt());
    }

    @Test
    void wrong_params_are_invalid_params() {
        assertError(client.call("fetch_nonce", Map.of()), -32602);
        assertError(client.call("fetch_nonce", Map.of("pubkey", 5)), -32602);
        assertError(client.call("fetch_nonce", Map.of("pubkey", "0x1234")), -32602);
        assertError(client.call("fetch_nonce", Map.of("pubkey", CIRCLE, "extra", 1)), -32602);
        assertError(client.call("fetch_nonce", List.of(CIRCLE, "too", "many")), -32602);
        assertError(client.call("play", Map.of("script", 5)), -32001);
        stillAlive();
    }

    @Test
    void params_may_be_positional() {
        JsonNode result = client.result("fetch_nonce", List.of(CIRCLE));
        assertTrue(result.get("nonce").asText().startsWith("nonce_"));
    }

    @Test
    void notifications_get_no_response() {
        client.sendText("{\"jsonrpc\":\"2.0\",\"method\":\"whoami\"}");
        client.sendText("{\"jsonrpc\":\"2.0\",\"method\":\"no_such_method\"}");
        JsonNode marker = client.call("whoami", null);
        assertTrue(marker.has("result"));
        assertEquals(0, client.pending());
    }

    @Test
    void batches_answer_each_request_and_skip_notifications() {
        JsonNode response = roundTrip("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"whoami\"},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"whoami\"},"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"nope\"},"
                + "5]");
        assertTrue(response.isArray());
        assertEquals(3, response.size());
        assertEquals(1, response.get(0).get("id").asInt());
        assertEquals(-32601, response.get(1).path("error").path("code").asInt());
        assertEquals(-32600, response.get(2).path("error").path("code").asInt());
    }

    @Test
    void an_empty_batch_is_one_invalid_request() {
        JsonNode response = roundTrip("[]");
        assertTrue(response.isObject());
        assertError(response, -32600);
    }

    @Test
    void a_batch_of_notifications_gets_no_response() {
        client.sendText("[{\"jsonrpc\":\"2.0\",\"method\":\"whoami\"},{\"jsonrpc\":\"2.0\",\"method\":\"whoami\"}]");
        assertTrue(client.call("whoami", null).has("result"));
        assertEquals(0, client.pending());
    }

    @Test
    void deep_nesting_and_huge_numbers_are_refused_without_harm() {
        assertError(roundTrip("[".repeat(100_000) + "]".repeat(100_000)), -32700);
        JsonNode huge = roundTrip("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"fetch_nonce\",\"params\":{\"pubkey\":1" + "0".repeat(5000) + "}}");
        assertError(huge, -32700);
        JsonNode big = client.call("fetch_nonce", Map.of("pubkey", new java.math.BigInteger("9".repeat(300))));
        assertError(big, -32602);
        stillAlive();
    }

    @Test
    void binary_frames_are_answered_with_an_error_and_the_connection_stays_open() {
        client.sendBinary(new byte[] {1, 2, 3});
        assertError(client.nextJson(), -32600);
        stillAlive();
    }

    @Test
    void a_message_over_the_size_limit_closes_with_1009() {
        client.sendText("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"whoami\",\"params\":{\"x\":\"" + "a".repeat(1_100_000) + "\"}}");
        assertEquals(1009, client.awaitClose());
    }

    @Test
    void rpc_discover_returns_the_openrpc_document() {
        JsonNode doc = client.result("rpc.discover", null);
        assertEquals("Circles JSON-RPC API", doc.path("info").path("title").asText());
    }
}
