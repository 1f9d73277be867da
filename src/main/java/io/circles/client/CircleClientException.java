package io.circles.client;

/**
 * Base of every failure a {@link CircleClient} reports through its futures: an error answered by the
 * server ({@link CircleRpcException}), a call that took longer than its timeout ({@link CircleTimeoutException}),
 * or a connection that could not be opened, was lost, or was closed ({@link CircleConnectionException}).
 */
public class CircleClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CircleClientException(String message) {
        super(message);
    }

    public CircleClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
