package io.circles.rhai.ast;

import io.circles.rhai.types.Unit;

/**
 * A link of a property/index/method chain ({@code a.b}, {@code a[i]}, {@code a.m()}). Once a {@code ?.} or
 * {@code ?[} meets (), the rest of its chain is skipped, as in the reference ({@code x?.foo.bar.baz} is () when x
 * is ()): the links after it pass {@link #SKIPPED} on instead of evaluating, and the chain's last link turns it
 * into (). A marker rather than () itself, because a () met later in the chain, not behind {@code ?.}, is still
 * an error ({@code #{foo: ()}?.foo.bar} fails on {@code bar}).
 */
public interface ChainLink {
    /** Passed from link to link in place of a value once the chain is cut short; never leaves the chain. */
    Object SKIPPED = new Object() {
        @Override
        public String toString() {
            return "()";
        }
    };

    /** The parser appended another link after this one: a cut chain goes on through it. */
    void continueChain();

    /** A {@code ?.} or {@code ?[} comes before this link in its chain: this link may be handed {@link #SKIPPED}. */
    void followNullSafe();

    /**
     * What a link returns instead of evaluating, or null when it evaluates: {@link #SKIPPED} while the chain
     * continues, () at its end.
     */
    static Object skip(Object base, boolean nullSafe, boolean chainContinues) {
        if (base == SKIPPED || (nullSafe && base == Unit.INSTANCE)) return chainContinues ? SKIPPED : Unit.INSTANCE;
        return null;
    }
}
