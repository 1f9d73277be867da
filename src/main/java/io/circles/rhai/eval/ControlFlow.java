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

    public static final class Return extends ControlFlow {
        public final Object value;

        public Return(Object value) {
            this.value = value;
        }
    }
}
