package io.circles.events;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One message from a circle's live channel, parsed once for all of this instance's subscribers.
 *
 * @param topic  {@code events}, {@code store} or {@code tasks}
 * @param result what subscribers get (shared, never modified)
 * @param slim   {@code result} without a store value (the same object when there is none)
 * @param caller whose task it is ({@code tasks}) or who wrote ({@code store}); null for webhook events
 */
public record LiveEvent(String topic, ObjectNode result, ObjectNode slim, String caller) {
    public static final String EVENTS = "events";
    public static final String STORE = "store";
    public static final String TASKS = io.circles.dispatch.TaskStateEvent.TOPIC;

    /** Reads a channel message {@code {"topic":…, …}}; null when it is not one of ours. */
    public static LiveEvent of(ObjectNode message) {
        String topic = message.path("topic").asText("");
        if (!topic.equals(EVENTS) && !topic.equals(STORE) && !topic.equals(TASKS)) {
            return null;
        }
        ObjectNode result = message.deepCopy();
        result.remove("topic");
        ObjectNode slim = result;
        if (result.has("value")) {
            slim = result.deepCopy();
            slim.remove("value");
        }
        String caller = result.path("caller").isTextual() ? result.get("caller").asText() : null;
        return new LiveEvent(topic, result, slim, caller);
    }

    /** The event-log position of a webhook event ({@code "<ms>-<seq>"}), or null. */
    public String streamId() {
        return topic.equals(EVENTS) && result.path("id").isTextual() ? result.get("id").asText() : null;
    }

    /** Orders two stream ids ({@code ms-seq}) numerically. */
    public static int compareStreamIds(String a, String b) {
        long[] x = parseStreamId(a);
        long[] y = parseStreamId(b);
        int first = Long.compare(x[0], y[0]);
        return first != 0 ? first : Long.compare(x[1], y[1]);
    }

    /** {@code ms-seq} or {@code ms} as two numbers; throws {@link IllegalArgumentException} when malformed. */
    public static long[] parseStreamId(String id) {
        int dash = id.indexOf('-');
        try {
            return dash < 0 ? new long[] {Long.parseUnsignedLong(id), 0}
                    : new long[] {Long.parseUnsignedLong(id.substring(0, dash)), Long.parseUnsignedLong(id.substring(dash + 1))};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an event-log position: " + id);
        }
    }
}
