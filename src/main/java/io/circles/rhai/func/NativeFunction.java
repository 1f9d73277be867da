package io.circles.rhai.func;

/**
 * A function implemented in Java. {@code args[0]} is the receiver in method-call style; to replace an immutable
 * receiver assign {@code args[0] = newValue} (the evaluator writes it back when the receiver is assignable).
 */
@FunctionalInterface
public interface NativeFunction {
    Object call(NativeCallContext ctx, Object[] args);
}
