package io.circles.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.crypto.KeyPair;
import io.circles.support.AppProcess;
import io.circles.support.RedisServers;
import io.circles.support.TestCircles;
import io.circles.support.WsClient;

/**
 * Two packaged servers (each also a worker) on one Redis deployment: what happens through one reaches the
 * subscribers on the other. Subclasses choose the Redis topology.
 */
abstract class SubscriptionScenarios {
    static final String A = TestCircles.CIRCLE_A;
    static final String B = TestCircles.CIRCLE_B;

    static RedisServers redis;
    static AppProcess one;
    static AppProcess two;

    static void startAll(RedisServers topology) {
        redis = topology;
        CompletableFuture<AppProcess> first = CompletableFuture.supplyAsync(() -> start("server-1"));
        CompletableFuture<AppProcess> second = CompletableFuture.supplyAsync(() -> start("server-2"));
        one = first.join();
        two = second.join();
    }

    private static AppProcess start(String name) {
        Map<String, String> env = new HashMap<>();
        env.put("REDIS_URL", redis.url());
        if (redis.isCluster()) {
            env.put("QUARKUS_REDIS_CLIENT_TYPE", "cluster");
        }
        env.put("CIRCLES_KEYS", A + "," + B);
        env.put("STRIPE_WEBHOOK_SECRET", StripeDeliveries.STRIPE_SECRET);
        env.put("CIRCLES_WEBHOOKS_HANDLERS_DIR", "src/test/resources/handlers");
        return AppProcess.start(name, List.of(), env);
    }

    @AfterAll
    static void stopAll() {
        for (AppProcess app : new AppProcess[] {one, two}) {
            if (app != null) {
                app.kill();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    static WsClient member(AppProcess server, String circle) {
        WsClient client = WsClient.connect(server.base(), circle);
        assertTrue(client.authenticate(KeyPair.generate()).has("result"));
        return client;
    }

    static JsonNode next(WsClient client, String subscription) {
        JsonNode frame = client.nextJson();
        assertEquals(subscription, frame.at("/params/subscription").asText(), frame.toString());
        return frame.at("/params/result");
    }

    @Test
    void webhook_events_and_store_changes_through_one_server_reach_subscribers_on_the_other_and_no_other_circle() {
        try (WsClient watcherB = member(two, B); WsClient watcherA = member(two, A); WsClient writerB = member(one, B);
                WsClient writerA = member(one, A)) {
            String events = watcherB.result("subscribe", Map.of("topic", "events")).asText();
            String store = watcherB.result("subscribe", Map.of("topic", "store")).asText();
            String otherCircle = watcherA.result("subscribe", Map.of("topic", "store")).asText();

            String eventId = StripeDeliveries.newEventId();
            assertEquals(200, StripeDeliveries.stripe(one.base(), B, eventId, 77));
            long posted = System.nanoTime();
            JsonNode event = next(watcherB, events);
            long eventMillis = (System.nanoTime() - posted) / 1_000_000;
            assertEquals(eventId, event.get("event_id").asText());

            // the stripe handler itself writes the store (last_amount): skip what it did
            String key = "x" + UUID.randomUUID().toString().replace("-", "");
            writerB.result("play", Map.of("script", "db_set(\"" + key + "\", 1)"));
            long played = System.nanoTime();
            JsonNode change;
            do {
                change = next(watcherB, store);
            } while (!key.equals(change.path("key").asText()));
            long storeMillis = (System.nanoTime() - played) / 1_000_000;
            System.out.printf("cross-instance notification: webhook event %d ms after the POST returned, store change %d ms after the play was answered%n",
                    eventMillis, storeMillis);

            writerA.result("play", Map.of("script", "db_set(\"" + key + "\", 2)"));
            JsonNode inA = next(watcherA, otherCircle);
            assertEquals(key, inA.get("key").asText(), "circle A's subscriber saw none of circle B's changes first: " + inA);

            assertTrue(watcherB.result("unsubscribe", Map.of("subscription", store)).asBoolean());
            assertTrue(watcherB.result("unsubscribe", Map.of("subscription", events)).asBoolean());
            String sentinel = watcherB.result("subscribe", Map.of("topic", "store", "filter", Map.of("prefix", key + "-end"))).asText();
            writerB.result("play", Map.of("script", "db_set(\"" + key + "\", 3); db_set(\"" + key + "-end\", 4)"));
            assertEquals(key + "-end", next(watcherB, sentinel).get("key").asText(), "nothing arrived for the ended subscriptions");
        }
    }

    @Test
    void many_subscribers_on_one_server_share_its_one_redis_subscription() {
        int subscribers = 20;
        WsClient[] watchers = new WsClient[subscribers];
        String[] ids = new String[subscribers];
        try (WsClient writer = member(one, A)) {
            for (int i = 0; i < subscribers; i++) {
                watchers[i] = member(two, A);
                ids[i] = watchers[i].result("subscribe", Map.of("topic", "store")).asText();
            }
            String key = "fan" + UUID.randomUUID().toString().replace("-", "");
            writer.result("play", Map.of("script", "db_set(\"" + key + "\", 1)"));
            for (int i = 0; i < subscribers; i++) {
                JsonNode change;
                do {
                    change = next(watchers[i], ids[i]);
                } while (!key.equals(change.path("key").asText()));
            }
            assertEquals(1, subscriptionsInRedis(A), "one subscription in Redis for the circle, whatever the number of subscribers");
        } finally {
            for (WsClient watcher : watchers) {
                if (watcher != null) {
                    watcher.close();
                }
            }
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> subscriptionsInRedis(A) == 0);
    }

    /** Subscriptions of the circle's channel across all Redis nodes (a Cluster counts them on the owning shard). */
    static long subscriptionsInRedis(String circle) {
        String channel = "circles:live:{" + circle.substring(2) + "}";
        long total = 0;
        for (int node = 0; node < (redis.isCluster() ? 3 : 1); node++) {
            String counts = redis.cli(node, "pubsub", sharded() ? "shardnumsub" : "numsub", channel);
            total += Long.parseLong(counts.lines().skip(1).findFirst().orElse("0").trim());
        }
        return total;
    }

    /** Redis 7 or later: the servers use sharded pub/sub. */
    static boolean sharded() {
        return !redis.cli(0, "command", "info", "spublish").isBlank();
    }
}
