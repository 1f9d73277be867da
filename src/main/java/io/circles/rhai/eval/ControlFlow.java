package io.circles.rhai.eval;

/** Non-error control transfers (break / continue / return) implemented as stackless exceptions. */
public abstract class ControlFlow extends RuntimeException {
    ControlFlow() {
        super(null, null, false, false);
    }

    public static final class Break extends ControlFlow {
        public final Object value;

        public Break(Object value) {
            this.value = value;
        }
    }

    public static final class Continue extends ControlFlow {
        public static final Continue INSTANCE = new Continue();
    }

    /** {@code exit(value)}: ends the whole script with a value (not catchable). */
    public static final class Exit extends ControlFlow {
        public final Object value;

        public Exit(Object value) {
            this.value = value;
        }
    }

    public static final class Return extends ControlFlow {
        public final Object value;

        public Return(Object value) {
            this.value = value;
        }
    }
}
