package io.circles.support;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;

/**
 * The packaged application as a real process: the native executable when the build made one
 * ({@code native.image.path}), else {@code java -jar target/quarkus-app/quarkus-run.jar}. For tests that need
 * several instances, SIGTERM or SIGKILL.
 */
public final class AppProcess implements AutoCloseable {
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    private final String name;
    private final int port;
    private final File log;
    private final Process process;

    private AppProcess(String name, int port, File log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts the app and waits until it is ready.
     *
     * @param args command-line arguments after the program (e.g. {@code worker}, {@code -k <pk>})
     * @param env  extra environment ({@code REDIS_URL}, {@code CIRCLES_*})
     */
    public static AppProcess start(String name, List<String> args, Map<String, String> env) {
        List<String> command = new ArrayList<>(launcher());
        command.addAll(args);
        try {
            int port = RedisServers.freePort();
            File log = File.createTempFile("circles-" + name, ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
            builder.environment().putAll(env);
            builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
            builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
            AppProcess app = new AppProcess(name, port, log, builder.start());
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> app.ready() || !app.process.isAlive());
            if (!app.process.isAlive()) {
                throw new IllegalStateException(name + " exited at start:\n" + app.log());
            }
            return app;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> launcher() {
        String nativeImage = System.getProperty("native.image.path");
        if (nativeImage != null && Files.isExecutable(Path.of(nativeImage))) {
            return List.of(nativeImage);
        }
        Assumptions.assumeTrue(Files.exists(JAR), "package the application first");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path archive = JAR.resolveSibling("app-cds.jsa");
        return Files.exists(archive)
                ? List.of(java, "-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-jar", JAR.toString())
                : List.of(java, "-jar", JAR.toString());
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    public boolean ready() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(base().resolve("/q/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String log() {
        try {
            return Files.readString(log.toPath());
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL, and waits until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public Process process() {
        return process;
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * Stops the app the way Knative does (SIGTERM), and SIGKILLs it only if it is still there after 20 s: a killed
     * app cannot stop the embedded {@code redis-server} it started, which would outlive the test run.
     */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        terminate();
        try {
            if (process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
    }
}
