package io.circles.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits of live subscriptions ({@code circles.subscriptions.*}). */
@ConfigMapping(prefix = "circles.subscriptions")
public interface SubscriptionConfig {

    /** Subscriptions one connection may hold at once (then -32005). Default: {@code 16}. */
    @WithDefault("16")
    int maxPerConnection();

    /**
     * Notifications held for one connection while its client is not reading; beyond it the oldest are dropped
     * and the subscription is told {@code {"lagged": n}}. Default: {@code 256}.
     */
    @WithDefault("256")
    int queueSize();

    /** Most event-log entries one {@code subscribe} with {@code since} replays. Default: {@code 1000}. */
    @WithDefault("1000")
    int maxReplay();

    /**
     * A {@code store} notification carries the value (for subscriptions that ask with {@code with_values}) only
     * when its JSON is at most this many bytes. Default: {@code 1024}.
     */
    @WithDefault("1024")
    int maxInlineValueBytes();
}
