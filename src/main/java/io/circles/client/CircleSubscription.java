package io.circles.client;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A live subscription of a {@link CircleClient} ({@code subscribe} on the server). Its listener gets each
 * notification's {@code result}, in order, on the client's event thread (one per client, so a slow listener
 * delays only this client's notifications). A result {@code {"lagged": n}} means the server dropped {@code n}
 * notifications because this client did not keep up.
 *
 * <p>After a reconnection the client subscribes again by itself; an {@code events} subscription resumes after
 * the last event it delivered ({@code since}), so no webhook event is missed. Store and task changes made while
 * disconnected are not replayed.
 */
public final class CircleSubscription {
    private final ClientSubscriptions owner;
    private final String topic;
    private final ObjectNode filter;
    private final Consumer<JsonNode> listener;
    private volatile String since;
    private volatile String serverId;
    private volatile boolean ended;

    CircleSubscription(ClientSubscriptions owner, String topic, ObjectNode filter, String since, Consumer<JsonNode> listener) {
        this.owner = owner;
        this.topic = topic;
        this.filter = filter;
        this.since = since;
        this.listener = listener;
    }

    /** The server's id of this subscription on the current connection. */
    public String id() {
        return serverId;
    }

    public String topic() {
        return topic;
    }

    /** The event-log position of the last {@code events} notification delivered (or the one subscribed with). */
    public String lastEventId() {
        return since;
    }

    /** Ends the subscription; completes with the server's answer ({@code false} when it was already gone). */
    public CompletableFuture<Boolean> unsubscribe() {
        ended = true;
        return owner.unsubscribe(this);
    }

    boolean ended() {
        return ended;
    }

    ObjectNode filter() {
        return filter;
    }

    void serverId(String id) {
        this.serverId = id;
    }

    /** Runs on the client's event thread. */
    void deliver(JsonNode result) {
        if (ended) {
            return;
        }
        if (result.path("id").isTextual() && result.has("event_id")) {
            since = result.get("id").asText();
        }
        listener.accept(result);
    }
}
