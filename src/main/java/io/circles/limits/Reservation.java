package io.circles.limits;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connection's place in the {@link ConnectionCounter}, from the admitted upgrade to the close. Given back exactly
 * once: by the close, or by a timer when the admitted upgrade never became a connection.
 */
final class Reservation {
    private static final int PENDING = 0;
    private static final int OPEN = 1;
    private static final int RELEASED = 2;

    private final String address;
    private final AtomicInteger state = new AtomicInteger(PENDING);

    Reservation(String address) {
        this.address = address;
    }

    String address() {
        return address;
    }

    /** The connection opened: the place is now its own. False when the place already lapsed. */
    boolean claim() {
        return state.compareAndSet(PENDING, OPEN);
    }

    /** The upgrade never opened a connection: true when the caller must give the place back. */
    boolean lapse() {
        return state.compareAndSet(PENDING, RELEASED);
    }

    /** The connection closed: true when the caller must give the place back. */
    boolean close() {
        return state.compareAndSet(OPEN, RELEASED);
    }
}
