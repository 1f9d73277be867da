package io.circles.rhai.eval;

import java.time.Duration;

/**
 * Sandbox limits of an engine; 0 means unlimited (for sizes and counts), a null timeout means none. Immutable:
 * start from {@link #defaults()} or {@link #relaxed()} and change single limits with the {@code withX} methods.
 * It lives with the evaluator, which enforces it, so the evaluator does not depend on the public API layer.
 *
 * @param maxOperations        operations per evaluation, counted like the reference: about one per expression evaluated
 * @param timeout              wall-clock deadline per evaluation
 * @param maxCallDepth         nesting of script function calls
 * @param maxExprDepth         expression nesting at parse time (main script)
 * @param maxFunctionExprDepth expression nesting at parse time inside functions
 * @param maxStringSize        characters in a string
 * @param maxArraySize         elements in an array (and bytes in a BLOB)
 * @param maxMapSize           entries in an object map
 * @param maxVariables         variables alive at once in one function
 * @param maxFunctions         script functions defined in one script
 * @param maxModules           modules imported per evaluation
 */
public record Limits(long maxOperations, Duration timeout, int maxCallDepth, int maxExprDepth,
                     int maxFunctionExprDepth, long maxStringSize, long maxArraySize, long maxMapSize,
                     int maxVariables, int maxFunctions, int maxModules) {
    /** Safe defaults for untrusted scripts. */
    public static Limits defaults() {
        return new Limits(50_000_000L, Duration.ofSeconds(10), 64, 64, 32, 10_000_000L, 1_000_000L, 100_000L,
                10_000, 1_000, 64);
    }

    /** No size or count limits (call depth and expression depth remain bounded). */
    public static Limits relaxed() {
        return new Limits(0, null, 256, 256, 128, 0, 0, 0, 0, 0, 0);
    }

    public Limits withMaxOperations(long n) {
        return new Limits(n, timeout, maxCallDepth, maxExprDepth, maxFunctionExprDepth, maxStringSize, maxArraySize,
                maxMapSize, maxVariables, maxFunctions, maxModules);
    }

    public Limits withTimeout(Duration d) {
        return new Limits(maxOperations, d, maxCallDepth, maxExprDepth, maxFunctionExprDepth, maxStringSize,
                maxArraySize, maxMapSize, maxVariables, maxFunctions, maxModules);
    }

    public Limits withMaxCallDepth(int n) {
        return new Limits(maxOperations, timeout, n, maxExprDepth, maxFunctionExprDepth, maxStringSize, maxArraySize,
                maxMapSize, maxVariables, maxFunctions, maxModules);
    }

    /** Expression nesting at parse time in the main script and inside functions. */
    public Limits withMaxExprDepth(int main, int inFunctions) {
        return new Limits(maxOperations, timeout, maxCallDepth, main, inFunctions, maxStringSize, maxArraySize,
                maxMapSize, maxVariables, maxFunctions, maxModules);
    }

    public Limits withMaxStringSize(long n) {
        return new Limits(maxOperations, timeout, maxCallDepth, maxExprDepth, maxFunctionExprDepth, n, maxArraySize,
                maxMapSize, maxVariables, maxFunctions, maxModules);
    }

    public Limits withMaxArraySize(long n) {
        return new Limits(maxOperations, timeout, maxCallDepth, maxExprDepth, maxFunctionExprDepth, maxStringSize, n,
                maxMapSize, maxVariables, maxFunctions, maxModules);
    }

    public Limits withMaxMapSize(long n) {
        return new Limits(maxOperations, timeout, maxCallDepth, maxExprDepth, maxFunctionExprDepth, maxStringSize,
                maxArraySize, n, maxVariables, maxFunctions, maxModules);
    }

    public Limits withMaxVariables(int n) {
        return new Limits(maxOperations, timeout, maxCallDepth, maxExprDepth, maxFunctionExprDepth, maxStringSize,
                maxArraySize, maxMapSize, n, maxFunctions, maxModules);
    }

    public Limits withMaxFunctions(int n) {
        return new Limits(maxOperations, timeout, maxCallDepth, maxExprDepth, maxFunctionExprDepth, maxStringSize,
                maxArraySize, maxMapSize, maxVariables, n, maxModules);
    }

    public Limits withMaxModules(int n) {
        return new Limits(maxOperations, timeout, maxCallDepth, maxExprDepth, maxFunctionExprDepth, maxStringSize,
                maxArraySize, maxMapSize, maxVariables, maxFunctions, n);
    }
}
