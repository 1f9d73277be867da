package io.circles.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A client's subscriptions: routes {@code subscription} notifications to their {@link CircleSubscription} and
 * subscribes again after a reconnection. A notification can overtake the {@code subscribe} answer it belongs to
 * (the answer completes on another thread), so notifications for an id not yet known are held, a bounded number.
 */
final class ClientSubscriptions {
    /** Notifications held for ids whose {@code subscribe} answer is still being processed. */
    private static final int MAX_EARLY = 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final BiFunction<String, ObjectNode, CompletableFuture<JsonNode>> call;
    private final ExecutorService events;
    private final Map<String, CircleSubscription> byId = new HashMap<>();
    private final List<CircleSubscription> active = new ArrayList<>();
    private final Map<String, List<JsonNode>> early = new HashMap<>();
    private int earlyCount;

    ClientSubscriptions(BiFunction<String, ObjectNode, CompletableFuture<JsonNode>> call, ExecutorService events) {
        this.call = call;
        this.events = events;
    }

    CompletableFuture<CircleSubscription> subscribe(String topic, ObjectNode filter, String since, Consumer<JsonNode> listener) {
        CircleSubscription subscription = new CircleSubscription(this, topic, filter, since, listener);
        return open(subscription).thenApply(ok -> {
            synchronized (this) {
                active.add(subscription);
            }
            return subscription;
        });
    }

    private CompletableFuture<Void> open(CircleSubscription subscription) {
        ObjectNode params = MAPPER.createObjectNode().put("topic", subscription.topic());
        if (subscription.filter() != null) {
            params.set("filter", subscription.filter());
        }
        if (subscription.lastEventId() != null) {
            params.put("since", subscription.lastEventId());
        }
        return call.apply("subscribe", params).thenAccept(id -> register(subscription, id.asText()));
    }

    private void register(CircleSubscription subscription, String id) {
        List<JsonNode> held;
        synchronized (this) {
            subscription.serverId(id);
            byId.put(id, subscription);
            held = early.remove(id);
            earlyCount -= held == null ? 0 : held.size();
        }
        if (held != null) {
            held.forEach(result -> deliver(subscription, result));
        }
    }

    CompletableFuture<Boolean> unsubscribe(CircleSubscription subscription) {
        String id;
        synchronized (this) {
            active.remove(subscription);
            id = subscription.id();
            byId.remove(id);
        }
        return call.apply("unsubscribe", MAPPER.createObjectNode().put("subscription", id)).thenApply(JsonNode::asBoolean);
    }

    /** A {@code subscription} notification's params, on the socket's reader thread. */
    void onNotification(JsonNode params) {
        String id = params.path("subscription").asText("");
        JsonNode result = params.path("result");
        CircleSubscription subscription;
        synchronized (this) {
            subscription = byId.get(id);
            if (subscription == null) {
                if (earlyCount < MAX_EARLY) {
                    early.computeIfAbsent(id, k -> new ArrayList<>()).add(result);
                    earlyCount++;
                }
                return;
            }
        }
        deliver(subscription, result);
    }

    private void deliver(CircleSubscription subscription, JsonNode result) {
        try {
            events.execute(() -> subscription.deliver(result));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the client is closed
        }
    }

    /** A new connection: the server forgot every subscription, so each is opened again. */
    void reconnected() {
        List<CircleSubscription> again;
        synchronized (this) {
            byId.clear();
            early.clear();
            earlyCount = 0;
            again = List.copyOf(active);
        }
        for (CircleSubscription subscription : again) {
            if (!subscription.ended()) {
                open(subscription).exceptionally(failure -> null);
            }
        }
    }
}
