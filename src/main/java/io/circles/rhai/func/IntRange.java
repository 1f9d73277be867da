package io.circles.rhai.func;

/**
 * Marks the standard INT {@code range(from, to)} and {@code range(from, to, step)}: they only describe the
 * integers from {@code from} (inclusive) towards {@code to} (exclusive) by {@code step}, so the evaluator may run
 * {@code for x in range(…)} with INT arguments and a positive step as a counting loop without calling them
 * (the same values, no range object, no boxed arguments). A function registered over them is called as usual.
 */
@FunctionalInterface
public interface IntRange extends NativeFunction {
}
