package io.circles.rhai.func;

/** Where packages register native functions. */
public interface FunctionRegistry {
    /**
     * Registers {@code fn} under {@code name} for the given parameter classes ({@code Object.class} = any value).
     * Overloads are resolved by name and arity; exact classes win over {@code Object.class} positions.
     */
    void register(String name, NativeFunction fn, Class<?>... paramTypes);
}
