package io.circles.rhai.ast;

/** A variable's slot, resolved by the parser (mutable until the enclosing closure is complete). */
public final class SlotRef {
    public int slot;
    public final String name;
    public final boolean isConst;

    public SlotRef(int slot, String name, boolean isConst) {
        this.slot = slot;
        this.name = name;
        this.isConst = isConst;
    }
}
