package io.circles.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.circles.crypto.KeyPair;
import io.circles.support.TestCircles;
import io.circles.support.WsClient;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * With tracing on, one play is one trace: the endpoint's span continues the caller's {@code traceparent} (sent on
 * the WebSocket upgrade), the dispatcher's span is its child, and the worker's span, started from the task hash's
 * {@code traceparent} field as any worker process would, is the dispatcher's child.
 */
@QuarkusTest
@TestProfile(TraceAcrossWorkerTest.TracingOn.class)
public class TraceAcrossWorkerTest {
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String CALLER_SPAN = "b7ad6b7169203331";

    public static class TracingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.bsp.schedule.delay", "50ms");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    InMemorySpanExporter spans;

    @Test
    void the_workers_span_joins_the_callers_trace_through_the_task_hash() {
        spans.reset();
        String taskId;
        try (WsClient client = WsClient.connect(base, TestCircles.CIRCLE_A,
                Map.of("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01"))) {
            client.authenticate(KeyPair.generate());
            JsonNode result = client.call("play", Map.of("script", "6 * 7")).get("result");
            assertEquals("42", result.get("output").asText());
            taskId = result.get("task_id").asText();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> named("circles task").size() == 1 && named("circles play").size() == 1);
        SpanData play = named("circles play").get(0);
        SpanData dispatch = named("circles dispatch").get(0);
        SpanData task = named("circles task").get(0);

        assertEquals(TRACE_ID, play.getTraceId());
        assertEquals(CALLER_SPAN, play.getParentSpanId());
        assertEquals(TRACE_ID, dispatch.getTraceId());
        assertEquals(play.getSpanId(), dispatch.getParentSpanId());
        assertEquals(TRACE_ID, task.getTraceId());
        assertEquals(dispatch.getSpanId(), task.getParentSpanId());
        assertTrue(task.getParentSpanContext().isRemote(), "the worker continues a context read from Redis");
        assertEquals(SpanKind.CONSUMER, task.getKind());
        assertEquals(taskId, task.getAttributes().get(AttributeKey.stringKey(TaskTracing.TASK_ID)));
        assertEquals("completed", task.getAttributes().get(AttributeKey.stringKey(TaskTracing.OUTCOME)));
        assertEquals(TestCircles.CIRCLE_A.substring(2), task.getAttributes().get(AttributeKey.stringKey(TaskTracing.CIRCLE)));
    }

    private List<SpanData> named(String name) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
    }
}
