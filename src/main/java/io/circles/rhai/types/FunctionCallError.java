package io.circles.rhai.types;

/**
 * An error raised inside a called function, wrapped with the call (Rhai's {@code ErrorInFunctionCall}): the
 * message reads {@code "<inner error>\nin call to function 'f'"}, while {@code try/catch} and {@link #root()}
 * see the inner error.
 */
public class FunctionCallError extends RhaiException {
    private final RhaiException inner;

    public FunctionCallError(RhaiException inner, String message, Position position) {
        super(ErrorKind.IN_FUNCTION_CALL, message, position, inner.thrownValue(), inner.detail());
        this.inner = inner;
    }

    /** The error as the called function raised it. */
    public RhaiException inner() {
        return inner;
    }

    @Override
    public RhaiException root() {
        return inner.root();
    }

    @Override
    public Object toCatchValue() {
        return inner.toCatchValue();
    }
}
