package io.circles.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.circles.crypto.KeyPair;
import io.circles.events.StripeDeliveries;
import io.circles.support.TestCircles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.OpenConnections;

/** The client library's subscriptions against the real server, including resuming after a dropped connection. */
@QuarkusTest
class SubscriptionClientTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    @Inject
    OpenConnections openConnections;

    private final TestClients clients = new TestClients();

    @AfterEach
    void closeClients() {
        clients.closeAll();
    }

    private CircleClient client(String circle) {
        CircleClient client = clients.add(TestClients.builder(base, circle, KeyPair.generate()).build());
        client.connect().join();
        return client;
    }

    @Test
    void a_fired_play_is_followed_to_its_end_through_the_tasks_subscription() {
        CircleClient client = client(TestCircles.CIRCLE_A);
        List<JsonNode> seen = new CopyOnWriteArrayList<>();
        CircleSubscription tasks = client.subscribe("tasks", null, null, seen::add).join();
        String taskId = client.playNoWait("sleep(1); 40 + 2").join();
        await().atMost(WAIT).until(() -> seen.stream().anyMatch(r -> taskId.equals(r.path("task_id").asText())
                && !"pending".equals(r.path("status").asText())));
        assertEquals("pending", seen.get(0).path("status").asText(), "queued first: " + seen);
        assertEquals("completed", seen.get(seen.size() - 1).path("status").asText(), "then its end: " + seen);
        assertEquals("42", client.taskStatus(taskId).join().output());
        assertTrue(tasks.unsubscribe().join());
    }

    @Test
    void a_client_whose_connection_drops_resubscribes_and_misses_no_webhook_event() {
        CircleClient client = client(TestCircles.CIRCLE_B);
        List<String> events = new CopyOnWriteArrayList<>();
        client.subscribe("events", null, null, r -> events.add(r.path("event_id").asText())).join();
        String before = StripeDeliveries.newEventId();
        assertEquals(200, StripeDeliveries.stripe(base, TestCircles.CIRCLE_B, before, 1));
        await().atMost(WAIT).until(() -> events.contains(before));

        long connections = client.connectionCount();
        openConnections.forEach(c -> c.close().await().indefinitely());
        String during = StripeDeliveries.newEventId();
        assertEquals(200, StripeDeliveries.stripe(base, TestCircles.CIRCLE_B, during, 2));
        await().atMost(WAIT).until(() -> client.connectionCount() > connections);
        String after = StripeDeliveries.newEventId();
        assertEquals(200, StripeDeliveries.stripe(base, TestCircles.CIRCLE_B, after, 3));

        await().atMost(WAIT).until(() -> events.contains(after) && events.contains(during));
        assertEquals(List.of(before, during, after), events, "each event once, in order");
    }

    @Test
    void watch_prints_one_json_line_per_notification() throws Exception {
        CircleClient watcher = client(TestCircles.CIRCLE_A);
        CircleClient writer = client(TestCircles.CIRCLE_A);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        String key = "w" + UUID.randomUUID().toString().replace("-", "");
        try (CircleWatch watch = CircleWatch.start(watcher, List.of("store", "events"), null, out).join()) {
            assertEquals(2, watch.subscriptions().size());
            writer.play("db_set(\"" + key + "\", 1)").join();
            await().atMost(WAIT).until(() -> bytes.toString(StandardCharsets.UTF_8).contains(key));
        }
        JsonNode line = MAPPER.readTree(bytes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(key)).findFirst().orElseThrow());
        assertEquals("store", line.get("topic").asText());
        assertEquals("set", line.get("op").asText());
    }

    @Test
    void subscribing_over_the_limit_fails_with_too_many_requests() {
        CircleClient client = client(TestCircles.CIRCLE_A);
        for (int i = 0; i < 16; i++) {
            client.subscribe("store", null, null, r -> { }).join();
        }
        Throwable failure = client.subscribe("store", null, null, r -> { }).handle((ok, e) -> e).join();
        CircleRpcException refused = (CircleRpcException) (failure.getCause() != null ? failure.getCause() : failure);
        assertEquals(-32005, refused.code());
    }
}
