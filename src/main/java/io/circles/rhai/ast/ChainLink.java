package io.circles.rhai.ast;

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

    /** This link's guard: how a {@code ?.}/{@code ?[} earlier in its chain affects it. */
    ChainGuard guard();
}
