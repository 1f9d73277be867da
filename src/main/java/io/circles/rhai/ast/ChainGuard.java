package io.circles.rhai.ast;

import io.circles.rhai.types.Unit;

/**
 * One chain link's view of the {@code ?.}/{@code ?[} before it: whether it may be handed () or
 * {@link ChainLink#SKIPPED}, and what to pass on then. Set by the parser as it appends links, read when the link
 * runs; one instance per link, so property, index and method links share the rule instead of each keeping flags.
 */
public final class ChainGuard {
    private final boolean nullSafe;
    /** A {@code ?.}/{@code ?[} in this chain up to here: the base may be () or {@link ChainLink#SKIPPED}. */
    private boolean guarded;
    private boolean continues;

    ChainGuard(boolean nullSafe) {
        this.nullSafe = nullSafe;
        this.guarded = nullSafe;
    }

    /** The parser appended another link after this one: a cut chain goes on through it. */
    public void continueChain() {
        continues = true;
    }

    /** A {@code ?.} or {@code ?[} comes before this link in its chain: this link may be handed {@link ChainLink#SKIPPED}. */
    public void followNullSafe() {
        guarded = true;
    }

    /**
     * What the link returns instead of evaluating on {@code base}, or null when it evaluates: {@link ChainLink#SKIPPED}
     * while the chain continues, () at its end.
     */
    Object skip(Object base) {
        if (!guarded) return null;
        return cut(base) ? (continues ? ChainLink.SKIPPED : Unit.INSTANCE) : null;
    }

    /** Whether an assignment through this link does nothing, because its chain was cut before it. */
    boolean skipsAssignment(Object base) {
        return guarded && cut(base);
    }

    private boolean cut(Object base) {
        return base == ChainLink.SKIPPED || (nullSafe && base == Unit.INSTANCE);
    }
}
