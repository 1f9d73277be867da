package io.circles.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Every {@code circles.*} setting. Environment variables follow the usual mapping
 * ({@code circles.auth.enabled} → {@code CIRCLES_AUTH_ENABLED}); command-line flags are mapped by
 * {@link io.circles.cli.Main}. The README lists them all in one table.
 */
@ConfigMapping(prefix = "circles")
public interface CirclesConfig {

    /**
     * Circles this server serves, as secp256k1 public keys, each optionally followed by {@code :init-script}
     * ({@code CIRCLES_KEYS}, CLI {@code -k/--circle}). Default: empty, meaning every well-formed key is served.
     */
    Optional<List<String>> keys();

    /** Authentication settings. */
    Auth auth();

    /** Redis to use ({@code REDIS_URL}, CLI {@code --redis-url}). Default: unset, an embedded redis-server is started. */
    @WithName("redis-url")
    Optional<String> redisUrl();

    /** Server role. */
    Server server();

    /** WebSocket JSON-RPC limits. */
    Rpc rpc();

    /** Optional per-circle member lists: {@code circles.members."<circle pk>"=pk1,pk2}. Default: none. */
    Map<String, List<String>> members();

    interface Auth {
        /** Whether {@code play} requires an authenticated key ({@code CIRCLES_AUTH_ENABLED}). Default: {@code true}. */
        @WithDefault("true")
        boolean enabled();

        /** How long a nonce from {@code fetch_nonce} stays valid. Default: {@code 300s}. */
        @WithDefault("300s")
        Duration nonceTtl();

        /**
         * The server domain named in nonce texts ({@code CIRCLES_AUTH_DOMAIN}), so a signature obtained for another
         * server is recognisably not for this one. Default: unset, the Host the client connected to.
         */
        Optional<String> domain();
    }

    interface Server {
        /** Whether this process serves WebSockets and webhooks ({@code CIRCLES_SERVER_ENABLED}). Default: {@code true}. */
        @WithDefault("true")
        boolean enabled();

        /**
         * On SIGTERM, how long plays in flight may take to finish before WebSockets are closed with 1001.
         * Default: {@code 10s}.
         */
        @WithDefault("10s")
        Duration shutdownGrace();
    }

    interface Rpc {
        /** Largest number of requests in one JSON-RPC batch. Default: {@code 100}. */
        @WithDefault("100")
        int maxBatchSize();

        /** Deepest JSON nesting accepted in a request. Default: {@code 64}. */
        @WithDefault("64")
        int maxNestingDepth();

        /** Longest script accepted by {@code play}, in characters. Default: {@code 262144}. */
        @WithDefault("262144")
        int maxScriptLength();
    }
}
