package io.circles.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.jboss.logging.Logger;

import redis.embedded.RedisServer;

/**
 * A real {@code redis-server} (the binary bundled by {@code com.github.codemonstur:embedded-redis}) on a free
 * loopback port, with persistence off. Started only when no Redis is configured: dev mode, tests and the
 * plain local run. Never used in the native image, where {@code REDIS_URL} is required.
 */
public final class EmbeddedRedis {
    private static final Logger LOG = Logger.getLogger(EmbeddedRedis.class);

    private final int port;
    private RedisServer server;

    private EmbeddedRedis(int port) {
        this.port = port;
    }

    /** Starts a server on a free port. */
    public static EmbeddedRedis start() {
        EmbeddedRedis redis = new EmbeddedRedis(freePort());
        redis.restart();
        LOG.infof("No Redis configured (REDIS_URL / --redis-url): started an embedded redis-server on 127.0.0.1:%d", redis.port);
        return redis;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public synchronized boolean isRunning() {
        return server != null && server.isActive();
    }

    /** Stops the server; data is lost (persistence is off). Tests use it to simulate an outage. */
    public synchronized void stop() {
        if (server != null) {
            try {
                server.stop();
            } catch (IOException e) {
                LOG.warnf("Stopping the embedded redis-server failed: %s", e.getMessage());
            }
            server = null;
        }
    }

    /** (Re)starts the server on the same port. */
    public synchronized void restart() {
        if (isRunning()) {
            return;
        }
        try {
            server = RedisServer.newRedisServer()
                    .bind("127.0.0.1")
                    .port(port)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .setting("protected-mode yes")
                    .onShutdownForceStop(true)
                    .build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded redis-server", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
