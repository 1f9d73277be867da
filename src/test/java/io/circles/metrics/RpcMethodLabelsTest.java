package io.circles.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.circles.rpc.JsonRpcProcessor;
import io.circles.rpc.RpcException;
import io.circles.rpc.RpcMethod;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;

/** The {@code method} label of {@code circles_rpc_calls_total} takes only implemented method names, or {@code other}. */
class RpcMethodLabelsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CirclesMetrics metrics = new CirclesMetrics(registry);
    private final JsonRpcProcessor processor = new JsonRpcProcessor(new ObjectMapper(), 100, metrics.callObserver());
    private final Map<String, RpcMethod> methods = Map.of(
            "echo", new RpcMethod("echo", List.of("x"), 0, p -> Uni.createFrom().item(p)),
            "fail", new RpcMethod("fail", List.of(), 0, p -> Uni.createFrom().failure(new RpcException(-32004, "no"))));

    private void send(String frame) {
        processor.process(frame, methods).await().atMost(Duration.ofSeconds(5));
    }

    private Set<String> labels(String key) {
        Set<String> values = new TreeSet<>();
        registry.find(CirclesMetrics.RPC_CALLS).counters().forEach(c -> values.add(c.getId().getTag(key)));
        return values;
    }

    private double count(String method, String outcome) {
        Counter counter = registry.find(CirclesMetrics.RPC_CALLS).tag("method", method).tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void unknown_method_names_from_clients_are_counted_as_other() {
        for (int i = 0; i < 50; i++) {
            send("{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"m_" + UUID.randomUUID() + "\"}");
        }
        assertEquals(Set.of("other"), labels("method"));
        assertEquals(50, count("other", "-32601"));
    }

    @Test
    void implemented_methods_keep_their_name_with_the_outcome_code() {
        send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":{\"x\":1}}");
        send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"fail\"}");
        send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"echo\",\"params\":{\"nope\":1}}");
        assertEquals(1, count("echo", "ok"));
        assertEquals(1, count("fail", "-32004"));
        assertEquals(1, count("echo", "-32602"));
    }

    @Test
    void malformed_frames_batches_and_notifications_are_each_counted_once_without_new_labels() {
        send("not json at all {");
        send("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\"},{\"jsonrpc\":\"2.0\",\"method\":\"fail\"},42]");
        send("{\"jsonrpc\":\"1.0\",\"id\":9,\"method\":\"echo\"}");
        assertEquals(1, count("other", "-32700"));
        assertEquals(1, count("echo", "ok"));
        assertEquals(1, count("fail", "-32004"), "a failed notification still counts as a failure");
        assertEquals(1, count("other", "-32600"), "the batch's non-object");
        assertEquals(1, count("echo", "-32600"), "the bad jsonrpc version");
        assertTrue(Set.of("echo", "fail", "other").containsAll(labels("method")), labels("method").toString());
    }

    @Test
    void only_play_calls_feed_the_play_latency_histogram() {
        metrics.callObserver().called("play", 0, Duration.ofMillis(5).toNanos());
        metrics.callObserver().called("whoami", 0, Duration.ofMillis(5).toNanos());
        assertEquals(1, registry.find(CirclesMetrics.PLAY_LATENCY).timer().count());
    }
}
