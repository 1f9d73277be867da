package io.circles.rhai.types;

/** A position in a script: 1-based line and column ({@link #NONE} when unknown). */
public record Position(int line, int column) {
    public static final Position NONE = new Position(0, 0);

    public boolean isNone() {
        return line == 0;
    }

    @Override
    public String toString() {
        return isNone() ? "none" : "line " + line + ", position " + column;
    }
}
