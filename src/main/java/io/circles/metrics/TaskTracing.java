package io.circles.metrics;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/**
 * Spans of one task's way: the JSON-RPC call or webhook, the dispatcher, the worker's run. The link between
 * processes is the task's {@code traceparent} field, not an in-process context, so the worker's span joins the
 * caller's trace whichever pod runs it. With the OpenTelemetry SDK off (the default) the spans are no-ops, yet a
 * traceparent still travels (a child of the caller's, or a new one) so logs of both sides share a trace id.
 */
@Singleton
public class TaskTracing {
    public static final String CIRCLE = "circles.circle";
    public static final String METHOD = "circles.method";
    public static final String TASK_ID = "circles.task_id";
    public static final String OUTCOME = "circles.outcome";

    private final Tracer tracer;

    public TaskTracing(OpenTelemetry openTelemetry,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false") boolean sdkDisabled) {
        // With the SDK disabled Quarkus still hands out a sampling tracer that nobody exports from: every span
        // would be built, filled with attributes and dropped, on every play (about 8% of a play's CPU, measured).
        this.tracer = (sdkDisabled ? OpenTelemetry.noop() : openTelemetry).getTracer("io.circles");
    }

    /** A started span and the traceparent its children get. End it exactly once. */
    public record Hop(Span span, Traceparent traceparent) {
        public Hop taskId(String taskId) {
            if (taskId != null) {
                span.setAttribute(TASK_ID, taskId);
            }
            return this;
        }

        public void end(String outcome) {
            span.setAttribute(OUTCOME, outcome);
            if (!TaskLog.COMPLETED.equals(outcome) && !"ok".equals(outcome)) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        }
    }

    /**
     * Starts span {@code name} as a child of {@code parent} (a root span when null).
     *
     * @param method the JSON-RPC method or webhook provider, for the span's attributes
     */
    public Hop start(String name, SpanKind kind, Traceparent parent, String circle, String method) {
        Context context = Context.root();
        if (parent != null) {
            context = context.with(Span.wrap(SpanContext.createFromRemoteParent(parent.traceId(), parent.spanId(),
                    TraceFlags.fromHex(parent.flags(), 0), TraceState.getDefault())));
        }
        Span span = tracer.spanBuilder(name).setParent(context).setSpanKind(kind)
                .setAttribute(CIRCLE, circle == null ? "" : circle)
                .setAttribute(METHOD, method == null ? "" : method)
                .startSpan();
        return new Hop(span, passOn(span.getSpanContext(), parent));
    }

    /** What the next hop gets: this span's context, or without a recording tracer a child of the parent. */
    private static Traceparent passOn(SpanContext own, Traceparent parent) {
        boolean real = own.isValid() && (parent == null || !own.getSpanId().equals(parent.spanId()));
        if (real) {
            return new Traceparent(own.getTraceId(), own.getSpanId(), own.getTraceFlags().asHex());
        }
        return parent == null ? Traceparent.random() : parent.child();
    }
}
