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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import redis.embedded.RedisServer;

/**
 * A real {@code redis-server} (the binary bundled by {@code com.github.codemonstur:embedded-redis}) on a free
 * loopback port, with persistence off. Started only when no Redis is configured: dev mode, tests and the
 * plain local run. Never used in the native image, where {@code REDIS_URL} is required.
 * <p>
 * The process is launched here rather than through the library's {@code RedisServer}, whose JVM shutdown hook
 * kills Redis the moment shutdown begins, before plays in flight can finish. This class stops it after the
 * application ({@link RedisLocator}); its own hook only cleans up if the application never did.
 * <p>
 * Dev mode: a live reload stops and restarts the application in the same JVM. {@link #release()} then leaves the
 * server running and notes it in the system property {@value #DEV_HANDOFF} (outside the {@code circles.} prefix,
 * whose unknown keys Quarkus rejects); the next {@link #start()} adopts it, so the circles' data survives the
 * reload. Only text crosses the reload: the application's classes are loaded afresh each time.
 */
public final class EmbeddedRedis {
    private static final Logger LOG = Logger.getLogger(EmbeddedRedis.class);
    private static final long START_TIMEOUT_MILLIS = 10_000;
    private static final long ORPHAN_GRACE_SECONDS = 30;
    private static final long STOP_WAIT_SECONDS = 5;
    /** System property holding {@code port pid workDir} of the server kept across a dev-mode live reload. */
    static final String DEV_HANDOFF = "embedded-redis.dev-handoff";

    private final int port;
    private final Path workDir;
    private ProcessHandle process;

    private EmbeddedRedis(int port, Path workDir) {
        this.port = port;
        this.workDir = workDir;
    }

    /** Starts a server on a free port, or in dev mode adopts the one the application had before a live reload. */
    public static EmbeddedRedis start() {
        if (LaunchMode.current() == LaunchMode.DEVELOPMENT) {
            EmbeddedRedis kept = adoptHandedOff();
            if (kept != null) {
                LOG.infof("Live reload: kept the embedded redis-server on 127.0.0.1:%d (its data too)", kept.port);
                return kept;
            }
        }
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

    /**
     * The application stops: stop the server, except on a dev-mode live reload (the JVM lives on), where it is
     * handed to the next start.
     */
    public void release() {
        if (LaunchMode.current() == LaunchMode.DEVELOPMENT && !jvmShuttingDown()) {
            handOff();
        } else {
            stop();
        }
    }

    /** Leaves the server running for {@link #adoptHandedOff()}. */
    synchronized void handOff() {
        if (isRunning()) {
            System.setProperty(DEV_HANDOFF, port + " " + process.pid() + " " + workDir);
        }
    }

    /** The server a previous application instance handed off, if it still runs; the hand-off is consumed. */
    static EmbeddedRedis adoptHandedOff() {
        String note = System.clearProperty(DEV_HANDOFF);
        if (note == null) {
            return null;
        }
        String[] parts = note.split(" ", 3);
        try {
            EmbeddedRedis kept = new EmbeddedRedis(Integer.parseInt(parts[0]), Path.of(parts[2]));
            kept.process = ProcessHandle.of(Long.parseLong(parts[1])).filter(ProcessHandle::isAlive).orElse(null);
            return kept.isRunning() ? kept : null;
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    /** Stops the server; data is lost (persistence is off). Tests use it to simulate an outage. */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                process.onExit().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                process.destroyForcibly();
            } catch (ExecutionException e) {
                // onExit does not fail; nothing to clean up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** True once the JVM runs its shutdown hooks (no more hooks may be added then). */
    private static boolean jvmShuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
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
                    .redirectErrorStream(true).redirectOutput(workDir.resolve("redis.log").toFile()).start().toHandle();
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
        ProcessHandle running;
        synchronized (this) {
            running = process;
        }
        if (running == null) {
            return;
        }
        try {
            running.onExit().get(ORPHAN_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            stop();
        } catch (ExecutionException e) {
            // onExit does not fail
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
