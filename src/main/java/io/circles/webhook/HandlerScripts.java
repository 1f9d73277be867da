package io.circles.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import jakarta.inject.Singleton;

/**
 * Finds the handler script of a circle for a provider: {@code <handlers-dir>/<circle_pk>/<provider>.rhai},
 * else the default {@code <handlers-dir>/<provider>.rhai}, else the packaged {@code handlers/<provider>.rhai}.
 * Files are read on each event, so edited handlers apply at once (events are rare; no cache to invalidate).
 */
@Singleton
public class HandlerScripts {
    private final Path dir;

    public HandlerScripts(WebhookConfig config) {
        this.dir = Path.of(config.handlersDir());
    }

    public Optional<String> find(String circle, String provider) {
        for (Path candidate : new Path[] {dir.resolve(circle).resolve(provider + ".rhai"), dir.resolve(provider + ".rhai")}) {
            if (Files.isRegularFile(candidate)) {
                try {
                    return Optional.of(Files.readString(candidate, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new IllegalStateException("cannot read handler " + candidate + ": " + e.getMessage(), e);
                }
            }
        }
        return packaged(provider);
    }

    private static Optional<String> packaged(String provider) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream("handlers/" + provider + ".rhai")) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
