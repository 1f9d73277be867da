package io.circles.rhai.eval;

/** Activation record of the main script or a script function: variable slots plus {@code this}. */
public final class Frame {
    public final Ctx ctx;
    public final Object[] s;
    public Object thisVal;

    public Frame(Ctx ctx, int size) {
        this.ctx = ctx;
        this.s = new Object[size];
    }

    /** Reads a slot (unwrapping shared cells). */
    public Object get(int slot) {
        Object o = s[slot];
        return o instanceof Cell c ? c.value : o;
    }

    /** Assigns to an existing variable (through its shared cell, if captured). */
    public void set(int slot, Object v) {
        Object o = s[slot];
        if (o instanceof Cell c) c.value = v;
        else s[slot] = v;
    }

    /** Creates a new binding in the slot (replacing any shared cell of an earlier binding). */
    public void define(int slot, Object v) {
        s[slot] = v;
    }
}
