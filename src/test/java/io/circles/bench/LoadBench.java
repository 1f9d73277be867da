package io.circles.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.circles.crypto.KeyPair;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;

/**
 * Load benchmark (not a unit test): K authenticated connections each keep W trivial plays in flight for D
 * seconds against a running server; prints plays/s and round-trip latency percentiles. The client is
 * Vert.x (Netty) on one event loop, so that the client, not the server, is not what gets measured.
 * <pre>java -cp … io.circles.bench.LoadBench ws://127.0.0.1:8080/&lt;circle_pk&gt; K W D</pre>
 * {@code -Dbench.whoami=true} measures the WebSocket/JSON-RPC path alone (no Redis, no worker).
 * Several servers: give their URLs separated by commas; connection i goes to server i mod n.
 * {@code -Dbench.circles=N}: connection i plays in circle i mod N of N fresh circles instead of the URL's
 * (the servers must serve every circle, i.e. run without {@code -k}).
 */
public final class LoadBench {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final boolean WHOAMI = Boolean.getBoolean("bench.whoami");

    private LoadBench() {
    }

    public static void main(String[] args) throws Exception {
        List<URI> servers = Arrays.stream(args[0].split(",")).map(URI::create).toList();
        int circles = Integer.getInteger("bench.circles", 0);
        List<String> circleKeys = new ArrayList<>();
        for (int i = 0; i < circles; i++) {
            circleKeys.add(KeyPair.generate().publicKeyCompressed());
        }
        int connections = Integer.parseInt(args[1]);
        int window = Integer.parseInt(args[2]);
        long seconds = Long.parseLong(args[3]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20)
                .setMaxConnections(Math.max(50, connections)));
        List<Connection> all = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            URI uri = servers.get(i % servers.size());
            String path = circles > 0 ? "/" + circleKeys.get(i % circles) : uri.getPath();
            Connection c = new Connection(client.connect(uri.getPort(), uri.getHost(), path)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
            c.authenticate(KeyPair.generate());
            all.add(c);
        }
        run(all, window, 3, new Samples()); // warm-up
        Samples samples = new Samples();
        run(all, window, seconds, samples);
        long[] sorted = samples.sorted();
        System.out.printf("%s servers=%d circles=%d connections=%d window=%d duration=%ds count=%d per_second=%.0f p50=%.3fms p90=%.3fms p99=%.3fms errors=%d%n",
                WHOAMI ? "whoami" : "play", servers.size(), Math.max(1, circles), connections, window, seconds, sorted.length, sorted.length / (double) seconds,
                percentile(sorted, 0.50), percentile(sorted, 0.90), percentile(sorted, 0.99), samples.errors.get());
        vertx.close();
        System.exit(0);
    }

    private static void run(List<Connection> connections, int window, long seconds, Samples samples) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (Connection c : connections) {
            for (int w = 0; w < window; w++) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                loops.add(done);
                c.loop(end, samples, done);
            }
        }
        CompletableFuture.allOf(loops.toArray(new CompletableFuture[0])).get(seconds + 60, TimeUnit.SECONDS);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, sorted.length * p)] / 1e6;
    }

    static final class Samples {
        final AtomicLong errors = new AtomicLong();
        private final List<Long> nanos = java.util.Collections.synchronizedList(new ArrayList<>());

        void record(long value) {
            nanos.add(value);
        }

        long[] sorted() {
            long[] values = nanos.stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(values);
            return values;
        }
    }

    static final class Connection {
        private final WebSocket socket;
        private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final AtomicLong ids = new AtomicLong();

        Connection(WebSocket socket) {
            this.socket = socket;
            socket.textMessageHandler(text -> {
                try {
                    JsonNode json = MAPPER.readTree(text);
                    CompletableFuture<JsonNode> future = pending.remove(json.path("id").asLong());
                    if (future != null) {
                        future.complete(json);
                    }
                } catch (Exception ignored) {
                    // not a response of ours
                }
            });
        }

        CompletableFuture<JsonNode> call(String method, String paramsJson) {
            long id = ids.incrementAndGet();
            CompletableFuture<JsonNode> future = new CompletableFuture<>();
            pending.put(id, future);
            socket.writeTextMessage("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + paramsJson + "}");
            return future;
        }

        void authenticate(KeyPair key) throws Exception {
            String pubkey = key.publicKeyCompressed();
            String nonce = call("fetch_nonce", "{\"pubkey\":\"" + pubkey + "\"}").get(10, TimeUnit.SECONDS).path("result").path("nonce").asText();
            JsonNode ok = call("authenticate", "{\"pubkey\":\"" + pubkey + "\",\"signature\":\"" + key.signPersonal(nonce) + "\"}")
                    .get(10, TimeUnit.SECONDS);
            if (!ok.path("result").path("authenticated").asBoolean()) {
                throw new IllegalStateException("authentication failed: " + ok);
            }
        }

        void loop(long end, Samples samples, CompletableFuture<Void> done) {
            if (System.nanoTime() >= end) {
                done.complete(null);
                return;
            }
            long start = System.nanoTime();
            CompletableFuture<JsonNode> reply = WHOAMI ? call("whoami", "{}") : call("play", "{\"script\":\"40 + 2\"}");
            reply.whenComplete((response, failure) -> {
                boolean ok = failure == null && (WHOAMI ? response.has("result") : "42".equals(response.path("result").path("output").asText()));
                if (ok) {
                    samples.record(System.nanoTime() - start);
                } else {
                    samples.errors.incrementAndGet();
                }
                loop(end, samples, done);
            });
        }
    }
}
