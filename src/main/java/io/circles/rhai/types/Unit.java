package io.circles.rhai.types;

/** Rhai's unit value {@code ()}. */
public enum Unit {
    INSTANCE;

    @Override
    public String toString() {
        return "()";
    }
}
