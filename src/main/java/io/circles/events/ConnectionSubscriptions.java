package io.circles.events;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.circles.rpc.ErrorCodes;
import io.circles.rpc.RpcException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The subscriptions of one connection: {@code subscribe} / {@code unsubscribe} and their end with the connection.
 * All of them share the connection's one bounded {@link Subscriber}.
 */
public final class ConnectionSubscriptions {
    private final String circle;
    private final LiveHub hub;
    private final EventLog eventLog;
    private final SubscriptionConfig config;
    private final Subscriber subscriber;
    private final Map<String, Subscription> open = new LinkedHashMap<>();
    private boolean closed;

    ConnectionSubscriptions(String circle, LiveHub hub, EventLog eventLog, SubscriptionConfig config, Subscriber subscriber) {
        this.circle = circle;
        this.hub = hub;
        this.eventLog = eventLog;
        this.config = config;
        this.subscriber = subscriber;
    }

    /**
     * Opens a subscription; yields its id. The first notification is released only after the id has been
     * answered (on the connection's event loop, after the current task), so a client always knows the id first.
     *
     * @param ownsTask whether a task id belongs to this caller ({@code tasks} shows the caller's own tasks only)
     */
    public Uni<JsonNode> subscribe(ObjectNode params, Predicate<LiveEvent> ownsTask) {
        String topic = text(params.get("topic"), "topic");
        JsonNode filter = params.get("filter");
        if (filter != null && !filter.isNull() && !filter.isObject()) {
            throw RpcException.invalidParams("filter must be an object");
        }
        String since = params.hasNonNull("since") ? text(params.get("since"), "since") : null;
        Predicate<LiveEvent> accepts = switch (topic) {
            case LiveEvent.EVENTS -> field(filter, "provider").and(field(filter, "type"));
            case LiveEvent.STORE -> prefix(filter);
            case LiveEvent.TASKS -> ownsTask;
            default -> throw RpcException.invalidParams("topic must be one of events, store, tasks");
        };
        if (since != null) {
            if (!topic.equals(LiveEvent.EVENTS)) {
                throw RpcException.invalidParams("since applies to the events topic only");
            }
            checkPosition(since);
        }
        boolean withValues = filter != null && filter.path("with_values").asBoolean(false);
        Subscription subscription = new Subscription(UUID.randomUUID().toString(), circle, topic, accepts, withValues, subscriber,
                config.queueSize());
        register(subscription);
        subscription.startReplay();
        hub.add(subscription);
        Uni<List<ObjectNode>> replay = since == null ? Uni.createFrom().item(List.of())
                : eventLog.after(circle, since, config.maxReplay()).onFailure().invoke(() -> unsubscribe(subscription.id()))
                        .onFailure().transform(e -> new RpcException(ErrorCodes.EXECUTION_ERROR, "Could not read the event log"));
        return replay.invoke(entries -> afterAnswer(() -> subscription.endReplay(entries)))
                .map(entries -> TextNode.valueOf(subscription.id()));
    }

    /** Ends a subscription of this connection; false when the id is unknown. */
    public boolean unsubscribe(String id) {
        Subscription subscription;
        synchronized (this) {
            subscription = open.remove(id);
        }
        if (subscription == null) {
            return false;
        }
        hub.remove(subscription);
        subscriber.forget(id);
        return true;
    }

    /** The connection closed: every subscription ends. */
    public void close() {
        List<Subscription> all;
        synchronized (this) {
            closed = true;
            all = List.copyOf(open.values());
            open.clear();
        }
        all.forEach(hub::remove);
        subscriber.close();
    }

    public synchronized int count() {
        return open.size();
    }

    private synchronized void register(Subscription subscription) {
        if (closed) {
            throw new RpcException(ErrorCodes.EXECUTION_ERROR, "Connection closing");
        }
        if (open.size() >= config.maxPerConnection()) {
            throw new RpcException(ErrorCodes.TOO_MANY_REQUESTS, "Too many subscriptions on this connection (limit "
                    + config.maxPerConnection() + ")");
        }
        open.put(subscription.id(), subscription);
    }

    /** Runs {@code task} once the current event-loop task (which sends the response) is done. */
    private static void afterAnswer(Runnable task) {
        Context context = Vertx.currentContext();
        if (context == null) {
            task.run();
        } else {
            context.runOnContext(ignored -> task.run());
        }
    }

    private static Predicate<LiveEvent> field(JsonNode filter, String name) {
        if (filter == null || !filter.hasNonNull(name)) {
            return event -> true;
        }
        String wanted = text(filter.get(name), "filter." + name);
        return event -> wanted.equals(event.result().path(name).asText(null));
    }

    private static Predicate<LiveEvent> prefix(JsonNode filter) {
        if (filter == null || !filter.hasNonNull("prefix")) {
            return event -> true;
        }
        String prefix = text(filter.get("prefix"), "filter.prefix");
        return event -> event.result().path("key").asText("").startsWith(prefix);
    }

    private static String checkPosition(String since) {
        try {
            LiveEvent.parseStreamId(since);
            return since;
        } catch (IllegalArgumentException e) {
            throw RpcException.invalidParams("since must be an event-log position such as 1764212345000-0");
        }
    }

    private static String text(JsonNode node, String name) {
        if (node == null || !node.isTextual()) {
            throw RpcException.invalidParams(name + " must be a string");
        }
        return node.asText();
    }
}
