package io.circles.rhai.packages;

import io.circles.rhai.types.ErrorKind;
import io.circles.rhai.types.FunctionCallError;
import io.circles.rhai.types.Position;
import io.circles.rhai.types.RhaiException;
import io.circles.rhai.func.NativeFunction;

/**
 * An error raised by a callback (closure / function pointer) called from a standard-library function such as
 * {@code map} or {@code filter}, wrapped like the reference engine's {@code ErrorInFunctionCall}:
 * {@code "<inner error>\nin call to function 'map'"}. {@code catch} sees the inner error's value.
 */
public final class CallbackError extends FunctionCallError {

    CallbackError(String fnName, RhaiException inner) {
        super(inner, inner.getMessage() + "\nin call to function '" + fnName + "'", Position.NONE);
    }

    /** Wraps errors escaping {@code fn} (limit errors pass through unchanged). */
    static NativeFunction wrapping(String fnName, NativeFunction fn) {
        return (ctx, a) -> {
            try {
                return fn.call(ctx, a);
            } catch (RhaiException e) {
                if (ArrayPackage.isFatal(e) || e.kind() == ErrorKind.PARSING) {
                    throw e;
                }
                throw new CallbackError(fnName, e);
            }
        };
    }
}
