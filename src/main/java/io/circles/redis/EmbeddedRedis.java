package io.circles.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import redis.embedded.RedisServer;

/**
 * A real {@code redis-server} (the binary bundled by {@code com.github.codemonstur:embedded-redis}) on a free
 * loopback port, with persistence off. Started only when no Redis is configured: dev mode, tests and the
 * plain local run. Never used in the native image, where {@code REDIS_URL} is required.
 * <p>
 * The process is launched here rather than through the library's {@code RedisServer}, whose JVM shutdown hook
 * kills Redis the moment shutdown begins, before plays in flight can finish. This class stops it after the
 * application ({@link RedisLocator}); its own hook only cleans up if the application never did.
 */
public final class EmbeddedRedis {
    private static final Logger LOG = Logger.getLogger(EmbeddedRedis.class);
    private static final long START_TIMEOUT_MILLIS = 10_000;
    private static final long ORPHAN_GRACE_SECONDS = 30;

    private final int port;
    private final Path workDir;
    private Process process;

    private EmbeddedRedis(int port, Path workDir) {
        this.port = port;
        this.workDir = workDir;
    }

    /** Starts a server on a free port. */
    public static EmbeddedRedis start() {
        try {
            EmbeddedRedis redis = new EmbeddedRedis(freePort(), Files.createTempDirectory("circles-redis"));
            redis.restart();
            Runtime.getRuntime().addShutdownHook(new Thread(redis::stopIfOrphaned, "embedded-redis-cleanup"));
            LOG.infof("No Redis configured (REDIS_URL / --redis-url): started an embedded redis-server on 127.0.0.1:%d", redis.port);
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the server; data is lost (persistence is off). Tests use it to simulate an outage. */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** (Re)starts the server on the same port and waits until it accepts connections. */
    public synchronized void restart() {
        if (isRunning()) {
            return;
        }
        try {
            List<String> command = new ArrayList<>(RedisServer.newRedisServer().port(port).buildCommandArgs());
            command.addAll(List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", workDir.toString()));
            process = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(workDir.resolve("redis.log").toFile()).start();
            awaitListening();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded redis-server", e);
        }
    }

    private void awaitListening() throws IOException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new IOException("redis-server did not start; see " + workDir.resolve("redis.log"));
                }
                try {
                    Thread.sleep(20); // polling a port another process is opening
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while starting redis-server");
                }
            }
        }
    }

    /** JVM exit without an orderly application stop: give the application its grace, then stop Redis. */
    private void stopIfOrphaned() {
        Process running;
        synchronized (this) {
            running = process;
        }
        try {
            if (running != null && !running.waitFor(ORPHAN_GRACE_SECONDS, TimeUnit.SECONDS)) {
                stop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
