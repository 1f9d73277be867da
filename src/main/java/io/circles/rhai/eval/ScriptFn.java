package io.circles.rhai.eval;

import io.circles.rhai.types.Position;

/** A script-defined function (named {@code fn} or anonymous closure body). */
public final class ScriptFn {
    public final String name;
    public final String[] params;
    public final boolean isPrivate;
    public final Position pos;
    /** Slots (in the closure's own frame) receiving the captured cells, in capture order. */
    public int[] captureInnerSlots = new int[0];
    public Executable body;
    public int frameSize;
    public String comments;
    /**
     * Operations a call counts: 1, plus the expression nodes of a body that is a single statement (a body of
     * several statements counts them statement by statement).
     */
    public int callWeight = 1;

    public ScriptFn(String name, String[] params, boolean isPrivate, Position pos) {
        this.name = name;
        this.params = params;
        this.isPrivate = isPrivate;
        this.pos = pos;
    }

    /** Key prefix of methods restricted to one {@code this} type ({@code fn Type.name()}). */
    public static String typedPrefix(String type) {
        return "\u0000" + type + ".";
    }

    public int captureCount() {
        return captureInnerSlots.length;
    }
}
