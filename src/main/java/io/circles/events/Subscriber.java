package io.circles.events;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The outbound side of one connection's subscriptions: a queue of at most {@code capacity} notifications and
 * one send in flight. A client that does not read stops completing sends (the socket's buffers are full), so
 * notifications pile up here, never in the socket layer; beyond the capacity the oldest is dropped and counted,
 * and before the next notification of that subscription the client is told {@code {"lagged": n}}. Memory per
 * connection is thus bounded by the capacity whatever the rate of events, and a slow client never slows the
 * hub or the other clients: {@link #offer} never blocks.
 */
public final class Subscriber {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Where notifications go: completes when the text has been handed to the socket. */
    @FunctionalInterface
    public interface Outbound {
        CompletionStage<?> send(String text);
    }

    private record Notification(String subscription, JsonNode result) {
    }

    private final Outbound out;
    private final int capacity;
    private final ArrayDeque<Notification> queue = new ArrayDeque<>();
    /** Dropped counts not yet reported, per subscription, in order of first drop. */
    private final Map<String, Long> lagged = new LinkedHashMap<>();
    private long droppedTotal;
    private boolean sending;
    private boolean closed;

    public Subscriber(Outbound out, int capacity) {
        this.out = out;
        this.capacity = Math.max(1, capacity);
    }

    /** Queues a notification; drops the oldest queued one when full. Never blocks. */
    public void offer(String subscription, JsonNode result) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (queue.size() >= capacity) {
                Notification oldest = queue.pollFirst();
                lagged.merge(oldest.subscription(), 1L, Long::sum);
                droppedTotal++;
            }
            queue.addLast(new Notification(subscription, result));
            if (sending) {
                return;
            }
            sending = true;
        }
        pump();
    }

    /** Forgets what is queued for a subscription that ended. */
    public synchronized void forget(String subscription) {
        queue.removeIf(n -> n.subscription().equals(subscription));
        lagged.remove(subscription);
    }

    /** Stops sending and drops everything queued (the connection closed). */
    public synchronized void close() {
        closed = true;
        queue.clear();
        lagged.clear();
    }

    /** Notifications queued and not yet sent. */
    public synchronized int queued() {
        return queue.size();
    }

    /** Notifications dropped since the start. */
    public synchronized long droppedTotal() {
        return droppedTotal;
    }

    /** Sends until the queue is empty or a send has not completed yet (then its completion resumes). */
    private void pump() {
        while (true) {
            String text = next();
            if (text == null) {
                return;
            }
            CompletableFuture<?> sent;
            try {
                sent = out.send(text).toCompletableFuture();
            } catch (RuntimeException e) {
                close();
                return;
            }
            if (sent.isDone() && !sent.isCompletedExceptionally()) {
                continue;
            }
            sent.whenComplete((ok, failure) -> {
                if (failure != null) {
                    close();
                } else {
                    pump();
                }
            });
            return;
        }
    }

    /** The next frame to send (a lagged notice first), or null, clearing {@code sending}, when there is none. */
    private synchronized String next() {
        if (closed) {
            sending = false;
            return null;
        }
        Iterator<Map.Entry<String, Long>> drops = lagged.entrySet().iterator();
        if (drops.hasNext()) {
            Map.Entry<String, Long> drop = drops.next();
            drops.remove();
            return frame(drop.getKey(), NODES.objectNode().put("lagged", drop.getValue()));
        }
        Notification next = queue.pollFirst();
        if (next == null) {
            sending = false;
            return null;
        }
        return frame(next.subscription(), next.result());
    }

    /** {@code {"jsonrpc":"2.0","method":"subscription","params":{"subscription":id,"result":…}}}. */
    static String frame(String subscription, JsonNode result) {
        ObjectNode params = NODES.objectNode();
        params.put("subscription", subscription);
        params.set("result", result);
        ObjectNode message = NODES.objectNode();
        message.put("jsonrpc", "2.0");
        message.put("method", "subscription");
        message.set("params", params);
        return message.toString();
    }
}
