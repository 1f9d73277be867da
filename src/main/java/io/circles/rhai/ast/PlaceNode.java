package io.circles.rhai.ast;

import io.circles.rhai.types.Position;
import io.circles.rhai.eval.Frame;
import io.circles.rhai.types.Blob;
import io.circles.rhai.types.Values;

import java.util.ArrayList;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/** A node that denotes a storage place (variable, index, property, {@code this}) and can be assigned. */
public abstract class PlaceNode extends Node {
    protected PlaceNode(Position pos) {
        super(pos);
    }

    /** The stored value itself, without copying (for use as a receiver or chain base). */
    public abstract Object getRef(Frame f);

    /** Replaces the stored value. */
    public abstract void assign(Frame f, Object v);

    /** Reads the stored value, computes a new one and stores it; returns the new value. */
    public Object modify(Frame f, UnaryOperator<Object> fn) {
        Object nv = fn.apply(getRef(f));
        assign(f, nv);
        return nv;
    }

    /** Name used in error messages (variable name), or null. */
    public String varName() {
        return null;
    }

    @Override
    public Object eval(Frame f) {
        return copy(f, getRef(f));
    }

    /** Copies a container read into a value context, charging the copy to the operation budget. */
    public static Object copy(Frame f, Object v) {
        // the common immutable values first: exact-class checks, cheaper than the container subtype checks
        if (v instanceof Long || v instanceof Boolean || v instanceof String) return v;
        if (v instanceof ArrayList<?> a) {
            f.ctx.charge(a.size());
            return Values.deepCopy(v);
        }
        if (v instanceof TreeMap<?, ?> m) {
            f.ctx.charge(m.size());
            return Values.deepCopy(v);
        }
        if (v instanceof Blob b) {
            f.ctx.charge(b.length() >> 3);
            return b.copy();
        }
        return v;
    }

    /** Value semantics: containers are copied when read into a value context. */
    public static Object copy(Object v) {
        if (v instanceof ArrayList || v instanceof TreeMap || v instanceof Blob) return Values.deepCopy(v);
        return v;
    }
}
