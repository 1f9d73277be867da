package io.circles.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;

/**
 * Real {@code redis-server} processes on loopback for multi-process tests: one standalone server (with an
 * append-only file, so it can be killed and restarted with its data) or a Cluster of three masters. Uses Debian's
 * {@code redis-server}/{@code redis-cli} ({@code .ci/run} installs them); in CI their absence fails the test.
 */
public final class RedisServers implements AutoCloseable {
    private static final Path SERVER = Path.of("/usr/bin/redis-server");
    private static final Path CLI = Path.of("/usr/bin/redis-cli");

    private final List<Node> nodes = new ArrayList<>();
    private final boolean cluster;

    /** One redis-server process. */
    public static final class Node {
        final int port;
        final Path dir;
        final boolean cluster;
        Process process;

        Node(int port, Path dir, boolean cluster) {
            this.port = port;
            this.dir = dir;
            this.cluster = cluster;
        }

        public int port() {
            return port;
        }
    }

    private RedisServers(boolean cluster) {
        this.cluster = cluster;
    }

    /** A standalone server with persistence on (appendfsync always), so a SIGKILL loses nothing written. */
    public static RedisServers standalone() {
        RedisServers servers = new RedisServers(false);
        servers.add();
        return servers;
    }

    /** Three masters, slots spread evenly, no replicas. */
    public static RedisServers cluster() {
        RedisServers servers = new RedisServers(true);
        for (int i = 0; i < 3; i++) {
            servers.add();
        }
        List<String> create = new ArrayList<>(List.of(CLI.toString(), "--cluster", "create"));
        servers.nodes.forEach(node -> create.add("127.0.0.1:" + node.port));
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        run(create);
        await().atMost(Duration.ofSeconds(30)).until(() -> servers.nodes.stream()
                .allMatch(node -> run(List.of(CLI.toString(), "-p", String.valueOf(node.port), "cluster", "info")).contains("cluster_state:ok")));
        return servers;
    }

    /** Fails in CI, skips elsewhere, when Debian's redis-server is not installed. */
    public static void require() {
        boolean present = Files.isExecutable(SERVER) && Files.isExecutable(CLI);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("redis-server is required in CI (.ci/run installs it)");
        }
        Assumptions.assumeTrue(present, "install redis-server to run multi-process tests");
    }

    /** {@code REDIS_URL} for the app: one URL, or every master's, comma-separated. */
    public String url() {
        return nodes.stream().map(node -> "redis://127.0.0.1:" + node.port).collect(Collectors.joining(","));
    }

    public boolean isCluster() {
        return cluster;
    }

    public Node node(int index) {
        return nodes.get(index);
    }

    /** Runs a redis-cli command against node {@code index} (with -c: follows Cluster redirects). */
    public String cli(int index, String... args) {
        List<String> command = new ArrayList<>(List.of(CLI.toString(), "-c", "-p", String.valueOf(nodes.get(index).port)));
        command.addAll(List.of(args));
        return run(command).strip();
    }

    public void kill(Node node) {
        node.process.destroyForcibly();
        try {
            node.process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the node again on its port, with its data directory. */
    public void restart(Node node) {
        start(node);
    }

    private void add() {
        try {
            Node node = new Node(freePort(), Files.createTempDirectory("circles-redis"), cluster);
            nodes.add(node);
            start(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void start(Node node) {
        List<String> command = new ArrayList<>(List.of(SERVER.toString(), "--port", String.valueOf(node.port), "--bind", "127.0.0.1",
                "--dir", node.dir.toString(), "--save", ""));
        if (node.cluster) {
            command.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--appendonly", "no"));
        } else {
            command.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
        }
        try {
            node.process = new ProcessBuilder(command).directory(node.dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(node.dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> run(List.of(CLI.toString(), "-p", String.valueOf(node.port), "ping")).contains("PONG"));
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            process.waitFor();
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        nodes.forEach(this::kill);
    }
}
