package io.circles.rhai.ast;

import io.circles.rhai.types.Position;
import io.circles.rhai.eval.Executable;
import io.circles.rhai.eval.Frame;

/**
 * A node of the compiled script tree. The parser builds these directly with variables already resolved to
 * frame slots; each subclass implements one operation (closure compilation: no re-dispatch on node kinds).
 */
public abstract class Node implements Executable {
    public final Position pos;

    protected Node(Position pos) {
        this.pos = pos;
    }

    @Override
    public abstract Object eval(Frame f);

    /** True if this node is a compile-time constant (immutable value). */
    public boolean isConstant() {
        return false;
    }

    public Object constantValue() {
        return null;
    }
}
