package io.circles.circle;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits of each circle's key-value store ({@code circles.store.*}). */
@ConfigMapping(prefix = "circles.store")
public interface StoreConfig {

    /** Largest value (as JSON) one key may hold, in bytes. Default: {@code 1048576} (1 MiB). */
    @WithDefault("1048576")
    int maxValueBytes();

    /** Most keys one circle may hold. Default: {@code 100000}. */
    @WithDefault("100000")
    long maxKeys();

    /** Most value bytes one circle may hold in total. Default: {@code 268435456} (256 MiB). */
    @WithDefault("268435456")
    long maxBytes();

    /** Longest key, in characters. Default: {@code 512}. */
    @WithDefault("512")
    int maxKeyLength();
}
