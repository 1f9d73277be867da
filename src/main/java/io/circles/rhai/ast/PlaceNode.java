package io.circles.rhai.ast;

import io.circles.rhai.api.Position;
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
        return copy(getRef(f));
    }

    /** Value semantics: containers are copied when read into a value context. */
    public static Object copy(Object v) {
        if (v instanceof ArrayList || v instanceof TreeMap || v instanceof Blob) return Values.deepCopy(v);
        return v;
    }
}
