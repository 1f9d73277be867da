package io.circles.metrics;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;

/** Collects finished spans in memory for {@link TraceAcrossWorkerTest}; idle while the SDK is disabled (all other tests). */
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter spans() {
        return InMemorySpanExporter.create();
    }
}
