package io.circles.limits;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Per-instance limits against hostile load ({@code circles.limits.*}); docs/SECURITY.md lists each one with what
 * an abuser gets, and a test keeps that table equal to these defaults. Per-caller task caps and queue quotas
 * are dispatch settings ({@code circles.dispatch.*}).
 */
@ConfigMapping(prefix = "circles.limits")
public interface LimitsConfig {

    /** Open WebSocket connections on this instance; beyond it the upgrade gets HTTP 503. Default: {@code 10000}. */
    @WithDefault("10000")
    int maxConnections();

    /** Open WebSocket connections from one client address; beyond it the upgrade gets HTTP 429. Default: {@code 64}. */
    @WithDefault("64")
    int maxConnectionsPerAddress();

    /**
     * Peers (addresses or CIDR ranges) whose {@code X-Forwarded-For} is believed, such as Knative's activator; the
     * client address is then the first untrusted hop from the right. From any other peer the header is ignored.
     * Default: none.
     */
    Optional<List<String>> trustedProxies();

    /**
     * How long a connection may stay unauthenticated (with authentication off: idle, no frame) before it is
     * closed with 1008. Default: {@code 30s}.
     */
    @WithDefault("30s")
    Duration unauthenticatedTimeout();

    /** {@code fetch_nonce} calls per client address. Default: {@code 5} per second, burst {@code 20}. */
    @WithDefault("5")
    double fetchNoncePerSecond();

    /** Burst of {@code fetch_nonce} calls per client address. Default: {@code 20}. */
    @WithDefault("20")
    int fetchNonceBurst();

    /** {@code authenticate} calls per client address. Default: {@code 5} per second. */
    @WithDefault("5")
    double authenticatePerSecond();

    /** Burst of {@code authenticate} calls per client address. Default: {@code 20}. */
    @WithDefault("20")
    int authenticateBurst();

    /** {@code play} calls per client address. Default: {@code 100} per second. */
    @WithDefault("100")
    double playPerSecond();

    /** Burst of {@code play} calls per client address. Default: {@code 200}. */
    @WithDefault("200")
    int playBurst();

    /** Failed authentications (per connection, and per key) allowed before backoff starts. Default: {@code 3}. */
    @WithDefault("3")
    int authFreeFailures();

    /** First wait after the free failures; it doubles with each further failure. Default: {@code 1s}. */
    @WithDefault("1s")
    Duration authBackoffInitial();

    /** Longest wait imposed after failed authentications. Default: {@code 60s}. */
    @WithDefault("60s")
    Duration authBackoffMax();

    /** Replies queued for a connection that is not reading, at which the server stops reading its requests. Default: {@code 1M}. */
    @WithDefault("1M")
    MemorySize outboundPauseAt();

    /** Replies queued for a connection at which it is closed with 1008. Default: {@code 8M}. */
    @WithDefault("8M")
    MemorySize outboundCloseAt();

    /** How long queued replies may make no progress before the connection is closed with 1008. Default: {@code 15s}. */
    @WithDefault("15s")
    Duration outboundStallTimeout();

    /** Largest JSON-RPC batch response; a larger one is replaced by a -32600 error. Default: {@code 4M}. */
    @WithDefault("4M")
    MemorySize maxBatchResponse();

    /**
     * Bytes of scripts played from one client address and not answered yet (queued or running), on top of the
     * dispatcher's per-caller task caps; beyond it {@code play} gets -32005. Default: {@code 16M}.
     */
    @WithDefault("16M")
    MemorySize maxQueuedScriptBytesPerAddress();

    /** Client addresses whose rate and backoff state is kept; idle ones are forgotten first. Default: {@code 100000}. */
    @WithDefault("100000")
    int maxTrackedAddresses();
}
