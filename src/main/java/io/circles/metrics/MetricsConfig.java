package io.circles.metrics;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Observability settings ({@code circles.metrics.*}). */
@ConfigMapping(prefix = "circles.metrics")
public interface MetricsConfig {

    /**
     * How often queue depths and store sizes are read from Redis for the gauges (sampled, never per scrape, so a
     * scraper cannot load Redis). Default: {@code 10s}.
     */
    @WithDefault("10s")
    Duration sampleInterval();

    /**
     * Tasks that ran longer than this are logged at INFO (other successful tasks only at DEBUG, so logging does not
     * cap throughput). Default: {@code 5s}.
     */
    @WithDefault("5s")
    Duration slowTask();

    /**
     * Most configured circles ({@code -k}) that get their own {@code circle} label on the sampled gauges; beyond it
     * only the totals are kept, so label cardinality stays bounded. Default: {@code 32}.
     */
    @WithDefault("32")
    int maxLabelledCircles();
}
