package io.circles.metrics;

import java.time.Duration;

import jakarta.inject.Singleton;

import io.circles.dispatch.DispatchException;
import io.circles.dispatch.TaskResult;
import io.opentelemetry.api.trace.SpanKind;

/**
 * The server's view of one play or webhook task: opens the endpoint span (continuing the caller's traceparent),
 * and when the task ends closes it and writes the {@link TaskLog} line with the connection id and latency.
 */
@Singleton
public class PlayObserver {
    private final TaskTracing tracing;
    private final Duration slow;

    public PlayObserver(TaskTracing tracing, MetricsConfig config) {
        this.tracing = tracing;
        this.slow = config.slowTask();
    }

    /** One play in flight. */
    public final class Play {
        private final TaskTracing.Hop hop;
        private final String connection;
        private final String circle;
        private final String caller;
        private final long startNanos = System.nanoTime();

        private Play(TaskTracing.Hop hop, String connection, String circle, String caller) {
            this.hop = hop;
            this.connection = connection;
            this.circle = circle;
            this.caller = caller;
        }

        /** What the dispatcher continues. */
        public Traceparent traceparent() {
            return hop.traceparent();
        }

        /** Ends the span and logs the play; exactly one of {@code result} and {@code failure} is non-null. */
        public void ended(TaskResult result, Throwable failure) {
            String outcome = outcome(result, failure);
            String taskId = result != null ? result.taskId() : failure instanceof DispatchException e ? e.taskId() : null;
            hop.taskId(taskId).end(outcome);
            TaskLog.ended(new TaskLog.Entry("server", connection, circle, caller, taskId, outcome,
                    Duration.ofNanos(System.nanoTime() - startNanos), null, hop.traceparent().traceId()), slow);
        }
    }

    /** Starts observing a play on {@code connection}; {@code parent} is the caller's traceparent or null. */
    public Play play(Traceparent parent, String connection, String circle, String caller) {
        return new Play(tracing.start("circles play", SpanKind.SERVER, parent, circle, "play"), connection, circle, caller);
    }

    /** A task's outcome: completed, failed, timed_out, or (refused before it ran) refused or unavailable. */
    static String outcome(TaskResult result, Throwable failure) {
        if (result != null) {
            if (!TaskResult.ERROR.equals(result.status())) {
                return TaskLog.COMPLETED;
            }
            return WorkerOutcome.of(result.error());
        }
        if (failure instanceof DispatchException e) {
            return switch (e.kind()) {
                case TIMEOUT -> TaskLog.TIMED_OUT;
                case BUSY -> TaskLog.REFUSED;
                case UNAVAILABLE -> TaskLog.UNAVAILABLE;
            };
        }
        return TaskLog.FAILED;
    }
}
