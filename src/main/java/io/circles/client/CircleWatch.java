package io.circles.client;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Prints a circle's live events as they arrive, one JSON object per line with its {@code topic} first, e.g.
 * {@code {"topic":"events","id":"1764…-0","provider":"stripe","event_id":"evt_…","type":"payment_intent.succeeded",…}}.
 * The building block of {@code circles watch}; reconnections are handled by the client (events resume after the
 * last one printed).
 */
public final class CircleWatch implements AutoCloseable {
    private final List<CircleSubscription> subscriptions;

    private CircleWatch(List<CircleSubscription> subscriptions) {
        this.subscriptions = subscriptions;
    }

    /**
     * Subscribes {@code client} to each of {@code topics} ({@code events}, {@code store}, {@code tasks}) and prints
     * their notifications to {@code out}; {@code since} (or null) replays the event log after that position first.
     * Completes once every subscription is open; fails as the first {@code subscribe} that fails.
     */
    public static CompletableFuture<CircleWatch> start(CircleClient client, List<String> topics, String since, PrintStream out) {
        List<CompletableFuture<CircleSubscription>> opening = new ArrayList<>();
        for (String topic : topics) {
            opening.add(client.subscribe(topic, null, "events".equals(topic) ? since : null, result -> print(out, topic, result)));
        }
        return CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new))
                .thenApply(ok -> new CircleWatch(opening.stream().map(CompletableFuture::join).toList()));
    }

    /** The subscriptions opened. */
    public List<CircleSubscription> subscriptions() {
        return subscriptions;
    }

    static void print(PrintStream out, String topic, JsonNode result) {
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        line.put("topic", topic);
        if (result.isObject()) {
            line.setAll((ObjectNode) result);
        } else {
            line.set("result", result);
        }
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** Unsubscribes everything (the client stays open). */
    @Override
    public void close() {
        CompletableFuture.allOf(subscriptions.stream().map(CircleSubscription::unsubscribe).toArray(CompletableFuture[]::new))
                .exceptionally(failure -> null).join();
    }
}
