package io.circles.rhai.func;

/** A set of native functions. */
public interface Package {
    void register(FunctionRegistry r);
}
