package io.circles.rhai.eval;

/**
 * Code the evaluator can run in a frame: the body of the main script or of a script function. The syntax-tree
 * nodes implement it, so the evaluator below them runs bodies without depending on the node classes.
 */
public interface Executable {
    Object eval(Frame f);

    /**
     * The value as a primitive INT, for a caller that computes with it (a call in {@code fib(n - 1) + 1}); any
     * other value is thrown as {@link NotInt} carrying it.
     */
    long evalLong(Frame f);
}
