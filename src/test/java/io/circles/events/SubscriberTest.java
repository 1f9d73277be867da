package io.circles.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The outbound queue of a connection: bounded, drop-oldest with a lagged notice, never blocking the publisher. */
class SubscriberTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A socket whose sends complete only when the test says so (a client that does not read). */
    static final class StuckSocket implements Subscriber.Outbound {
        final List<String> sent = new ArrayList<>();
        final List<CompletableFuture<Void>> inFlight = new ArrayList<>();

        @Override
        public synchronized CompletableFuture<Void> send(String text) {
            sent.add(text);
            CompletableFuture<Void> done = new CompletableFuture<>();
            inFlight.add(done);
            return done;
        }

        /** The client reads everything: complete sends until none is outstanding. */
        void drain() {
            while (true) {
                CompletableFuture<Void> next;
                synchronized (this) {
                    next = inFlight.stream().filter(f -> !f.isDone()).findFirst().orElse(null);
                }
                if (next == null) {
                    return;
                }
                next.complete(null);
            }
        }

        synchronized List<JsonNode> frames() {
            return sent.stream().map(SubscriberTest::parse).toList();
        }
    }

    /** A socket that takes everything at once. */
    static final class FastSocket implements Subscriber.Outbound {
        final List<String> sent = new ArrayList<>();

        @Override
        public synchronized CompletableFuture<Void> send(String text) {
            sent.add(text);
            return CompletableFuture.completedFuture(null);
        }
    }

    static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ObjectNode event(int n) {
        return MAPPER.createObjectNode().put("n", n);
    }

    @Test
    void a_subscriber_that_does_not_read_holds_at_most_its_capacity_and_is_told_how_many_were_dropped() {
        StuckSocket socket = new StuckSocket();
        Subscriber subscriber = new Subscriber(socket, 8);
        for (int i = 0; i < 10_000; i++) {
            subscriber.offer("s1", event(i));
        }
        assertEquals(1, socket.sent.size(), "one send in flight, the rest waits in the queue");
        assertEquals(8, subscriber.queued());
        assertEquals(10_000 - 1 - 8, subscriber.droppedTotal());

        socket.drain();
        List<JsonNode> frames = socket.frames();
        assertEquals(0, frames.get(0).at("/params/result/n").asInt());
        JsonNode lagged = frames.get(1);
        assertEquals("subscription", lagged.get("method").asText());
        assertEquals("s1", lagged.at("/params/subscription").asText());
        assertEquals(10_000 - 1 - 8, lagged.at("/params/result/lagged").asLong());
        List<Integer> rest = frames.subList(2, frames.size()).stream().map(f -> f.at("/params/result/n").asInt()).toList();
        assertEquals(List.of(9992, 9993, 9994, 9995, 9996, 9997, 9998, 9999), rest, "the newest are kept, in order");
    }

    @Test
    void a_slow_subscriber_does_not_hold_up_the_others_of_the_same_circle() {
        StuckSocket slowSocket = new StuckSocket();
        FastSocket fastSocket = new FastSocket();
        Subscriber slow = new Subscriber(slowSocket, 4);
        Subscriber fast = new Subscriber(fastSocket, 4);
        Predicate<LiveEvent> all = e -> true;
        Subscription slowSub = new Subscription("slow", "c", LiveEvent.STORE, all, false, slow, 4);
        Subscription fastSub = new Subscription("fast", "c", LiveEvent.STORE, all, false, fast, 4);
        for (int i = 0; i < 1000; i++) {
            LiveEvent change = LiveEvent.of(MAPPER.createObjectNode().put("topic", "store").put("key", "k" + i).put("op", "set"));
            slowSub.deliver(change);
            fastSub.deliver(change);
        }
        assertEquals(1000, fastSocket.sent.size(), "the reading client got every notification");
        assertEquals(0, fast.droppedTotal());
        assertEquals(4, slow.queued());
        assertTrue(slow.droppedTotal() > 0);
    }

    @Test
    void separate_subscriptions_of_a_connection_get_their_own_lagged_counts() {
        StuckSocket socket = new StuckSocket();
        Subscriber subscriber = new Subscriber(socket, 2);
        subscriber.offer("a", event(0)); // in flight
        subscriber.offer("a", event(1));
        subscriber.offer("b", event(2));
        subscriber.offer("b", event(3)); // drops a:1
        subscriber.offer("b", event(4)); // drops b:2
        socket.drain();
        List<JsonNode> frames = socket.frames();
        assertEquals(1, frames.get(1).at("/params/result/lagged").asLong());
        assertEquals("a", frames.get(1).at("/params/subscription").asText());
        assertEquals(1, frames.get(2).at("/params/result/lagged").asLong());
        assertEquals("b", frames.get(2).at("/params/subscription").asText());
        assertEquals(5, frames.size());
    }

    @Test
    void after_close_nothing_more_is_sent() {
        FastSocket socket = new FastSocket();
        Subscriber subscriber = new Subscriber(socket, 4);
        subscriber.offer("a", event(1));
        subscriber.close();
        subscriber.offer("a", event(2));
        assertEquals(1, socket.sent.size());
    }

    @Test
    void a_replaying_subscription_sends_the_log_then_only_live_events_after_it() {
        FastSocket socket = new FastSocket();
        Subscriber subscriber = new Subscriber(socket, 16);
        Subscription subscription = new Subscription("e", "c", LiveEvent.EVENTS, e -> true, false, subscriber, 16);
        subscription.startReplay();
        subscription.deliver(LiveEvent.of(MAPPER.createObjectNode().put("topic", "events").put("id", "100-1")));
        subscription.deliver(LiveEvent.of(MAPPER.createObjectNode().put("topic", "events").put("id", "100-2")));
        subscription.endReplay(List.of(MAPPER.createObjectNode().put("id", "99-0"), MAPPER.createObjectNode().put("id", "100-1")));
        subscription.deliver(LiveEvent.of(MAPPER.createObjectNode().put("topic", "events").put("id", "100-3")));
        List<String> ids = socket.sent.stream().map(t -> parse(t).at("/params/result/id").asText()).toList();
        assertEquals(List.of("99-0", "100-1", "100-2", "100-3"), ids);
    }
}
