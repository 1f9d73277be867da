package io.circles.metrics;

/**
 * Told about every JSON-RPC request the processor answers (notifications included). Implementations must be cheap
 * and must not throw: they run on the event loop for every call.
 */
@FunctionalInterface
public interface CallObserver {
    /** Outcome code of a successful call. */
    int OK = 0;

    /** Observes nothing. */
    CallObserver NONE = (method, code, nanos) -> { };

    /**
     * @param method the method name if the processor knows it, otherwise {@code null} (unknown or missing names
     *               must never become labels)
     * @param code   {@link #OK} or the JSON-RPC error code answered
     * @param nanos  time from receiving the request to having its answer
     */
    void called(String method, int code, long nanos);
}
