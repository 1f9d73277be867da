package io.circles.client;

import java.time.Duration;

/**
 * No answer arrived within the call's client-side timeout. The request may still complete on the server (a
 * {@code play} keeps running); its late answer is dropped. A server-side timeout is a
 * {@link CircleRpcException} with code {@link CircleRpcException#TIMEOUT} instead.
 */
public class CircleTimeoutException extends CircleClientException {
    private static final long serialVersionUID = 1L;
    private final String method;
    private final transient Duration timeout;

    public CircleTimeoutException(String method, Duration timeout) {
        super(method + " timed out after " + timeout.toMillis() + " ms");
        this.method = method;
        this.timeout = timeout;
    }

    public String method() {
        return method;
    }

    public Duration timeout() {
        return timeout;
    }
}
