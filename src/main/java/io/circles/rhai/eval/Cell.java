package io.circles.rhai.eval;

/** A shared variable captured by a closure (never visible to scripts as a value). */
public final class Cell {
    public Object value;

    public Cell(Object value) {
        this.value = value;
    }
}
