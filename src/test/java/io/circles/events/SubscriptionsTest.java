package io.circles.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.crypto.KeyPair;
import io.circles.support.TestCircles;
import io.circles.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code subscribe} over a real WebSocket against the app and its (embedded) Redis: store changes, webhook events
 * with replay, the caller's own tasks, and the limits. Writers and subscribers use separate connections, so each
 * subscriber connection receives notifications only and their order can be asserted.
 */
@QuarkusTest
class SubscriptionsTest {
    static final String A = TestCircles.CIRCLE_A;
    static final String B = TestCircles.CIRCLE_B;

    @TestHTTPResource("/")
    URI base;

    WsClient member(String circle, KeyPair key) {
        WsClient client = WsClient.connect(base, circle);
        assertTrue(client.authenticate(key).has("result"));
        return client;
    }

    static String subscribe(WsClient client, Object params) {
        return client.result("subscribe", params).asText();
    }

    /** The next notification, checking it belongs to {@code subscription}. */
    static JsonNode next(WsClient client, String subscription) {
        JsonNode frame = client.nextJson();
        assertEquals("subscription", frame.path("method").asText(), frame.toString());
        assertEquals(subscription, frame.at("/params/subscription").asText(), frame.toString());
        return frame.at("/params/result");
    }

    static String key() {
        return "k" + UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    void a_store_change_reaches_subscribers_of_its_circle_only_and_nothing_arrives_after_unsubscribe() {
        KeyPair writerKey = KeyPair.generate();
        try (WsClient watcherA = member(A, KeyPair.generate()); WsClient watcherB = member(B, KeyPair.generate());
                WsClient writerA = member(A, writerKey); WsClient writerB = member(B, KeyPair.generate())) {
            String subA = subscribe(watcherA, Map.of("topic", "store"));
            String subB = subscribe(watcherB, Map.of("topic", "store", "filter", Map.of("with_values", true)));
            String k = key();
            writerA.result("play", Map.of("script", "db_set(\"" + k + "\", #{n: 1}); db_incr(\"" + k + "n\", 5); db_delete(\"" + k + "\")"));

            JsonNode set = next(watcherA, subA);
            assertEquals(k, set.get("key").asText());
            assertEquals("set", set.get("op").asText());
            assertEquals(writerKey.publicKeyCompressed().substring(2), set.get("caller").asText());
            assertFalse(set.has("value"), "no value unless asked for");
            assertEquals("incr", next(watcherA, subA).get("op").asText());
            assertEquals("delete", next(watcherA, subA).get("op").asText());

            writerB.result("play", Map.of("script", "db_set(\"" + k + "\", 7)"));
            JsonNode inB = next(watcherB, subB);
            assertEquals(k, inB.get("key").asText(), "circle A's changes never reached circle B's subscriber: " + inB);
            assertEquals(7, inB.get("value").asInt(), "a small value when asked for");

            assertEquals(true, watcherA.result("unsubscribe", Map.of("subscription", subA)).asBoolean());
            assertEquals(false, watcherA.result("unsubscribe", Map.of("subscription", subA)).asBoolean());
            String again = subscribe(watcherA, Map.of("topic", "store", "filter", Map.of("prefix", k)));
            writerA.result("play", Map.of("script", "db_set(\"other\", 1); db_set(\"" + k + "x\", 2)"));
            JsonNode first = next(watcherA, again);
            assertEquals(k + "x", first.get("key").asText(), "the prefix filter and the ended subscription let nothing else through");
        }
    }

    @Test
    void webhook_events_are_notified_and_a_reconnecting_client_replays_what_it_missed() {
        try (WsClient watcher = member(B, KeyPair.generate())) {
            String sub = subscribe(watcher, Map.of("topic", "events", "filter", Map.of("provider", "stripe")));
            String first = StripeDeliveries.newEventId();
            assertEquals(200, StripeDeliveries.stripe(base, B, first, 100));
            JsonNode event = next(watcher, sub);
            assertEquals(first, event.get("event_id").asText());
            assertEquals("stripe", event.get("provider").asText());
            assertEquals("payment_intent.succeeded", event.get("type").asText());
            assertEquals(36, event.get("task_id").asText().length(), "the handler's task");
            assertTrue(event.get("received_at").asLong() > 1_700_000_000L);
            String position = event.get("id").asText();

            watcher.close();
            String missed = StripeDeliveries.newEventId();
            assertEquals(200, StripeDeliveries.stripe(base, B, missed, 200));
            try (WsClient back = member(B, KeyPair.generate())) {
                String resumed = subscribe(back, Map.of("topic", "events", "since", position));
                assertEquals(missed, next(back, resumed).get("event_id").asText(), "the missed event is replayed first");
                String live = StripeDeliveries.newEventId();
                assertEquals(200, StripeDeliveries.stripe(base, B, live, 300));
                assertEquals(live, next(back, resumed).get("event_id").asText(), "then live events, none twice");
            }
        }
    }

    @Test
    void play_without_waiting_answers_the_task_id_and_only_its_caller_is_told_when_it_ends() {
        KeyPair me = KeyPair.generate();
        KeyPair other = KeyPair.generate();
        try (WsClient mine = member(A, me); WsClient theirs = member(A, other); WsClient player = member(A, me);
                WsClient otherPlayer = member(A, other)) {
            String mySub = subscribe(mine, Map.of("topic", "tasks"));
            String theirSub = subscribe(theirs, Map.of("topic", "tasks"));
            String taskId = player.result("play", Map.of("script", "sleep(1); 6 * 7", "wait", false)).get("task_id").asText();
            JsonNode pending = next(mine, mySub);
            assertEquals(taskId, pending.get("task_id").asText());
            assertEquals("pending", pending.get("status").asText());
            JsonNode done = next(mine, mySub);
            assertEquals(taskId, done.get("task_id").asText());
            assertEquals("completed", done.get("status").asText());
            assertEquals("42", player.result("task_status", Map.of("task_id", taskId)).get("output").asText());

            String theirTask = otherPlayer.result("play", Map.of("script", "1")).get("task_id").asText();
            assertEquals(theirTask, next(theirs, theirSub).get("task_id").asText(), "another member never sees my task");
        }
    }

    @Test
    void subscriptions_need_authentication_valid_params_and_stay_within_the_per_connection_limit() {
        try (WsClient anonymous = WsClient.connect(base, A)) {
            assertEquals(-32001, anonymous.call("subscribe", Map.of("topic", "store")).at("/error/code").asInt());
        }
        try (WsClient client = member(A, KeyPair.generate())) {
            assertEquals(-32602, client.call("subscribe", Map.of("topic", "everything")).at("/error/code").asInt());
            assertEquals(-32602, client.call("subscribe", Map.of("topic", "store", "since", "0-0")).at("/error/code").asInt());
            assertEquals(-32602, client.call("subscribe", Map.of("topic", "events", "since", "yesterday")).at("/error/code").asInt());
            assertEquals(-32602, client.call("subscribe", Map.of("topic", "store", "filter", 3)).at("/error/code").asInt());
            assertEquals(-32602, client.call("play", Map.of("script", "1", "wait", "no")).at("/error/code").asInt());
            for (int i = 0; i < 16; i++) {
                subscribe(client, Map.of("topic", i % 2 == 0 ? "store" : "events"));
            }
            JsonNode refused = client.call("subscribe", Map.of("topic", "tasks"));
            assertEquals(-32005, refused.at("/error/code").asInt(), refused.toString());
            assertEquals("2", client.result("play", Map.of("script", "1 + 1")).get("output").asText(), "the connection still works");
        }
    }
}
