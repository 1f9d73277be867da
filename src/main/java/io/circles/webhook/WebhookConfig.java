package io.circles.webhook;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Webhook endpoints ({@code circles.webhooks.*}). */
@ConfigMapping(prefix = "circles.webhooks")
public interface WebhookConfig {

    /** Stripe. */
    Provider stripe();

    /** iDenfy. */
    Provider idenfy();

    /** Largest accepted body; larger gets 413. Default: {@code 262144} (256 KiB). */
    @WithDefault("262144")
    int maxBodyBytes();

    /** Accepted distance between a Stripe signature's timestamp and now. Default: {@code 300s}. */
    @WithDefault("300s")
    Duration stripeTolerance();

    /** Directory of handler scripts: {@code <dir>/<circle_pk>/<provider>.rhai}, else {@code <dir>/<provider>.rhai}. Default: {@code handlers}. */
    @WithDefault("handlers")
    String handlersDir();

    /** Entries kept in each circle's event log stream (approximate trimming). Default: {@code 10000}. */
    @WithDefault("10000")
    long eventLogMaxLength();

    /**
     * Bytes (field names and values) kept in each circle's event log; the oldest entries are dropped first.
     * Default: {@code 64M}.
     */
    @WithDefault("64M")
    MemorySize eventLogMaxBytes();

    /**
     * Oldest iDenfy callback accepted, by its {@code finishTime} (else {@code startTime}); older ones get 400, so a
     * captured delivery cannot be replayed forever. Default: {@code 24h}.
     */
    @WithDefault("24h")
    Duration idenfyMaxAge();

    /** How long an event id is remembered for de-duplication. Default: {@code 7d}. */
    @WithDefault("7d")
    Duration idempotencyTtl();

    interface Provider {
        /** The signing secret ({@code STRIPE_WEBHOOK_SECRET} / {@code IDENFY_WEBHOOK_SECRET}). Default: unset, endpoint disabled. */
        Optional<String> secret();

        /**
         * Per-circle signing secrets, {@code circles.webhooks.stripe.secrets."<circle pk>"=whsec_…} (comma-separated for
         * rotation). A circle listed here accepts only its own secret; others fall back to {@link #secret()}.
         * Default: none.
         */
        Map<String, String> secrets();
    }
}
