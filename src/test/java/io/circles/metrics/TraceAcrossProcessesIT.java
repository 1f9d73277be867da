package io.circles.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.circles.crypto.KeyPair;
import io.circles.support.AppProcess;
import io.circles.support.OtlpReceiver;
import io.circles.support.OtlpReceiver.Span;
import io.circles.support.RedisServers;
import io.circles.support.TestCircles;
import io.circles.support.WsClient;

/**
 * One play through the packaged app as it is deployed: a server without a worker and a worker-only process, on
 * one Redis, each exporting its spans over OTLP/HTTP to its own stand-in collector. The worker's span, in the
 * other process, must join the trace the client started with its {@code traceparent}.
 */
class TraceAcrossProcessesIT {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    private static RedisServers redis;
    private static OtlpReceiver serverSpans;
    private static OtlpReceiver workerSpans;
    private static AppProcess server;
    private static AppProcess worker;

    @BeforeAll
    static void start() {
        RedisServers.require();
        redis = RedisServers.standalone();
        serverSpans = new OtlpReceiver();
        workerSpans = new OtlpReceiver();
        Map<String, String> serverEnv = tracingTo(serverSpans);
        serverEnv.put("CIRCLES_WORKER_ENABLED", "false");
        // Both start at once: each process's boot is most of this class's run time.
        CompletableFuture<AppProcess> starting = CompletableFuture.supplyAsync(
                () -> AppProcess.start("traced-worker", List.of("worker"), tracingTo(workerSpans)));
        server = AppProcess.start("traced-server", List.of(), serverEnv);
        worker = starting.join();
    }

    private static Map<String, String> tracingTo(OtlpReceiver receiver) {
        Map<String, String> env = new HashMap<>();
        env.put("REDIS_URL", redis.url());
        env.put("CIRCLES_KEYS", TestCircles.CIRCLE_A);
        env.put("QUARKUS_OTEL_SDK_DISABLED", "false");
        env.put("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf");
        env.put("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", receiver.endpoint());
        env.put("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "100ms");
        return env;
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {server, worker, serverSpans, workerSpans, redis}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                e.printStackTrace();
            }
        }
    }

    @Test
    void the_worker_process_exports_its_span_into_the_trace_the_caller_started_at_the_server() {
        try (WsClient client = WsClient.connect(server.base(), TestCircles.CIRCLE_A,
                Map.of("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01"))) {
            client.authenticate(KeyPair.generate());
            assertEquals("2", client.call("play", Map.of("script", "1 + 1")).get("result").get("output").asText());
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertTrue(!ofTrace(serverSpans, "circles dispatch").isEmpty(), "server spans: " + serverSpans.spans());
            assertTrue(!ofTrace(workerSpans, "circles task").isEmpty(), "worker spans: " + workerSpans.spans());
        });
        Span play = ofTrace(serverSpans, "circles play").get(0);
        assertEquals(CALLER_SPAN, play.parentSpanId(), "the server continues the client's traceparent");
        Set<String> serverSpanIds = serverSpans.spans().stream().map(Span::spanId).collect(Collectors.toSet());
        Span task = ofTrace(workerSpans, "circles task").get(0);
        assertTrue(serverSpanIds.contains(task.parentSpanId()),
                "the worker's span " + task + " has a parent exported by the server: " + serverSpans.spans());
        assertEquals(ofTrace(serverSpans, "circles dispatch").get(0).spanId(), task.parentSpanId());
        assertTrue(ofTrace(workerSpans, "circles play").isEmpty() && ofTrace(serverSpans, "circles task").isEmpty(),
                "each process exports only its own part");
    }

    private static List<Span> ofTrace(OtlpReceiver receiver, String name) {
        return receiver.spans().stream().filter(s -> TRACE_ID.equals(s.traceId()) && name.equals(s.name())).toList();
    }
}
