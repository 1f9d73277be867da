package io.circles.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.circles.crypto.KeyPair;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;

/**
 * Memory per idle authenticated connection (not a unit test): measures the server's heap after a full GC and
 * its resident set, opens N WebSocket connections that each authenticate with a fresh key and then stay idle,
 * measures again, and prints the difference per connection.
 * <pre>java -cp … io.circles.bench.ConnectionMemoryBench ws://127.0.0.1:8080/&lt;circle_pk&gt; N &lt;server pid&gt;</pre>
 * The server must allow N connections from one address ({@code circles.limits.*}) and have file descriptors for them.
 */
public final class ConnectionMemoryBench {
    private ConnectionMemoryBench() {
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int count = Integer.parseInt(args[1]);
        long pid = Long.parseLong(args[2]);
        long heapBefore = heapAfterGc(pid);
        long rssBefore = rss(pid);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        // Vert.x caps a client at 50 WebSockets per server unless told otherwise
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20).setMaxConnections(count + 16));
        List<LoadBench.Connection> open = new ArrayList<>();
        Semaphore parallel = new Semaphore(64);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            parallel.acquire();
            CompletableFuture<Void> done = client.connect(uri.getPort(), uri.getHost(), uri.getPath()).toCompletionStage()
                    .toCompletableFuture()
                    .thenAcceptAsync(socket -> {
                        LoadBench.Connection connection = new LoadBench.Connection(socket);
                        try {
                            connection.authenticate(KeyPair.generate());
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        synchronized (open) {
                            open.add(connection);
                        }
                    })
                    .whenComplete((ok, failure) -> parallel.release());
            all.add(done);
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(10, TimeUnit.MINUTES);
        long heapAfter = heapAfterGc(pid);
        long rssAfter = rss(pid);
        System.out.printf("connections=%d heap_before=%dKiB heap_after=%dKiB heap_per_connection=%.1fKiB rss_before=%dKiB"
                + " rss_after=%dKiB rss_per_connection=%.1fKiB%n", open.size(), heapBefore, heapAfter,
                (heapAfter - heapBefore) / (double) open.size(), rssBefore, rssAfter, (rssAfter - rssBefore) / (double) open.size());
        vertx.close();
        System.exit(0);
    }

    /** Heap in use (KiB) after a full collection: {@code jcmd GC.run}, then the used columns of {@code jstat -gc}. */
    private static long heapAfterGc(long pid) throws IOException, InterruptedException {
        run("jcmd", Long.toString(pid), "GC.run");
        String[] lines = run("jstat", "-gc", Long.toString(pid)).trim().split("\n");
        String[] names = lines[0].trim().split("\\s+");
        String[] values = lines[1].trim().split("\\s+");
        double used = 0;
        for (int i = 0; i < names.length; i++) {
            if (List.of("S0U", "S1U", "EU", "OU").contains(names[i])) {
                used += Double.parseDouble(values[i]);
            }
        }
        return (long) used;
    }

    private static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Path jdkBin = Path.of(System.getProperty("java.home"), "bin");
        command[0] = jdkBin.resolve(command[0]).toString();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        return output;
    }
}
