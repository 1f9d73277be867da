package io.circles.events;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One {@code subscribe} of one connection: which circle and topic, which events pass its filter, and the
 * connection's {@link Subscriber} they go to. An {@code events} subscription with {@code since} starts in
 * replay: live events are held (up to the subscriber's capacity) until the event log has been replayed, then
 * those not already replayed follow, so a reconnecting client neither misses nor repeats an event.
 */
public final class Subscription {
    private final String id;
    private final String circle;
    private final String topic;
    private final Predicate<LiveEvent> filter;
    private final boolean withValues;
    private final Subscriber subscriber;
    private final int holdLimit;
    private List<LiveEvent> held;
    private long heldDropped;

    public Subscription(String id, String circle, String topic, Predicate<LiveEvent> filter, boolean withValues,
            Subscriber subscriber, int holdLimit) {
        this.id = id;
        this.circle = circle;
        this.topic = topic;
        this.filter = filter;
        this.withValues = withValues;
        this.subscriber = subscriber;
        this.holdLimit = holdLimit;
    }

    public String id() {
        return id;
    }

    public String circle() {
        return circle;
    }

    public String topic() {
        return topic;
    }

    /** Holds live events from now until {@link #endReplay}. */
    public synchronized void startReplay() {
        held = new ArrayList<>();
    }

    /** Called by the hub for every event of the circle. */
    public void deliver(LiveEvent event) {
        if (!event.topic().equals(topic) || !filter.test(event)) {
            return;
        }
        synchronized (this) {
            if (held != null) {
                if (held.size() < holdLimit) {
                    held.add(event);
                } else {
                    heldDropped++;
                }
                return;
            }
        }
        subscriber.offer(id, withValues ? event.result() : event.slim());
    }

    /** Sends the replayed log entries, then the held live events that came after the last of them. */
    public void endReplay(List<ObjectNode> replayed) {
        String last = null;
        for (ObjectNode entry : replayed) {
            subscriber.offer(id, entry);
            last = entry.path("id").asText(null);
        }
        List<LiveEvent> live;
        long dropped;
        synchronized (this) {
            live = held == null ? List.of() : held;
            dropped = heldDropped;
            held = null;
        }
        if (dropped > 0) {
            subscriber.offer(id, entryLagged(dropped));
        }
        for (LiveEvent event : live) {
            String position = event.streamId();
            if (last == null || position == null || LiveEvent.compareStreamIds(position, last) > 0) {
                subscriber.offer(id, event.result());
            }
        }
    }

    private static ObjectNode entryLagged(long dropped) {
        return JsonNodeFactory.instance.objectNode().put("lagged", dropped);
    }
}
