package io.circles.redis;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Default;
import jakarta.inject.Singleton;

import io.circles.config.CirclesConfig;
import io.quarkus.redis.client.RedisHostsProvider;
import io.quarkus.runtime.ImageMode;
import io.smallrye.common.annotation.Identifier;

/**
 * Tells the Quarkus Redis client where Redis is ({@code quarkus.redis.hosts-provider-name=circles}): the
 * configured {@code REDIS_URL}, or else an {@link EmbeddedRedis} started on demand. Being the hosts provider
 * means the embedded server is up before the first client connects, in dev mode, tests and production alike.
 */
@Singleton
@Default
@Identifier("circles")
public class RedisLocator implements RedisHostsProvider {
    private final Optional<String> configuredUrl;
    private EmbeddedRedis embedded;

    public RedisLocator(CirclesConfig config) {
        this.configuredUrl = config.redisUrl().filter(url -> !url.isBlank());
    }

    /** One URI, or several comma-separated (cluster seeds or sentinels, with {@code quarkus.redis.client-type}). */
    @Override
    public synchronized Set<URI> getHosts() {
        Set<URI> hosts = new LinkedHashSet<>();
        for (String host : url().split(",")) {
            if (!host.isBlank()) {
                hosts.add(URI.create(host.strip()));
            }
        }
        return hosts;
    }

    /** The Redis URL in use, starting the embedded server if needed. */
    public synchronized String url() {
        if (configuredUrl.isPresent()) {
            return configuredUrl.get();
        }
        if (ImageMode.current() == ImageMode.NATIVE_RUN) {
            throw new IllegalStateException("REDIS_URL must be set: the native executable has no embedded Redis");
        }
        if (embedded == null) {
            embedded = EmbeddedRedis.start();
        }
        return embedded.url();
    }

    /** The embedded server, when one runs. */
    public synchronized Optional<EmbeddedRedis> embedded() {
        return Optional.ofNullable(embedded);
    }

    @PreDestroy
    synchronized void stopEmbedded() {
        if (embedded != null) {
            embedded.release(); // stops it, or in dev mode keeps it for the application after a live reload
        }
    }
}
