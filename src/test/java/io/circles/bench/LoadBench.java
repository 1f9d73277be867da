package io.circles.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.circles.crypto.KeyPair;

/**
 * Load benchmark (not a unit test): K authenticated connections each keep W trivial plays in flight for D
 * seconds against a running server; prints plays/s and round-trip latency percentiles.
 * <pre>java -cp … io.circles.bench.LoadBench ws://127.0.0.1:8080/&lt;circle_pk&gt; K W D</pre>
 */
public final class LoadBench {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LoadBench() {
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int connections = Integer.parseInt(args[1]);
        int window = Integer.parseInt(args[2]);
        long seconds = Long.parseLong(args[3]);
        List<Connection> all = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            all.add(new Connection(uri));
        }
        for (Connection c : all) {
            c.authenticate(KeyPair.generate());
        }
        run(all, window, 3); // warm-up
        Result result = run(all, window, seconds);
        double p50 = result.percentile(0.50);
        double p90 = result.percentile(0.90);
        double p99 = result.percentile(0.99);
        System.out.printf("connections=%d window=%d duration=%ds plays=%d plays/s=%.0f p50=%.3fms p90=%.3fms p99=%.3fms errors=%d%n",
                connections, window, seconds, result.count, result.count / (double) seconds, p50, p90, p99, result.errors.get());
        System.exit(0);
    }

    private static Result run(List<Connection> connections, int window, long seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Result result = new Result();
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (Connection c : connections) {
            for (int w = 0; w < window; w++) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                loops.add(done);
                c.loop(end, result, done);
            }
        }
        CompletableFuture.allOf(loops.toArray(new CompletableFuture[0])).get(seconds + 60, TimeUnit.SECONDS);
        return result;
    }

    static final class Result {
        final AtomicLong errors = new AtomicLong();
        long count;
        private final List<Long> samples = java.util.Collections.synchronizedList(new ArrayList<>());

        void record(long nanos) {
            samples.add(nanos);
        }

        double percentile(double p) {
            long[] sorted = samples.stream().mapToLong(Long::longValue).toArray();
            count = sorted.length;
            Arrays.sort(sorted);
            return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, sorted.length * p)] / 1e6;
        }
    }

    static final class Connection implements WebSocket.Listener {
        private final WebSocket socket;
        private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final AtomicLong ids = new AtomicLong();
        private final StringBuilder partial = new StringBuilder();
        private CompletableFuture<WebSocket> sendChain;

        Connection(URI uri) {
            this.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, this).join();
            this.sendChain = CompletableFuture.completedFuture(socket);
        }

        CompletableFuture<JsonNode> call(String method, Map<String, Object> params) {
            long id = ids.incrementAndGet();
            CompletableFuture<JsonNode> future = new CompletableFuture<>();
            pending.put(id, future);
            var request = MAPPER.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
            request.set("params", MAPPER.valueToTree(params));
            String text = request.toString();
            synchronized (this) {
                // one outstanding send at a time (JDK WebSocket rule), chained instead of blocking the caller
                sendChain = sendChain.thenCompose(ws -> ws.sendText(text, true));
            }
            return future;
        }

        void authenticate(KeyPair key) {
            String nonce = call("fetch_nonce", Map.of("pubkey", key.publicKeyCompressed())).join().path("result").path("nonce").asText();
            call("authenticate", Map.of("pubkey", key.publicKeyCompressed(), "signature", key.signPersonal(nonce))).join();
        }

        void loop(long end, Result result, CompletableFuture<Void> done) {
            if (System.nanoTime() >= end) {
                done.complete(null);
                return;
            }
            long start = System.nanoTime();
            call("play", Map.of("script", "40 + 2")).whenComplete((response, failure) -> {
                if (failure == null && "42".equals(response.path("result").path("output").asText())) {
                    result.record(System.nanoTime() - start);
                } else {
                    result.errors.incrementAndGet();
                }
                loop(end, result, done);
            });
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode json = MAPPER.readTree(partial.toString());
                    CompletableFuture<JsonNode> future = pending.remove(json.path("id").asLong());
                    if (future != null) {
                        future.completeAsync(() -> json); // off the socket's reader thread
                    }
                } catch (Exception ignored) {
                    // not for us
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
