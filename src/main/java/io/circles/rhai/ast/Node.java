package io.circles.rhai.ast;

import io.circles.rhai.types.Position;
import io.circles.rhai.eval.Executable;
import io.circles.rhai.eval.Frame;
import io.circles.rhai.eval.NotInt;

/**
 * A node of the compiled script tree. The parser builds these directly with variables already resolved to
 * frame slots; each subclass implements one operation (closure compilation: no re-dispatch on node kinds).
 *
 * <p>Besides {@link #eval}, a node can be asked for an unboxed INT ({@link #evalLong}) or for a condition
 * ({@link #evalCondition}); nodes that compute integers or comparisons override them so integer code runs on
 * primitives end to end instead of allocating a {@code Long} per intermediate value.
 */
public abstract class Node implements Executable {
    public final Position pos;

    protected Node(Position pos) {
        this.pos = pos;
    }

    @Override
    public abstract Object eval(Frame f);

    /**
     * The value as a primitive INT; any other value is thrown back as {@link NotInt} carrying it (the node has
     * been evaluated exactly once either way). Callers catch it right at the call and fall back to their generic
     * path, normally for good.
     */
    public long evalLong(Frame f) {
        return NotInt.unbox(eval(f));
    }

    /** The value as the condition of an {@code if}/loop/{@code &&}…: a bool, else a type error at this node. */
    boolean evalCondition(Frame f) {
        return Nodes.bool(eval(f), pos);
    }

    /**
     * Whether {@link #evalLong} is worth asking for: the node computes INTs without boxing (literals, local
     * variables, integer arithmetic). Stores and argument passing use it to keep such values unboxed.
     */
    boolean yieldsUnboxed() {
        return false;
    }

    /** A site's choice of asking a child for an unboxed INT ({@link #unboxedMode}); BOXED once it was not one. */
    static final byte UNDECIDED = 0, UNBOXED = 1, BOXED = 2;

    /**
     * Decided at a site's first evaluation (calls in the child are linked by then) and kept in a field, so the hot
     * path reads a byte instead of making a virtual call.
     */
    static byte unboxedMode(Node child) {
        return child.yieldsUnboxed() ? UNBOXED : BOXED;
    }

    /** True if this node is a compile-time constant (immutable value). */
    public boolean isConstant() {
        return false;
    }

    public Object constantValue() {
        return null;
    }
}
