package io.circles.rhai.eval;

/**
 * Activation record of the main script or a script function: variable slots plus {@code this}.
 *
 * <p>A slot holding an INT may keep it unboxed: then {@code s[slot]} is the marker {@link #INT} and the value is
 * {@code n[slot]}. Nodes that produce or consume a primitive {@code long} (counters, {@code x -= 1}, {@code n - 1}
 * passed to a function) use that form, so integer loops and calls allocate nothing; every other reader goes
 * through {@link #get(int)} or handles the marker. A slot may equally hold a boxed {@code Long}, another value,
 * or a {@link Cell} when a closure captured the variable (cells always hold boxed values).
 */
public final class Frame {
    /** Marker in {@link #s}: the slot's value is the INT in {@link #n}. Never visible to scripts. */
    public static final Object INT = new Object() {
        @Override
        public String toString() {
            return "<unboxed INT>";
        }
    };

    public final Ctx ctx;
    public final Object[] s;
    public final long[] n;
    public Object thisVal;
    /**
     * The frame this one's calls run in, reused call after call: a call whose arguments contain no call (they
     * cannot need it meanwhile) or whose arguments are all evaluated before the call starts (method calls) runs
     * in its caller's {@code callee}; each frame owning the next makes them a stack without any bookkeeping.
     */
    private Frame callee;
    /** The value of a {@code return} on its way out as a signal (see the node layer's function body). */
    public Object returned;

    public Frame(Ctx ctx, int size) {
        this.ctx = ctx;
        this.s = new Object[size];
        this.n = new long[size];
    }

    /** Reads a slot (unwrapping shared cells and boxing an unboxed INT); null when never assigned. */
    public Object get(int slot) {
        Object o = s[slot];
        if (o == INT) return n[slot];
        return o instanceof Cell c ? c.value : o;
    }

    /** Assigns to an existing variable (through its shared cell, if captured). */
    public void set(int slot, Object v) {
        Object o = s[slot];
        if (o instanceof Cell c) c.value = v;
        else s[slot] = v;
    }

    /** Assigns an INT to an existing variable, unboxed unless a closure shares the variable. */
    public void setInt(int slot, long v) {
        Object[] s = this.s;
        Object o = s[slot];
        if (o == INT) {
            n[slot] = v; // no reference store (and no GC write barrier) when the slot is already unboxed
        } else if (o instanceof Cell c) {
            c.value = v;
        } else {
            s[slot] = INT;
            n[slot] = v;
        }
    }

    /** Creates a new binding in the slot (replacing any shared cell of an earlier binding). */
    public void define(int slot, Object v) {
        s[slot] = v;
    }

    /** Creates a new INT binding in the slot, unboxed. */
    public void defineInt(int slot, long v) {
        if (s[slot] != INT) s[slot] = INT;
        n[slot] = v;
    }

    /** The slot's raw content with an unboxed INT boxed, shared cells kept (for capturing by closures). */
    public Object raw(int slot) {
        Object o = s[slot];
        return o == INT ? (Object) n[slot] : o;
    }

    /** The reusable frame for a call made from this one (see {@link #callee}), with at least {@code size} slots. */
    public Frame callee(int size) {
        Frame c = callee;
        if (c == null || c.s.length < size) callee = c = new Frame(ctx, Math.max(size, 4));
        return c;
    }

    /**
     * Forgets the first {@code size} slots, {@code this} and a pending return value, once the call that ran in this
     * frame has ended (nothing stays reachable from a reused frame, and the next call starts clean).
     */
    public void clear(int size) {
        Object[] s = this.s;
        for (int i = 0; i < size; i++) s[i] = null; // frames are small: cheaper than Arrays.fill's call
        thisVal = null;
        returned = null;
    }
}
