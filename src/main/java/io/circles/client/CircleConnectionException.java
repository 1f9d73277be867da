package io.circles.client;

/**
 * The connection could not be opened, dropped while a call was in flight (the call's outcome on the server is
 * unknown; a {@code play} may still have run, see {@code task_status}), or the client was closed.
 */
public class CircleConnectionException extends CircleClientException {
    private static final long serialVersionUID = 1L;

    public CircleConnectionException(String message) {
        super(message);
    }

    public CircleConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
