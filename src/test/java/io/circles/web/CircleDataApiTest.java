package io.circles.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.circle.CircleKeys;
import io.circles.crypto.KeyPair;
import io.circles.dispatch.DispatchConfig;
import io.circles.dispatch.RedisKeys;
import io.circles.support.TestCircles;
import io.circles.support.WsClient;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** What the web app reads besides play: the upgrade status, the store, the event log, and error positions. */
@QuarkusTest
class CircleDataApiTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisDataSource redis;

    @Inject
    DispatchConfig dispatch;

    WsClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    private WsClient signedIn(String circle) {
        client = WsClient.connect(base, circle);
        assertTrue(client.authenticate(KeyPair.generate()).has("result"));
        return client;
    }

    @Test
    void the_status_endpoint_says_why_an_upgrade_would_be_refused() {
        given().get("/api/circles/not-a-key/status").then().statusCode(200)
                .body("accepting", equalTo(false)).body("status", equalTo(400)).body("circle", nullValue());
        String unserved = CircleKeys.canonicalOrNull(KeyPair.generate().publicKeyCompressed());
        given().get("/api/circles/" + unserved + "/status").then().statusCode(200)
                .body("accepting", equalTo(false)).body("status", equalTo(404)).body("circle", equalTo(unserved));
        given().get("/api/circles/" + TestCircles.CIRCLE_A.toUpperCase().replace("0X", "0x") + "/status").then().statusCode(200)
                .body("accepting", equalTo(true)).body("status", equalTo(101)).body("circle", equalTo(CircleKeys.canonicalOrNull(TestCircles.CIRCLE_A)));
    }

    @Test
    void reading_the_store_needs_authentication_like_play() {
        client = WsClient.connect(base, TestCircles.CIRCLE_A);
        assertEquals(-32001, client.call("store_keys", Map.of()).get("error").get("code").asInt());
        assertEquals(-32001, client.call("store_get", Map.of("key", "x")).get("error").get("code").asInt());
        assertEquals(-32001, client.call("event_log", Map.of()).get("error").get("code").asInt());
    }

    @Test
    void a_member_pages_through_keys_and_reads_the_values_a_script_stored() {
        WsClient c = signedIn(TestCircles.CIRCLE_A);
        assertTrue(c.call("play", Map.of("script", "db_set(\"web:a\", #{n: 1}); db_set(\"web:b\", \"x\"); db_set(\"webz\", 3);")).has("result"));

        JsonNode first = c.result("store_keys", Map.of("prefix", "web:", "limit", 1));
        assertEquals(List.of("web:a"), texts(first.get("keys")));
        assertEquals("web:a", first.get("next").asText());
        JsonNode second = c.result("store_keys", Map.of("prefix", "web:", "after", "web:a", "limit", 1));
        assertEquals(List.of("web:b"), texts(second.get("keys")));
        JsonNode last = c.result("store_keys", Map.of("prefix", "web:", "after", "web:b"));
        assertEquals(List.of(), texts(last.get("keys")));
        assertTrue(last.get("next").isNull());

        JsonNode value = c.result("store_get", Map.of("key", "web:a"));
        assertTrue(value.get("exists").asBoolean());
        assertEquals(1, value.get("value").get("n").asInt());
        JsonNode absent = c.result("store_get", Map.of("key", "web:none"));
        assertFalse(absent.get("exists").asBoolean());
        assertTrue(absent.get("value").isNull());
    }

    @Test
    void a_page_size_that_is_not_a_number_is_refused_and_the_connection_lives_on() {
        WsClient c = signedIn(TestCircles.CIRCLE_A);
        assertEquals(-32602, c.call("store_keys", Map.of("limit", "many")).get("error").get("code").asInt());
        assertEquals(-32602, c.call("store_keys", Map.of("prefix", 7)).get("error").get("code").asInt());
        assertTrue(c.result("store_keys", Map.of("limit", 0)).get("keys").isArray());
    }

    @Test
    void the_event_log_pages_newest_first() {
        String stream = new RedisKeys(dispatch).events(CircleKeys.canonicalOrNull(TestCircles.CIRCLE_B));
        String older = redis.stream(String.class).xadd(stream, Map.of("provider", "stripe", "event_id", "evt_web_1", "type", "t", "received_at", "1"));
        String newer = redis.stream(String.class).xadd(stream, Map.of("provider", "stripe", "event_id", "evt_web_2", "type", "t", "received_at", "2"));
        WsClient c = signedIn(TestCircles.CIRCLE_B);
        JsonNode page = c.result("event_log", Map.of("limit", 1));
        assertEquals(1, page.get("events").size());
        assertEquals(newer, page.get("events").get(0).get("id").asText());
        assertEquals("evt_web_2", page.get("events").get(0).get("event_id").asText());
        JsonNode next = c.result("event_log", Map.of("limit", 1, "before", page.get("next").asText()));
        assertEquals(older, next.get("events").get(0).get("id").asText());
    }

    @Test
    void a_script_error_carries_its_line_and_column() {
        WsClient c = signedIn(TestCircles.CIRCLE_A);
        JsonNode error = c.call("play", Map.of("script", "let a = 1;\nlet x = ;")).get("error");
        assertEquals(-32000, error.get("code").asInt());
        assertEquals(2, error.get("data").get("line").asInt());
        assertEquals(9, error.get("data").get("column").asInt());
    }

    private static List<String> texts(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
