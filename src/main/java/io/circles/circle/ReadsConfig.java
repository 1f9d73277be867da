package io.circles.circle;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits of the read-only RPC methods {@code store_keys}, {@code store_get} and {@code event_log} ({@code circles.reads.*}). */
@ConfigMapping(prefix = "circles.reads")
public interface ReadsConfig {

    /** Most keys or events one call returns; larger {@code limit}s are cut to this. Default: {@code 100}. */
    @WithDefault("100")
    int maxPageSize();
}
