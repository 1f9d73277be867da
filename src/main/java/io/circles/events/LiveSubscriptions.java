package io.circles.events;

import jakarta.inject.Singleton;

/** What a connection needs for subscriptions: the hub, the event log, the limits and the task publisher. */
@Singleton
public class LiveSubscriptions {
    private final LiveHub hub;
    private final EventLog eventLog;
    private final SubscriptionConfig config;
    private final LivePublisher publisher;

    public LiveSubscriptions(LiveHub hub, EventLog eventLog, SubscriptionConfig config, LivePublisher publisher) {
        this.hub = hub;
        this.eventLog = eventLog;
        this.config = config;
        this.publisher = publisher;
    }

    /** Subscriptions of one new connection; {@code out} sends its notifications. */
    public ConnectionSubscriptions open(String circle, Subscriber.Outbound out) {
        return new ConnectionSubscriptions(circle, hub, eventLog, config, new Subscriber(out, config.queueSize()));
    }

    public LivePublisher publisher() {
        return publisher;
    }
}
